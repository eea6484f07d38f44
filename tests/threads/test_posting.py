"""Posting comments and replies: plain forms (303) and htmx fragments, quotes, opinions, refusals, notifications."""
import re

import pytest

from civic.extensions import db
from civic.notices.models import NoticeKind, Notification
from civic.proposals.models import ProposalStatus
from civic.threads.models import Comment, Opinion, Thread
from tests.threads.conftest import HTMX, comment_ids, english, thread_url


@pytest.fixture
def proposal(place, make_proposal):
    return make_proposal(place["community"], place["author"])


def _post(client, community, proposal, headers=None, **data):
    return client.post(thread_url(proposal, community), data=data, headers=headers or {})


def _comments(thread_id):
    return db.session.execute(db.select(Comment).where(Comment.thread_id == thread_id).order_by(Comment.id)).scalars().all()


def test_plain_post_redirects_to_the_comment_on_the_owner_page(client, login_as, place, proposal):
    login_as(place["neighbour"])
    response = _post(client, place["community"], proposal, body="  垃圾厢房应该**加盖**  ", opinion="for")
    [comment] = _comments(proposal.thread_id)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/c/{place['community'].slug}/proposals/{proposal.id}#comment-{comment.id}"
    assert comment.body_md == "垃圾厢房应该**加盖**" and "<strong>加盖</strong>" in comment.body_html
    assert comment.opinion is Opinion.FOR and comment.author_id == place["neighbour"].id
    assert comment.household_id is not None and comment.changed_version > 0
    thread = db.session.get(Thread, proposal.thread_id)
    assert thread.comment_count == 1 and thread.last_comment_at is not None and thread.version == comment.changed_version
    assert proposal.last_activity_at == comment.created_at


def test_htmx_post_returns_only_a_small_fragment_with_a_fresh_form(client, login_as, place, proposal):
    login_as(place["neighbour"])
    english(client)
    response = _post(client, place["community"], proposal, HTMX, body="什么时候开始施工？", opinion="question",
                     order="oldest", v="0", last="0", gap="")
    html = response.get_data(as_text=True)
    [comment] = _comments(proposal.thread_id)
    assert response.status_code == 200 and "HX-Request" in response.headers["Vary"]
    assert response.headers["HX-Trigger"] == "comment-posted"
    assert "<html" not in html and "<nav" not in html
    assert len(response.data) < 4096, len(response.data)
    # The form comes back empty (reset), the comment goes out of band to the end of the list.
    form = re.search(r'<form class="comment-form" id="comment-form-\d+".*?</form>', html, re.S).group(0)
    assert "什么时候开始施工" not in form and 'value="question" checked' not in form
    assert f'hx-swap-oob="beforeend:#comments-late-{proposal.thread_id}"' in html
    assert comment_ids(html) == [comment.id] and "Opinion: Question" in html
    # The poller moves on to the new version, so the next poll does not bring the same comment again.
    assert f'name="v" value="{comment.changed_version}"' in html and f'name="last" value="{comment.id}"' in html


def test_htmx_post_in_newest_first_order_goes_to_the_top(client, login_as, place, proposal):
    login_as(place["neighbour"])
    html = _post(client, place["community"], proposal, HTMX, body="新的在上面", order="newest", v="0", last="0",
                 gap="").get_data(as_text=True)
    assert f'hx-swap-oob="afterbegin:#comments-{proposal.thread_id}"' in html


def test_a_reply_goes_into_its_parents_replies_and_the_inline_form_closes(client, login_as, place, proposal):
    community = place["community"]
    login_as(place["author"])
    _post(client, community, proposal, body="第一条")
    [top] = _comments(proposal.thread_id)
    thread = db.session.get(Thread, proposal.thread_id)
    login_as(place["neighbour"])
    response = _post(client, community, proposal, HTMX, body="我来回复", parent_id=str(top.id), inline="y",
                     order="oldest", v=str(thread.version), last=str(top.id), gap="")
    html = response.get_data(as_text=True)
    reply = _comments(proposal.thread_id)[-1]
    assert response.status_code == 200 and reply.parent_id == top.id
    assert '<form class="comment-form' not in html  # the inline form is replaced by nothing
    assert f'hx-swap-oob="beforeend:#replies-{top.id}"' in html and comment_ids(html) == [reply.id]


