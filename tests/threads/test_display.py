"""Showing a thread: labels, opinions, replies, withdrawn and hidden comments, hostile Markdown, pages, queries."""
import re

import pytest
from sqlalchemy import event

from civic.clock import utcnow
from civic.extensions import db
from civic.threads.models import Opinion, Thread
from civic.threads.queries import PAGE_SIZE
from tests.threads.conftest import HTMX, comment_ids, english, thread_url


@pytest.fixture
def proposal(place, make_proposal):
    return make_proposal(place["community"], place["author"])


def _page(client, community, proposal, query=""):
    response = client.get(f"/c/{community.slug}/proposals/{proposal.id}{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_comment_shows_label_time_opinion_and_html_never_the_room(client, login_as, place, proposal,
                                                                    add_comments):
    thread = db.session.get(Thread, proposal.thread_id)
    [comment] = add_comments(thread, place["neighbour"], 1)
    comment.opinion = Opinion.AGAINST
    db.session.commit()
    login_as(place["author"])
    english(client)
    html = _page(client, place["community"], proposal)
    article = re.search(rf'<article class="comment" id="comment-{comment.id}">.*?</article>', html, re.S).group(0)
    assert f"李师傅 · {place['building'].name}" in article
    assert "Opinion: Oppose" in article and 'class="opinion opinion-against"' in article
    assert "<p>第0条</p>" in article and re.search(r"<time>\d{4}-\d\d-\d\d \d\d:\d\d</time>", article)
    room = place["neighbour"].memberships[0].household.room
    assert not re.search(rf"(?<![\d:]){room}(?!\d)", article)  # never the room number
    assert f'hx-get="/c/{place["community"].slug}/comments/{comment.id}/reply"' in article
    assert f'href="/c/{place["community"].slug}/proposals/{proposal.id}?reply_to={comment.id}#reply-form"' in article
    assert "Edit" not in article and "Withdraw" not in article  # not the viewer's comment


def test_replies_show_under_their_parent(client, login_as, place, proposal, add_comments):
    thread = db.session.get(Thread, proposal.thread_id)
    first, second = add_comments(thread, place["author"], 2)
    [reply] = add_comments(thread, place["neighbour"], 1, parent=first, start=10)
    login_as(place["neighbour"])
    html = _page(client, place["community"], proposal)
    replies = re.search(rf'<ol class="replies" id="replies-{first.id}">(.*?)</ol>', html, re.S).group(1)
    assert comment_ids(replies) == [reply.id]
    assert comment_ids(html) == [first.id, reply.id, second.id]
    assert f'id="reply-slot-{first.id}"' in html


def test_the_author_sees_edit_and_withdraw_within_the_window(client, login_as, place, proposal):
    login_as(place["neighbour"])
    english(client)
    client.post(thread_url(proposal, place["community"]), data={"body": "我的评论"})
    html = _page(client, place["community"], proposal)
    assert ">Edit</a>" in html and ">Withdraw</button>" in html


def test_a_withdrawn_comment_loses_its_text_but_keeps_its_replies(client, login_as, place, proposal, add_comments):
    thread = db.session.get(Thread, proposal.thread_id)
    [top] = add_comments(thread, place["neighbour"], 1)
    [reply] = add_comments(thread, place["third"], 1, parent=top, start=5)
    top.withdrawn_at = utcnow()
    db.session.commit()
    login_as(place["author"])
    english(client)
    html = _page(client, place["community"], proposal)
    article = re.search(rf'<article class="comment is-withdrawn" id="comment-{top.id}">.*?</article>', html, re.S).group(0)
    assert "Comment withdrawn" in article and "第0条" not in article and "Reply" not in article
    assert "第5条" in html and comment_ids(html) == [top.id, reply.id]


def test_a_hidden_comment_shows_the_reason_to_others_and_the_text_to_its_author(client, login_as, place, proposal,
                                                                               add_comments):
    thread = db.session.get(Thread, proposal.thread_id)
    [comment] = add_comments(thread, place["neighbour"], 1)
    comment.hidden_at, comment.hidden_reason = utcnow(), "人身攻击"
    db.session.commit()
    login_as(place["third"])
    english(client)
    html = _page(client, place["community"], proposal)
    assert "Hidden by the committee: 人身攻击" in html and "第0条" not in html
    login_as(place["neighbour"])
    english(client)
    html = _page(client, place["community"], proposal)
    assert "Hidden by the committee: 人身攻击" in html and "第0条" in html and "Others see only this note." in html


HOSTILE = ('<script>alert(1)</script> [x](javascript:alert(1)) <svg onload=alert(1)> '
           '<a href="/x" hx-post="/c/x/roles" hx-trigger="load">a</a> <div data-hx-get="/x">b</div> '
           '<img src=x onerror=alert(1)>')


