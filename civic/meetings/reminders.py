"""Reminders for cron: 24 hours and 2 hours before a meeting, to those going; never twice, however often it runs."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from civic.extensions import db
from civic.meetings.localtime import to_local
from civic.meetings.models import Meeting, MeetingStatus, Rsvp, RsvpStatus
from civic.notices.models import NoticeKind
from civic.notices.services import notify

DAY_BEFORE = timedelta(hours=24)
HOURS_BEFORE = timedelta(hours=2)


def send_reminders(now: datetime) -> int:
    """Remind everyone going to a meeting that starts soon; returns how many notices were sent. The caller commits.

    A meeting within 24 hours (but more than 2 away) gets the day reminder, one within 2 hours the hours
    reminder; so a meeting an hour away when someone signed up gets only the 2-hour one, not both.
    """
    day = _claim(Rsvp.reminded_day_at, _starting(now + HOURS_BEFORE, now + DAY_BEFORE), now)
    hours = _claim(Rsvp.reminded_hours_at, _starting(now, now + HOURS_BEFORE), now)
    return _notify(day, now) + _notify(hours, now)


def _starting(after: datetime, until: datetime):  # noqa: ANN202
    """Scheduled meetings starting in (after, until]."""
    return db.select(Meeting.id).where(Meeting.status == MeetingStatus.SCHEDULED, Meeting.starts_at > after,
                                       Meeting.starts_at <= until)


def _claim(column, meeting_ids, now: datetime) -> list[tuple[int, int]]:  # noqa: ANN001
    """Mark the reminders as sent in one conditional UPDATE (… IS NULL): of two runs at once, each row goes to one."""
    rows = db.session.execute(
        db.update(Rsvp).where(Rsvp.meeting_id.in_(meeting_ids), Rsvp.status == RsvpStatus.GOING, column.is_(None))
        .values({column: now}).returning(Rsvp.meeting_id, Rsvp.user_id)
        .execution_options(synchronize_session=False)).all()
    return [(meeting_id, user_id) for meeting_id, user_id in rows]


def _notify(claimed: list[tuple[int, int]], now: datetime) -> int:
    by_meeting: dict[int, list[int]] = defaultdict(list)
    for meeting_id, user_id in claimed:
        by_meeting[meeting_id].append(user_id)
    if not by_meeting:
        return 0
    meetings = db.session.execute(db.select(Meeting).where(Meeting.id.in_(by_meeting))).scalars()
    return sum(notify(by_meeting[m.id], community_id=m.community_id, kind=NoticeKind.MEETING_REMINDER, now=now,
                      meeting_id=m.id, summary=summary(m)) for m in meetings)


def summary(meeting: Meeting) -> str:
    """Title, local start time and place: written once for every reader, so in numbers, not words."""
    return f"{meeting.title} · {to_local(meeting.starts_at):%Y-%m-%d %H:%M} · {meeting.place}"
