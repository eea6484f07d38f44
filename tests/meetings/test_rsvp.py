"""RSVP: capacity, the waiting list in order, promotion with a notice, idempotent clicks, refusals."""
from datetime import timedelta

import pytest

from civic.clock import utcnow
from civic.errors import RuleViolation
from civic.extensions import db
from civic.meetings import rsvp
from civic.meetings.models import Meeting, MeetingStatus, Rsvp, RsvpStatus
from civic.notices.models import NoticeKind, Notification

GOING, WAITLIST, NOT_GOING = RsvpStatus.GOING, RsvpStatus.WAITLIST, RsvpStatus.NOT_GOING


def _answer(meeting, user, going=True, *, now=None):
    household = user.memberships[0].household_id if user.memberships else None
    status = rsvp.respond(meeting, user.id, household, going, now=now or utcnow())
    db.session.commit()
    return status


def _row(meeting, user) -> Rsvp:
    return db.session.execute(db.select(Rsvp).where(Rsvp.meeting_id == meeting.id, Rsvp.user_id == user.id)).scalar_one()


def _going_count(meeting) -> int:
    return db.session.execute(db.select(Meeting.going_count).where(Meeting.id == meeting.id)).scalar_one()


def _notices(user, kind):
    return db.session.execute(db.select(Notification).where(Notification.user_id == user.id,
                                                            Notification.kind == kind)).scalars().all()


def test_capacity_reached_further_answers_wait_in_order(world, make_meeting):
    meeting = make_meeting(capacity=2)
    now = utcnow()
    assert _answer(meeting, world.organiser, now=now) is GOING
    assert _answer(meeting, world.spouse, now=now) is GOING
    assert _answer(meeting, world.neighbour, now=now + timedelta(seconds=1)) is WAITLIST
    assert _answer(meeting, world.far_neighbour, now=now + timedelta(seconds=2)) is WAITLIST
    assert _going_count(meeting) == 2
    assert rsvp.counts(meeting) == (2, 2)
    assert rsvp.waitlist_position(_row(meeting, world.neighbour)) == 1
    assert rsvp.waitlist_position(_row(meeting, world.far_neighbour)) == 2
    assert _row(meeting, world.neighbour).waitlisted_at == now + timedelta(seconds=1)
    assert rsvp.going_households(meeting) == 1  # 王阿姨 and 王伯伯 share a home


def test_a_second_going_click_changes_nothing(world, make_meeting):
    meeting = make_meeting(capacity=5)
    assert _answer(meeting, world.neighbour) is GOING
    assert _answer(meeting, world.neighbour) is GOING
    assert _going_count(meeting) == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(Rsvp)) == 1


def test_waiting_person_clicking_going_again_keeps_their_place(world, make_meeting):
    meeting = make_meeting(capacity=1)
    _answer(meeting, world.organiser)
    assert _answer(meeting, world.neighbour) is WAITLIST
    first_wait = _row(meeting, world.neighbour).waitlisted_at
    assert _answer(meeting, world.neighbour, now=utcnow() + timedelta(minutes=5)) is WAITLIST
    assert _row(meeting, world.neighbour).waitlisted_at == first_wait


def test_leaving_promotes_the_first_waiting_person_and_tells_them(world, make_meeting):
    meeting = make_meeting(capacity=2)
    now = utcnow()
    _answer(meeting, world.organiser, now=now)
    _answer(meeting, world.spouse, now=now)
    _answer(meeting, world.neighbour, now=now + timedelta(seconds=1))
    _answer(meeting, world.far_neighbour, now=now + timedelta(seconds=2))

    assert _answer(meeting, world.spouse, going=False) is NOT_GOING
    assert _row(meeting, world.neighbour).status is GOING
    assert _row(meeting, world.neighbour).promoted_at is not None
    assert _row(meeting, world.far_neighbour).status is WAITLIST
    assert rsvp.waitlist_position(_row(meeting, world.far_neighbour)) == 1
    assert _going_count(meeting) == 2
    [notice] = _notices(world.neighbour, NoticeKind.WAITLIST_PROMOTED)
    assert notice.meeting_id == meeting.id and notice.summary == meeting.title
    assert _notices(world.far_neighbour, NoticeKind.WAITLIST_PROMOTED) == []


