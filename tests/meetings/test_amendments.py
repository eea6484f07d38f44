"""Amendments: attendees only, within 3 days; accept makes a new version (history kept), decline needs a reason."""
from datetime import timedelta

import pytest
from flask_babel import force_locale

from civic.clock import utcnow
from civic.community.rules import standing_of
from civic.errors import RuleViolation
from civic.extensions import db
from civic.meetings import minutes, rules
from civic.meetings.localtime import to_local
from civic.meetings.models import AmendmentStatus, MinutesAmendment, MinutesVersion
from civic.notices.models import NoticeKind
from tests.meetings.minutes_support import held_meeting, notices, publish, sign_in

FIXED = "## 会议记录\n\n大家同意改造垃圾厢房，物业负责清运。"


@pytest.fixture
def published(world, make_meeting):
    meeting = held_meeting(make_meeting)
    sign_in(meeting, world.organiser, world.neighbour, world.far_neighbour)
    publish(meeting, world.organiser, decisions=["同意改造", "下月验收"])
    return meeting


def _propose(meeting, user, body=FIXED, reason="漏了清运安排", now=None):
    amendment = minutes.propose_amendment(meeting, proposer=user, body_md=body, reason=reason, now=now or utcnow())
    db.session.commit()
    return amendment


def test_an_attendee_proposes_and_the_organiser_hears_of_it(world, published):
    amendment = _propose(published, world.neighbour)
    assert amendment.status is AmendmentStatus.PENDING and amendment.base_number == 1
    assert "清运" in amendment.body_html
    assert len(notices(world.organiser, NoticeKind.AMENDMENT)) == 1
    assert notices(world.organiser, NoticeKind.AMENDMENT)[0].meeting_id == published.id


def test_after_the_window_an_amendment_is_refused_with_the_date(app, world, published):
    late = published.minutes_published_at + rules.AMENDMENT_WINDOW + timedelta(seconds=1)
    with app.test_request_context(), force_locale("en"), pytest.raises(RuleViolation) as error:
        minutes.propose_amendment(published, proposer=world.neighbour, body_md=FIXED, reason="漏了", now=late)
    assert "3-day window for amendments closed on" in error.value.message
    assert to_local(minutes.window_closes_at(published)).strftime("%Y-%m-%d %H:%M") in error.value.message
    assert db.session.execute(db.select(MinutesAmendment)).first() is None


def test_a_non_attendee_is_refused(world, published):
    with pytest.raises(RuleViolation):
        minutes.propose_amendment(published, proposer=world.spouse, body_md=FIXED, reason="漏了", now=utcnow())
    standing = standing_of(world.spouse, world.community)
    assert not rules.can_propose_amendment(standing, published, utcnow(), has_attended=False)


@pytest.mark.parametrize("body, reason, field", [
    (FIXED, "", "reason"), (FIXED, "x", "reason"), (FIXED, "长" * 201, "reason"),
    ("", "漏了清运", "body"), ("## 会议记录\n\n大家同意改造垃圾厢房。", "没改", "body"),
])
def test_an_amendment_needs_a_reason_and_a_changed_text(world, published, body, reason, field):
    with pytest.raises(RuleViolation) as error:
        minutes.propose_amendment(published, proposer=world.neighbour, body_md=body, reason=reason, now=utcnow())
    assert error.value.field == field


def test_accept_makes_version_two_and_keeps_version_one(world, published):
    amendment = _propose(published, world.neighbour)
    version = minutes.accept_amendment(amendment, actor=world.organiser, now=utcnow())
    db.session.commit()
    assert version.number == 2 and version.body_md == FIXED and version.amendment_id == amendment.id
    assert version.decisions == ["同意改造", "下月验收"]  # the current decisions carry over
    assert "李叔 · 7号楼" in version.note
    assert [v.number for v in minutes.versions(published)] == [2, 1]
    assert "清运" not in minutes.versions(published)[1].body_md
    assert amendment.status is AmendmentStatus.ACCEPTED and amendment.decided_by_id == world.organiser.id
    assert len(notices(world.neighbour, NoticeKind.AMENDMENT)) == 1
    assert len(notices(world.neighbour, NoticeKind.MINUTES_PUBLISHED)) == 1  # the proposer heard by AMENDMENT
    assert len(notices(world.far_neighbour, NoticeKind.MINUTES_PUBLISHED)) == 2  # told of the new version


def test_accepting_twice_makes_one_version(world, published):
    amendment = _propose(published, world.neighbour)
    minutes.accept_amendment(amendment, actor=world.organiser, now=utcnow())
    db.session.commit()
    with pytest.raises(RuleViolation):
        minutes.accept_amendment(amendment, actor=world.committee, now=utcnow())
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(MinutesVersion)) == 2


def test_decline_needs_a_reason_and_tells_the_proposer(world, published):
    amendment = _propose(published, world.neighbour)
    for empty in ("", " ", "x"):
        with pytest.raises(RuleViolation) as error:
            minutes.decline_amendment(amendment, empty, actor=world.organiser, now=utcnow())
        assert error.value.field == "reason"
    assert amendment.status is AmendmentStatus.PENDING
    minutes.decline_amendment(amendment, "会上没有这样决定", actor=world.organiser, now=utcnow())
    db.session.commit()
    assert amendment.status is AmendmentStatus.DECLINED and amendment.decline_reason == "会上没有这样决定"
    assert len(notices(world.neighbour, NoticeKind.AMENDMENT)) == 1
    with pytest.raises(RuleViolation):  # a decided amendment cannot be accepted afterwards
        minutes.accept_amendment(amendment, actor=world.organiser, now=utcnow())
    db.session.rollback()
    assert minutes.current_version(published).number == 1


def test_amendments_are_scoped_to_their_meeting(world, make_meeting, published):
    amendment = _propose(published, world.neighbour)
    other = held_meeting(make_meeting, title="另一个会")
    assert minutes.amendment_in(other, amendment.id) is None
    assert minutes.amendment_in(published, amendment.id).id == amendment.id
