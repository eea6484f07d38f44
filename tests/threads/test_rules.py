"""Comment rules with the clock passed in: the 15-minute edit window, withdrawing, who reads hidden text."""
from datetime import datetime, timedelta

from civic.community.models import Role
from civic.community.rules import Standing
from civic.threads import rules
from civic.threads.models import Comment, Thread

POSTED = datetime(2025, 6, 1, 9, 0)


def _comment(**overrides) -> Comment:
    return Comment(**{"id": 1, "thread_id": 1, "author_id": 7, "body_md": "x", "body_html": "<p>x</p>",
                      "created_at": POSTED, **overrides})


AUTHOR = Standing(7, 1, household_ids=(3,))
NEIGHBOUR = Standing(8, 1, household_ids=(4,))
COMMITTEE = Standing(9, 1, roles=frozenset({Role.RESIDENTS_COMMITTEE}))


def test_the_author_may_edit_for_fifteen_minutes():
    comment = _comment()
    assert rules.can_edit_comment(AUTHOR, comment, POSTED + timedelta(minutes=14))
    assert rules.can_edit_comment(AUTHOR, comment, POSTED + timedelta(minutes=15))
    assert not rules.can_edit_comment(AUTHOR, comment, POSTED + timedelta(minutes=16))
    assert not rules.can_edit_comment(NEIGHBOUR, comment, POSTED + timedelta(minutes=1))
    assert not rules.can_edit_comment(COMMITTEE, comment, POSTED + timedelta(minutes=1))


def test_withdrawn_or_hidden_comments_cannot_be_edited():
    later = POSTED + timedelta(minutes=1)
    assert not rules.can_edit_comment(AUTHOR, _comment(withdrawn_at=later), later)
    assert not rules.can_edit_comment(AUTHOR, _comment(hidden_at=later), later)


def test_the_author_may_withdraw_at_any_time_once():
    assert rules.can_withdraw_comment(AUTHOR, _comment())
    assert rules.can_withdraw_comment(AUTHOR, _comment(hidden_at=POSTED))
    assert not rules.can_withdraw_comment(AUTHOR, _comment(withdrawn_at=POSTED))
    assert not rules.can_withdraw_comment(NEIGHBOUR, _comment())
    assert not rules.can_withdraw_comment(Standing(None, 1), _comment(author_id=None))


def test_hidden_text_is_read_by_its_author_and_the_committee_withdrawn_text_by_nobody():
    hidden = _comment(hidden_at=POSTED, hidden_reason="广告")
    assert rules.can_read_comment_text(AUTHOR, hidden) and rules.can_read_comment_text(COMMITTEE, hidden)
    assert not rules.can_read_comment_text(NEIGHBOUR, hidden)
    withdrawn = _comment(withdrawn_at=POSTED)
    assert not any(rules.can_read_comment_text(st, withdrawn) for st in (AUTHOR, NEIGHBOUR, COMMITTEE))
    assert rules.can_read_comment_text(NEIGHBOUR, _comment())


def test_only_members_post_and_only_on_an_open_thread():
    thread = Thread(id=1, community_id=1, is_locked=False)
    assert rules.can_post_comment(NEIGHBOUR, thread, True)
    assert rules.can_post_comment(COMMITTEE, thread, True)  # the committee without a household here too
    assert not rules.can_post_comment(NEIGHBOUR, thread, False)
    assert not rules.can_post_comment(Standing(8, 1), thread, True)  # not a member
    assert not rules.can_post_comment(Standing(8, 2, household_ids=(4,)), thread, True)  # another community
    assert not rules.can_post_comment(NEIGHBOUR, Thread(id=1, community_id=1, is_locked=True), True)


def test_only_visible_comments_are_quotable():
    assert rules.is_quotable(_comment())
    assert not rules.is_quotable(_comment(hidden_at=POSTED))
    assert not rules.is_quotable(_comment(withdrawn_at=POSTED))