def test_leaving_the_waiting_list_promotes_nobody(world, make_meeting):
    meeting = make_meeting(capacity=1)
    _answer(meeting, world.organiser)
    _answer(meeting, world.neighbour)
    _answer(meeting, world.far_neighbour)
    assert _answer(meeting, world.neighbour, going=False) is NOT_GOING
    assert _row(meeting, world.neighbour).waitlisted_at is None
    assert _row(meeting, world.far_neighbour).status is WAITLIST
    assert rsvp.waitlist_position(_row(meeting, world.far_neighbour)) == 1
    assert _going_count(meeting) == 1
    assert db.session.scalar(db.select(db.func.count()).select_from(Notification)) == 0


def test_coming_back_after_leaving_goes_to_the_back_of_the_list(world, make_meeting):
    meeting = make_meeting(capacity=1)
    now = utcnow()
    _answer(meeting, world.organiser, now=now)
    _answer(meeting, world.neighbour, now=now)
    _answer(meeting, world.far_neighbour, now=now + timedelta(seconds=1))
    _answer(meeting, world.neighbour, going=False, now=now + timedelta(seconds=2))
    assert _answer(meeting, world.neighbour, now=now + timedelta(seconds=3)) is WAITLIST
    assert rsvp.waitlist_position(_row(meeting, world.neighbour)) == 2


def test_not_going_without_an_answer_is_recorded(world, make_meeting):
    meeting = make_meeting()
    assert _answer(meeting, world.neighbour, going=False) is NOT_GOING
    assert _row(meeting, world.neighbour).status is NOT_GOING
    assert _going_count(meeting) == 0


def test_no_capacity_means_everybody_goes(world, make_meeting):
    meeting = make_meeting(capacity=None)
    for user in (world.organiser, world.spouse, world.neighbour, world.far_neighbour, world.committee):
        assert _answer(meeting, user) is GOING
    assert _going_count(meeting) == 5
    assert _row(meeting, world.committee).household_id is None  # staff living elsewhere answer too


@pytest.mark.parametrize("state", ["cancelled", "polling", "ended"])
def test_refused_for_cancelled_polling_or_ended_meetings(world, make_meeting, state):
    if state == "cancelled":
        meeting = make_meeting(status=MeetingStatus.CANCELLED)
    elif state == "polling":
        meeting = make_meeting(status=MeetingStatus.POLLING)
    else:
        meeting = make_meeting(starts_at=utcnow() - timedelta(hours=3))
    with pytest.raises(RuleViolation) as refused:
        rsvp.respond(meeting, world.neighbour.id, world.neighbour_home.id, True, now=utcnow())
    assert refused.value.message == rsvp.refusal(meeting, utcnow())
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(Rsvp)) == 0


def test_raising_the_capacity_fills_places_from_the_waiting_list(world, make_meeting):
    meeting = make_meeting(capacity=1)
    now = utcnow()
    _answer(meeting, world.organiser, now=now)
    _answer(meeting, world.neighbour, now=now + timedelta(seconds=1))
    _answer(meeting, world.far_neighbour, now=now + timedelta(seconds=2))
    _answer(meeting, world.spouse, now=now + timedelta(seconds=3))
    meeting.capacity = 3
    db.session.commit()
    promoted = rsvp.fill_from_waitlist(meeting, now)
    db.session.commit()
    assert promoted == [world.neighbour.id, world.far_neighbour.id]
    assert _going_count(meeting) == 3
    assert _row(meeting, world.spouse).status is WAITLIST
    assert len(_notices(world.far_neighbour, NoticeKind.WAITLIST_PROMOTED)) == 1


def test_going_list_shows_people_in_answer_order(world, make_meeting):
    meeting = make_meeting()
    now = utcnow()
    _answer(meeting, world.neighbour, now=now)
    _answer(meeting, world.far_neighbour, now=now + timedelta(seconds=1))
    _answer(meeting, world.spouse, going=False, now=now)
    assert [u.id for u in rsvp.people(meeting)] == [world.neighbour.id, world.far_neighbour.id]