def _assert_inert(html: str):
    """Every real tag (not the escaped text) is harmless: no script, svg, img; no handlers, javascript: or foreign hx."""
    tags = re.findall(r"<\s*([a-zA-Z0-9]+)([^>]*)>", html)
    assert tags
    for name, attrs in tags:
        if name.lower() == "script":
            assert re.fullmatch(r' src="/static/[\w./-]+\.js"( defer)?', attrs), attrs  # ours, from /static only
            continue
        assert name.lower() not in {"svg", "img", "iframe"}, name
        assert not re.search(r"\bon\w+\s*=|javascript:|data-hx-|/c/x", attrs, re.I), attrs


def test_hostile_markdown_is_inert_in_the_page_and_the_fragment(client, login_as, place, proposal):
    login_as(place["neighbour"])
    fragment = client.post(thread_url(proposal, place["community"]), data={"body": HOSTILE, "v": "0", "last": "0"},
                           headers=HTMX).get_data(as_text=True)
    assert "&lt;script&gt;" in fragment
    _assert_inert(fragment)
    _assert_inert(_page(client, place["community"], proposal))
    poll = client.get(thread_url(proposal, place["community"], "updates") + "?v=0&last=0", headers=HTMX)
    _assert_inert(poll.get_data(as_text=True))


def test_a_locked_thread_shows_the_reason_and_no_form(client, login_as, place, proposal, add_comments):
    thread = db.session.get(Thread, proposal.thread_id)
    add_comments(thread, place["author"], 1)
    thread.is_locked, thread.locked_reason = True, "已转入议事会"
    db.session.commit()
    login_as(place["neighbour"])
    english(client)
    html = _page(client, place["community"], proposal)
    assert "Discussion locked." in html and "已转入议事会" in html
    assert 'class="comment-form' not in html and ">Reply</a>" not in html


def test_no_js_reply_link_sets_up_the_main_form_as_a_reply_with_the_quote(client, login_as, place, proposal,
                                                                         add_comments):
    thread = db.session.get(Thread, proposal.thread_id)
    [comment] = add_comments(thread, place["author"], 1)
    login_as(place["neighbour"])
    english(client)
    html = _page(client, place["community"], proposal, f"?reply_to={comment.id}&quote=1")
    form = re.search(r'<div class="compose" id="reply-form">.*?</form>', html, re.S).group(0)
    assert f'name="parent_id" value="{comment.id}"' in form and f'name="quote_id" value="{comment.id}"' in form
    assert "Replying to 王阿姨" in form and "第0条" in form


def test_inline_reply_form_with_htmx_and_a_redirect_without(client, login_as, place, proposal, add_comments):
    thread = db.session.get(Thread, proposal.thread_id)
    [top] = add_comments(thread, place["author"], 1)
    [reply] = add_comments(thread, place["third"], 1, parent=top, start=3)
    login_as(place["neighbour"])
    url = f"/c/{place['community'].slug}/comments/{reply.id}/reply?quote=1"
    plain = client.get(url)
    assert plain.status_code == 303
    assert plain.headers["Location"] == (f"/c/{place['community'].slug}/proposals/{proposal.id}"
                                         f"?reply_to={reply.id}&quote=1#reply-form")
    fragment = client.get(url, headers=HTMX)
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "HX-Request" in fragment.headers["Vary"] and "<html" not in html
    assert f'id="reply-form-{top.id}"' in html and 'name="inline" value="y"' in html
    assert f'name="parent_id" value="{reply.id}"' in html and f'name="quote_id" value="{reply.id}"' in html


def _ids_in_list(html: str, thread_id: int) -> list[int]:
    body = re.search(rf'<ol class="comments" id="comments-{thread_id}">(.*?)<p class="thread-more"', html, re.S)
    return [int(i) for i in re.findall(r'<li class="comment-item" id="item-(\d+)"', body.group(1))]


def test_pages_of_fifty_oldest_first_with_load_more(client, login_as, place, proposal, add_comments):
    thread = db.session.get(Thread, proposal.thread_id)
    rows = add_comments(thread, place["author"], PAGE_SIZE + 7)
    login_as(place["neighbour"])
    english(client)
    html = _page(client, place["community"], proposal)
    assert _ids_in_list(html, thread.id) == [r.id for r in rows[:PAGE_SIZE]]
    more = re.search(r'<a class="button" href="([^"]+)" hx-get="([^"]+)"', html)
    assert more.group(1) == more.group(2) and f"after={rows[PAGE_SIZE - 1].id}" in more.group(1)
    # The poller knows the top-level comments after the first page are not on it yet.
    assert f'name="gap" value="{rows[PAGE_SIZE - 1].id}-{rows[-1].id}"' in html
    url = more.group(1).replace("&amp;", "&")
    fragment = client.get(url + f"&v={thread.version}&last={rows[-1].id}&gap={rows[PAGE_SIZE - 1].id}-{rows[-1].id}",
                          headers=HTMX)
    part = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in part and "HX-Request" in fragment.headers["Vary"]
    assert f'hx-swap-oob="beforeend:#comments-{thread.id}"' in part
    assert comment_ids(part) == [r.id for r in rows[PAGE_SIZE:]]
    assert 'class="button"' not in part  # the last page: no further link
    assert 'name="gap" value=""' in part and 'hx-swap-oob="true"' in part  # the poller's gap is closed
    plain = client.get(url)
    page = plain.get_data(as_text=True)
    assert plain.status_code == 200 and "<html" in page and "Discussion: 垃圾厢房夏天太臭" in page
    assert _ids_in_list(page, thread.id) == [r.id for r in rows[PAGE_SIZE:]] and "Earlier comments" in page


