"""Sign-in: the code and its window, by hand, undo, counts by person and household."""
from datetime import datetime, timedelta

import pytest

from civic.audit.models import AuditEvent
from civic.clock import utcnow
from civic.errors import RuleViolation
from civic.extensions import db
from civic.meetings import rsvp, signin
from civic.meetings.localtime import to_utc
from civic.meetings.models import Attendance, MeetingStatus, SignInMethod


@pytest.fixture
def today(make_meeting):
    """A meeting starting in an hour: sign-in is open now."""
    return make_meeting(starts_at=utcnow().replace(microsecond=0) + timedelta(hours=1))


def _rows(meeting):
    return db.session.execute(db.select(Attendance).where(Attendance.meeting_id == meeting.id)).scalars().all()


def test_the_right_code_typed_loosely_signs_in_once(world, today):
    loose = " " + "-".join(today.signin_code.lower()) + " "
    assert signin.check_in(today, world.neighbour, loose, now=utcnow()) is True
    assert signin.check_in(today, world.neighbour, today.signin_code, now=utcnow()) is False
    db.session.commit()
    [row] = _rows(today)
    assert row.user_id == world.neighbour.id and row.method is SignInMethod.CODE
    assert row.household_id == world.neighbour_home.id


def test_household_is_the_one_answered_for(world, today):
    rsvp.respond(today, world.neighbour.id, world.far_home.id, True, now=utcnow())
    signin.check_in(today, world.neighbour, today.signin_code, now=utcnow())
    assert _rows(today)[0].household_id == world.far_home.id


@pytest.mark.parametrize("code", ["", "ZZZZZZ", "other"])
def test_a_wrong_code_or_another_meetings_code_is_wrong(world, today, make_meeting, code):
    if code == "other":
        code = make_meeting(starts_at=today.starts_at).signin_code
    elif code == "ZZZZZZ" and today.signin_code == code:
        code = "YYYYYY"
    with pytest.raises(RuleViolation) as refused:
        signin.check_in(today, world.neighbour, code, now=utcnow())
    assert refused.value.field == "code"
    wrong = refused.value.message
    with pytest.raises(RuleViolation) as again:
        signin.check_in(today, world.neighbour, "22222", now=utcnow())
    assert again.value.message == wrong  # a guess learns nothing more than "wrong"
    assert _rows(today) == []


def test_code_works_from_two_hours_before_until_the_end_of_the_local_day(world, make_meeting):
    # 23:00–23:30 Shanghai time: the day ends at midnight local time, 16:00 UTC.
    starts = to_utc(datetime(2031, 5, 6, 23, 0))
    meeting = make_meeting(starts_at=starts, hours=0.5)
    code = meeting.signin_code
    with pytest.raises(RuleViolation) as early:
        signin.check_in(meeting, world.neighbour, code, now=starts - timedelta(hours=2, minutes=1))
    assert early.value.message == signin.refusal(meeting, starts - timedelta(hours=3))
    assert "21:00" in early.value.message
    with pytest.raises(RuleViolation) as late:
        signin.check_in(meeting, world.neighbour, code, now=to_utc(datetime(2031, 5, 7, 0, 1)))
    assert late.value.message != early.value.message
    assert signin.check_in(meeting, world.neighbour, code, now=to_utc(datetime(2031, 5, 6, 23, 59))) is True
    assert signin.check_in(meeting, world.spouse, code, now=starts - timedelta(hours=2)) is True


def test_a_cancelled_meetings_code_does_not_work(world, make_meeting):
    meeting = make_meeting(starts_at=utcnow() + timedelta(hours=1), status=MeetingStatus.CANCELLED)
    with pytest.raises(RuleViolation):
        signin.check_in(meeting, world.neighbour, meeting.signin_code, now=utcnow())


def test_by_hand_a_member_a_typed_name_and_counts(world, today):
    now = utcnow()
    assert signin.sign_in_by_hand(today, user_id=world.neighbour.id, actor=world.organiser, now=now) is not None
    assert signin.sign_in_by_hand(today, user_id=world.neighbour.id, actor=world.organiser, now=now) is None
    signin.check_in(today, world.spouse, today.signin_code, now=now)
    signin.check_in(today, world.organiser, today.signin_code, now=now)
    typed = signin.sign_in_by_hand(today, name="  张阿姨 ", actor=world.organiser, now=now)
    with_home = signin.sign_in_by_hand(today, name="刘师傅", household_id=world.far_home.id, actor=world.organiser,
                                       now=now)
    db.session.commit()
    assert typed.name == "张阿姨" and typed.user_id is None and typed.method is SignInMethod.MANUAL
    assert typed.signed_in_by_id == world.organiser.id and with_home.household_id == world.far_home.id
    # 5 people: 李叔, 王伯伯 and 王阿姨 (one home), 张阿姨 (no household), 刘师傅 (赵姐's home)
    assert signin.counts(today) == (5, 3)
    labels = [a.label for a in signin.attendees(today)]
    assert "李叔 · 7号楼" in labels and "张阿姨" in labels and "刘师傅 · 8号楼" in labels
    assert not any(world.home.room in label for label in labels)
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "meeting.signin_by_hand")) == 3


@pytest.mark.parametrize("kwargs, field", [
    ({}, "user_id"),
    ({"name": "<b>张</b>"}, "name"),
    ({"name": "张\u202e阿姨"}, "name"),
    ({"name": "张" * 21}, "name"),
    ({"household_id": -1, "name": "张阿姨"}, "household_id"),
])
def test_by_hand_refuses_bad_input(world, today, kwargs, field):
    with pytest.raises(RuleViolation) as refused:
        signin.sign_in_by_hand(today, actor=world.organiser, now=utcnow(), **kwargs)
    assert refused.value.field == field
    assert _rows(today) == []


def test_by_hand_refuses_people_and_households_of_another_community(world, today):
    with pytest.raises(RuleViolation):
        signin.sign_in_by_hand(today, user_id=world.outsider.id, actor=world.organiser, now=utcnow())
    other_home = world.outsider.memberships[0].household_id
    with pytest.raises(RuleViolation):
        signin.sign_in_by_hand(today, name="外人", household_id=other_home, actor=world.organiser, now=utcnow())
    assert _rows(today) == []


def test_undo_takes_a_sign_in_back(world, today, make_meeting):
    row = signin.sign_in_by_hand(today, name="张阿姨", actor=world.organiser, now=utcnow())
    db.session.commit()
    other = make_meeting()
    assert signin.undo_sign_in(other, row.id, actor=world.organiser, now=utcnow()) is False
    assert signin.undo_sign_in(today, row.id, actor=world.organiser, now=utcnow()) is True
    db.session.commit()
    assert _rows(today) == []
    assert signin.counts(today) == (0, 0)