def test_a_reply_to_a_reply_hangs_under_the_top_level_comment(client, login_as, place, proposal):
    community = place["community"]
    login_as(place["author"])
    _post(client, community, proposal, body="顶层")
    [top] = _comments(proposal.thread_id)
    login_as(place["neighbour"])
    _post(client, community, proposal, body="一楼回复", parent_id=str(top.id))
    first_reply = _comments(proposal.thread_id)[-1]
    login_as(place["third"])
    _post(client, community, proposal, body="回复的回复", parent_id=str(first_reply.id))
    second_reply = _comments(proposal.thread_id)[-1]
    assert first_reply.parent_id == top.id and second_reply.parent_id == top.id


def test_a_quote_keeps_a_short_plain_excerpt_shown_escaped_with_the_authors_label(client, login_as, place, proposal):
    community = place["community"]
    login_as(place["author"])
    long_text = "**物业**说 <b>下个月</b> 开工。" + "很长的说明" * 40
    _post(client, community, proposal, body=long_text)
    [quoted] = _comments(proposal.thread_id)
    login_as(place["neighbour"])
    english(client)
    _post(client, community, proposal, body="真的吗？", parent_id=str(quoted.id), quote_id=str(quoted.id))
    reply = _comments(proposal.thread_id)[-1]
    assert reply.quoted_id == quoted.id and len(reply.quote_text) <= 120
    assert reply.quote_text.startswith("物业说 <b>下个月</b> 开工。") and "**" not in reply.quote_text
    html = client.get(f"/c/{community.slug}/proposals/{proposal.id}").get_data(as_text=True)
    quote = re.search(r'<blockquote class="comment-quote">(.*?)</blockquote>', html, re.S).group(1)
    assert "王阿姨" in quote and "wrote:" in quote
    assert "&lt;b&gt;下个月&lt;/b&gt;" in quote and "<b>" not in quote


def test_a_quote_of_another_threads_comment_is_ignored(client, login_as, place, proposal, make_proposal):
    community = place["community"]
    other = make_proposal(community, place["author"], title="别的提议")
    login_as(place["author"])
    _post(client, community, other, body="别处的话")
    [elsewhere] = _comments(other.thread_id)
    login_as(place["neighbour"])
    assert _post(client, community, proposal, body="引用", quote_id=str(elsewhere.id)).status_code == 303
    [comment] = _comments(proposal.thread_id)
    assert comment.quoted_id is None and comment.quote_text == ""


def test_a_comment_on_a_project_works_the_same(client, login_as, place, make_project):
    project = make_project(place["community"])
    login_as(place["neighbour"])
    response = client.post(thread_url(project, place["community"]), data={"body": "会客厅放几把椅子？"})
    [comment] = _comments(project.thread_id)
    assert response.headers["Location"].endswith(f"/projects/{project.id}#comment-{comment.id}")
    assert db.session.get(Thread, project.thread_id).comment_count == 1


@pytest.mark.parametrize("body, message", [
    ("   \n  ", "Write something before sending."),
    ("很" * 5001, "at most 5000 characters"),
])
def test_empty_or_too_long_is_refused_with_the_text_kept(client, login_as, place, proposal, body, message):
    login_as(place["neighbour"])
    english(client)
    for headers in ({}, HTMX):
        response = _post(client, place["community"], proposal, headers, body=body, opinion="against")
        html = response.get_data(as_text=True)
        assert response.status_code == 422 and message in html
        assert body.strip()[:100] in html and 'value="against" checked' in html
        assert ("<html" in html) is (headers == {})
    assert _comments(proposal.thread_id) == []


def _refusal(client, community, proposal):
    response = client.post(thread_url(proposal, community), data={"body": "我的意见很重要"}, headers=HTMX)
    return response.status_code, response.get_data(as_text=True)


def test_a_locked_thread_refuses_with_the_reason_and_keeps_the_text(client, login_as, place, proposal):
    thread = db.session.get(Thread, proposal.thread_id)
    thread.is_locked, thread.locked_reason = True, "争吵过多"
    db.session.commit()
    login_as(place["neighbour"])
    english(client)
    status, html = _refusal(client, place["community"], proposal)
    assert status == 422 and "locked" in html and "争吵过多" in html and "我的意见很重要" in html
    assert _comments(proposal.thread_id) == []