def test_pages_newest_first(client, login_as, place, proposal, add_comments):
    thread = db.session.get(Thread, proposal.thread_id)
    rows = add_comments(thread, place["author"], PAGE_SIZE + 3)
    login_as(place["neighbour"])
    english(client)
    html = _page(client, place["community"], proposal, "?order=newest")
    newest = [r.id for r in reversed(rows)]
    assert _ids_in_list(html, thread.id) == newest[:PAGE_SIZE]
    assert "<strong aria-current=\"true\">Newest first</strong>" in html
    more = re.search(r'<a class="button" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    assert "order=newest" in more and f"after={newest[PAGE_SIZE - 1]}" in more
    part = client.get(more, headers=HTMX).get_data(as_text=True)
    assert comment_ids(part) == newest[PAGE_SIZE:]
    page = client.get(more).get_data(as_text=True)
    earlier = re.search(r'<p class="thread-earlier"><a href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert _ids_in_list(client.get(earlier).get_data(as_text=True), thread.id) == newest[:PAGE_SIZE]


def _count_queries(client, url):
    count = [0]

    def bump(*args):
        count[0] += 1

    event.listen(db.engine, "before_cursor_execute", bump)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", bump)
    return count[0]


def test_the_first_page_costs_the_same_queries_whatever_the_threads_length(client, login_as, place, make_proposal,
                                                                         add_comments, make_member):
    short, long = (make_proposal(place["community"], place["author"], title=t) for t in ("短", "长"))
    people = [place["author"], place["neighbour"], place["third"]] + [make_member(display_name=f"人{i}") for i in range(3)]
    for proposal, n in ((short, 10), (long, 120)):
        thread = db.session.get(Thread, proposal.thread_id)
        for i in range(n // 5):
            [top] = add_comments(thread, people[i % len(people)], 1, start=i)
            add_comments(thread, people[(i + 1) % len(people)], 4, parent=top, start=100 + i)
    login_as(place["neighbour"])
    slug = place["community"].slug
    _count_queries(client, f"/c/{slug}/proposals/{short.id}")  # warm up
    assert (_count_queries(client, f"/c/{slug}/threads/{short.thread_id}/comments")
            == _count_queries(client, f"/c/{slug}/threads/{long.thread_id}/comments"))
    assert (_count_queries(client, f"/c/{slug}/proposals/{short.id}")
            == _count_queries(client, f"/c/{slug}/proposals/{long.id}"))


def test_a_link_to_a_comment_beyond_the_first_page_opens_the_page_that_holds_it(client, login_as, place, proposal,
                                                                               add_comments):
    thread = db.session.get(Thread, proposal.thread_id)
    rows = add_comments(thread, place["author"], PAGE_SIZE + 5)
    [reply] = add_comments(thread, place["third"], 1, parent=rows[-2], start=900)
    login_as(place["neighbour"])
    slug = place["community"].slug
    first = client.get(f"/c/{slug}/comments/{rows[3].id}")
    assert first.headers["Location"] == f"/c/{slug}/proposals/{proposal.id}#comment-{rows[3].id}"
    deep = client.get(f"/c/{slug}/comments/{reply.id}")
    assert deep.status_code == 303
    assert deep.headers["Location"] == (f"/c/{slug}/threads/{thread.id}/comments?after={rows[-2].id - 1}"
                                        f"#comment-{reply.id}")
    page = client.get(deep.headers["Location"]).get_data(as_text=True)
    assert f'id="comment-{reply.id}"' in page
    posted = client.post(thread_url(proposal, place["community"]), data={"body": "排在后面的新评论"})
    assert "/comments?after=" in posted.headers["Location"]  # the new comment is beyond the first page
    newest = client.post(thread_url(proposal, place["community"]), data={"body": "最新在前", "order": "newest"})
    assert newest.headers["Location"].startswith(f"/c/{slug}/proposals/{proposal.id}?order=newest#comment-")
