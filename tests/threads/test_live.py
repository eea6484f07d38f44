"""Live updates: a poll answers 204 with no body while nothing changed, else the changes as out-of-band swaps."""
import re

import pytest

from civic.extensions import db
from civic.proposals.models import ProposalStatus
from civic.threads import live
from civic.threads.models import Comment, Thread
from civic.threads.queries import PAGE_SIZE
from tests.threads.conftest import HTMX, comment_ids, english, thread_url


@pytest.fixture
def proposal(place, make_proposal):
    return make_proposal(place["community"], place["author"])


def _poller(html: str) -> dict:
    form = re.search(r'<form class="thread-poll".*?</form>', html, re.S).group(0)
    return dict(re.findall(r'name="(\w+)" value="([^"]*)"', form))


def _poll(client, place, proposal, state: dict):
    query = "&".join(f"{k}={v}" for k, v in state.items())
    return client.get(thread_url(proposal, place["community"], "updates") + "?" + query, headers=HTMX)


def _open_page(client, place, proposal, query=""):
    return _poller(client.get(f"/c/{place['community'].slug}/proposals/{proposal.id}{query}").get_data(as_text=True))


def test_nothing_new_answers_204_with_an_empty_body(client, login_as, place, proposal):
    login_as(place["neighbour"])
    state = _open_page(client, place, proposal)
    response = _poll(client, place, proposal, state)
    assert response.status_code == 204 and response.data == b"" and "HX-Request" in response.headers["Vary"]


def test_a_neighbours_comment_arrives_with_the_next_poll(client, login_as, place, proposal):
    login_as(place["neighbour"])
    state = _open_page(client, place, proposal)
    login_as(place["third"])
    client.post(thread_url(proposal, place["community"]), data={"body": "邻居的新评论"})
    comment = db.session.execute(db.select(Comment)).scalar_one()
    login_as(place["neighbour"])
    response = _poll(client, place, proposal, state)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in html and "HX-Request" in response.headers["Vary"]
    assert f'<div hx-swap-oob="beforeend:#comments-late-{proposal.thread_id}">' in html
    assert comment_ids(html) == [comment.id] and "邻居的新评论" in html
    assert f'id="thread-count-{proposal.thread_id}" hx-swap-oob="true"' in html
    # The poller itself comes back (as the main swap) with the new version: the next poll is quiet again.
    new_state = _poller(html)
    assert new_state["v"] == str(comment.changed_version) and new_state["last"] == str(comment.id)
    assert 'data-thread-poll hx-swap-oob' not in html
    assert _poll(client, place, proposal, new_state).status_code == 204


def test_new_comments_go_to_the_top_in_newest_first_order_and_replies_under_their_parent(client, login_as, place,
                                                                                          proposal, add_comments):
    [top] = add_comments(db.session.get(Thread, proposal.thread_id), place["author"], 1)
    login_as(place["neighbour"])
    state = _open_page(client, place, proposal, "?order=newest")
    assert state["order"] == "newest"
    login_as(place["third"])
    client.post(thread_url(proposal, place["community"]), data={"body": "回复", "parent_id": top.id})
    client.post(thread_url(proposal, place["community"]), data={"body": "新的顶层"})
    login_as(place["neighbour"])
    html = _poll(client, place, proposal, state).get_data(as_text=True)
    assert f'hx-swap-oob="beforeend:#replies-{top.id}"' in html
    assert f'hx-swap-oob="afterbegin:#comments-{proposal.thread_id}"' in html


def test_an_edit_replaces_the_comment_by_id(client, login_as, place, proposal):
    login_as(place["third"])
    english(client)
    client.post(thread_url(proposal, place["community"]), data={"body": "初稿"})
    comment = db.session.execute(db.select(Comment)).scalar_one()
    login_as(place["neighbour"])
    state = _open_page(client, place, proposal)
    login_as(place["third"])
    client.post(f"/c/{place['community'].slug}/comments/{comment.id}/edit", data={"body": "改好的稿"})
    login_as(place["neighbour"])
    english(client)
    html = _poll(client, place, proposal, state).get_data(as_text=True)
    assert f'<article class="comment" id="comment-{comment.id}" hx-swap-oob="true">' in html
    assert "改好的稿" in html and "edited" in html and "<li" not in html


def test_a_withdrawal_replaces_the_comment_by_id(client, login_as, place, proposal):
    login_as(place["third"])
    english(client)
    client.post(thread_url(proposal, place["community"]), data={"body": "要撤回的话"})
    comment = db.session.execute(db.select(Comment)).scalar_one()
    login_as(place["neighbour"])
    state = _open_page(client, place, proposal)
    login_as(place["third"])
    client.post(f"/c/{place['community'].slug}/comments/{comment.id}/withdraw")
    login_as(place["neighbour"])
    english(client)
    html = _poll(client, place, proposal, state).get_data(as_text=True)
    assert f'id="comment-{comment.id}" hx-swap-oob="true"' in html
    assert "Comment withdrawn" in html and "要撤回的话" not in html