@pytest.mark.parametrize("status, hidden, words", [
    (ProposalStatus.WITHDRAWN, False, "withdrew"),
    (ProposalStatus.OPEN, True, "hid this proposal"),
])
def test_a_withdrawn_or_hidden_proposal_refuses_comments(client, login_as, place, make_proposal, status, hidden,
                                                         words):
    proposal = make_proposal(place["community"], place["author"], status=status, hidden=hidden)
    login_as(place["neighbour"])
    english(client)
    code, html = _refusal(client, place["community"], proposal)
    assert code == 422 and words in html and "我的意见很重要" in html
    assert _comments(proposal.thread_id) == []


def test_a_draft_is_refused_to_its_author_and_invisible_to_others(client, login_as, place, make_proposal):
    draft = make_proposal(place["community"], place["author"], status=ProposalStatus.DRAFT)
    login_as(place["neighbour"])
    assert _refusal(client, place["community"], draft)[0] == 404
    login_as(place["author"])
    english(client)
    code, html = _refusal(client, place["community"], draft)
    assert code == 422 and "draft" in html and "我的意见很重要" in html
    assert _comments(draft.thread_id) == []


def test_another_communitys_thread_and_non_members_get_404(client, login_as, place, proposal, make_household,
                                                            make_member, make_proposal):
    community = place["community"]
    other_home = make_household()
    foreign = make_proposal(other_home.building.community, make_member(other_home))
    login_as(place["neighbour"])
    # Another community's thread through this community's URL, and through its own.
    assert client.post(f"/c/{community.slug}/threads/{foreign.thread_id}/comments", data={"body": "x"}).status_code == 404
    assert client.post(thread_url(foreign, other_home.building.community), data={"body": "x"}).status_code == 404
    login_as(place["outsider"])
    assert _post(client, community, proposal, body="x").status_code == 404
    assert _post(client, community, proposal, HTMX, body="x").status_code == 404
    assert db.session.execute(db.select(Comment)).scalars().all() == []


def test_notifications_reply_to_the_parent_author_comment_to_the_proposal_author(client, login_as, place, proposal):
    community = place["community"]
    login_as(place["neighbour"])
    _post(client, community, proposal, body="顶层 **意见**")
    [top] = _comments(proposal.thread_id)
    login_as(place["third"])
    _post(client, community, proposal, body="回复李师傅", parent_id=str(top.id))
    login_as(place["author"])
    _post(client, community, proposal, body="作者自己也说一句")
    notes = db.session.execute(db.select(Notification).order_by(Notification.id)).scalars().all()
    got = [(n.user_id, n.kind, n.actor_id) for n in notes]
    assert got == [
        (place["author"].id, NoticeKind.COMMENT, place["neighbour"].id),
        (place["neighbour"].id, NoticeKind.REPLY, place["third"].id),
        (place["author"].id, NoticeKind.COMMENT, place["third"].id),
    ]  # and nothing for the author's own comment
    assert notes[0].summary == "顶层 意见" and notes[0].proposal_id == proposal.id and notes[0].comment_id == top.id


def test_a_reply_to_the_proposal_authors_comment_notifies_them_once(client, login_as, place, proposal):
    community = place["community"]
    login_as(place["author"])
    _post(client, community, proposal, body="作者的评论")
    [top] = _comments(proposal.thread_id)
    login_as(place["neighbour"])
    _post(client, community, proposal, body="回复作者", parent_id=str(top.id))
    notes = db.session.execute(db.select(Notification)).scalars().all()
    assert [(n.user_id, n.kind) for n in notes] == [(place["author"].id, NoticeKind.REPLY)]


def test_project_comments_notify_nobody_but_replies_do(client, login_as, place, make_project):
    project = make_project(place["community"])
    login_as(place["neighbour"])
    client.post(thread_url(project, place["community"]), data={"body": "项目评论"})
    [top] = _comments(project.thread_id)
    assert db.session.execute(db.select(Notification)).scalars().all() == []
    login_as(place["third"])
    client.post(thread_url(project, place["community"]), data={"body": "回复", "parent_id": top.id})
    [note] = db.session.execute(db.select(Notification)).scalars().all()
    assert note.kind is NoticeKind.REPLY and note.project_id == project.id and note.user_id == place["neighbour"].id
