"""Reminders: 24 hours and 2 hours before, to those going only, never twice; the cron command."""
from datetime import timedelta

from civic.clock import utcnow
from civic.extensions import db
from civic.meetings import rsvp
from civic.meetings.models import MeetingStatus, Rsvp
from civic.meetings.reminders import send_reminders
from civic.notices.models import NoticeKind, Notification


def _reminders(user=None):
    query = db.select(Notification).where(Notification.kind == NoticeKind.MEETING_REMINDER)
    if user is not None:
        query = query.where(Notification.user_id == user.id)
    return db.session.execute(query).scalars().all()


def _sign_up(meeting, world, now):
    """王阿姨 and 李叔 going, 赵姐 waiting (capacity 2), 王伯伯 not going."""
    for user, going in ((world.organiser, True), (world.neighbour, True), (world.far_neighbour, True),
                        (world.spouse, False)):
        rsvp.respond(meeting, user.id, None, going, now=now)
    db.session.commit()


def test_day_then_hours_reminder_each_once_to_those_going(world, make_meeting):
    now = utcnow().replace(microsecond=0)
    meeting = make_meeting(starts_at=now + timedelta(hours=23), capacity=2)
    _sign_up(meeting, world, now)

    assert send_reminders(now) == 2
    db.session.commit()
    assert send_reminders(now + timedelta(minutes=10)) == 0
    assert {n.user_id for n in _reminders()} == {world.organiser.id, world.neighbour.id}
    assert _reminders(world.far_neighbour) == [] and _reminders(world.spouse) == []
    notice = _reminders(world.neighbour)[0]
    assert notice.meeting_id == meeting.id and meeting.title in notice.summary and meeting.place in notice.summary

    later = meeting.starts_at - timedelta(minutes=90)
    assert send_reminders(later) == 2
    db.session.commit()
    assert send_reminders(later + timedelta(minutes=5)) == 0
    assert len(_reminders(world.neighbour)) == 2
    assert send_reminders(meeting.starts_at + timedelta(minutes=1)) == 0  # started: nothing more


def test_a_meeting_an_hour_away_gets_only_the_two_hour_reminder(world, make_meeting):
    now = utcnow().replace(microsecond=0)
    meeting = make_meeting(starts_at=now + timedelta(hours=1))
    _sign_up(meeting, world, now)
    assert send_reminders(now) == 3
    db.session.commit()
    assert send_reminders(now + timedelta(minutes=1)) == 0
    assert len(_reminders(world.neighbour)) == 1
    row = db.session.execute(db.select(Rsvp).where(Rsvp.user_id == world.neighbour.id)).scalar_one()
    assert row.reminded_hours_at == now and row.reminded_day_at is None


def test_far_cancelled_and_polling_meetings_are_not_reminded(world, make_meeting):
    now = utcnow().replace(microsecond=0)
    far = make_meeting(starts_at=now + timedelta(hours=30))
    cancelled = make_meeting(starts_at=now + timedelta(hours=3))
    for meeting in (far, cancelled):
        _sign_up(meeting, world, now)
    cancelled.status = MeetingStatus.CANCELLED
    make_meeting(status=MeetingStatus.POLLING)
    db.session.commit()
    assert send_reminders(now) == 0
    assert _reminders() == []


def test_cron_command_sends_and_says_how_many(world, make_meeting, runner):
    now = utcnow().replace(microsecond=0)
    meeting = make_meeting(starts_at=now + timedelta(hours=5))
    _sign_up(meeting, world, now)
    first = runner.invoke(args=["meetings", "send-reminders"])
    assert first.exit_code == 0 and "Sent 3 " in first.output
    second = runner.invoke(args=["meetings", "send-reminders"])
    assert second.exit_code == 0 and "Sent 0 " in second.output
    db.session.rollback()
    assert len(_reminders()) == 3