def test_changes_to_comments_not_loaded_yet_are_left_out(client, login_as, place, proposal, add_comments):
    thread = db.session.get(Thread, proposal.thread_id)
    rows = add_comments(thread, place["author"], PAGE_SIZE + 2)
    login_as(place["neighbour"])
    state = _open_page(client, place, proposal)
    login_as(place["third"])
    unloaded = rows[-1]
    client.post(thread_url(proposal, place["community"]), data={"body": "回复后面的", "parent_id": unloaded.id})
    client.post(thread_url(proposal, place["community"]), data={"body": "回复前面的", "parent_id": rows[0].id})
    login_as(place["neighbour"])
    html = _poll(client, place, proposal, state).get_data(as_text=True)
    assert f"#replies-{rows[0].id}" in html and f"#replies-{unloaded.id}" not in html  # no swap without a target
    assert "回复前面的" in html and "回复后面的" not in html


def test_the_htmx_post_catches_the_poster_up_on_what_neighbours_wrote(client, login_as, place, proposal):
    login_as(place["neighbour"])
    state = _open_page(client, place, proposal)
    login_as(place["third"])
    client.post(thread_url(proposal, place["community"]), data={"body": "抢先一步"})
    login_as(place["neighbour"])
    html = client.post(thread_url(proposal, place["community"]), data={"body": "我的话", **state},
                       headers=HTMX).get_data(as_text=True)
    assert "抢先一步" in html and "我的话" in html
    assert len(comment_ids(html)) == 2 and comment_ids(html) == sorted(comment_ids(html))
    assert _poll(client, place, proposal, _poller(html)).status_code == 204


def test_plain_poll_redirects_and_a_missing_version_is_a_bad_request(client, login_as, place, proposal):
    login_as(place["neighbour"])
    plain = client.get(thread_url(proposal, place["community"], "updates") + "?v=-1")
    assert plain.status_code == 303 and plain.headers["Location"].endswith(f"#thread-{proposal.thread_id}")
    assert client.get(thread_url(proposal, place["community"], "updates"), headers=HTMX).status_code == 400


def test_polls_are_scoped_like_pages(client, login_as, place, make_proposal):
    draft = make_proposal(place["community"], place["author"], status=ProposalStatus.DRAFT)
    login_as(place["neighbour"])
    assert _poll(client, place, draft, {"v": 0}).status_code == 404  # someone else's draft, even when unchanged
    login_as(place["outsider"])
    assert _poll(client, place, draft, {"v": 0}).status_code == 404


def _c(id_, parent=None):
    return Comment(id=id_, thread_id=9, parent_id=parent, body_md="", body_html="")


def test_placement_follows_what_the_page_shows():
    shown = live.Shown(order="oldest", version=5, last=100, gap_lo=40, gap_hi=100)
    assert live.placement(_c(30), shown).swap is None  # known and loaded: replaced by id
    assert live.placement(_c(50), shown) is None  # known but in the unloaded gap
    assert live.placement(_c(101, parent=50), shown) is None  # a reply to an unloaded comment
    assert live.placement(_c(102, parent=30), shown).swap == "beforeend:#replies-30"
    assert live.placement(_c(103), shown).swap == "beforeend:#comments-late-9"
    newest = live.Shown(order="newest", version=5, last=100, gap_lo=0, gap_hi=49)
    assert live.placement(_c(103), newest).swap == "afterbegin:#comments-9"
    assert live.placement(_c(20), newest) is None


def test_the_gap_closes_as_pages_load():
    first = [_c(i) for i in range(1, 51)]
    shown = live.first_page("oldest", first, has_more=True, version=3, last=140)
    assert (shown.gap_lo, shown.gap_hi, shown.gap) == (50, 140, "50-140")
    assert live.first_page("oldest", first, has_more=False, version=3, last=140).gap == ""
    newest = live.first_page("newest", [_c(i) for i in range(140, 90, -1)], has_more=True, version=3, last=140)
    assert (newest.gap_lo, newest.gap_hi) == (0, 90)  # everything older than the oldest shown
    assert newest.after_page([_c(i) for i in range(90, 40, -1)], has_more=True).gap == "0-40"
    assert live.Shown.from_values(_Args({"gap": "50-140", "v": "3", "last": "140"})).gap_hi == 140


class _Args(dict):
    def get(self, key, default=None, type=None):  # noqa: A002 (werkzeug's MultiDict.get signature)
        value = super().get(key, default)
        return type(value) if type and value is not None else value
