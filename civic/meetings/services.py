"""Meeting use cases shared by every part of the package: scheduling a time, the project timeline, the sign-in code.

Creating, editing and cancelling live in `editing.py`, recurring series in `series.py`, the agenda in
`agenda.py`, the time poll in `poll.py`, RSVP in `rsvp.py`, sign-in in `signin.py`, minutes in `minutes.py`,
round-table notes in `notes.py`.
"""
from __future__ import annotations

import secrets
from datetime import datetime

from flask_babel import gettext as _

from civic.audit.models import record
from civic.errors import RuleViolation
from civic.extensions import db
from civic.meetings.models import SIGNIN_CODE_LENGTH, Meeting, MeetingStatus
from civic.projects import timeline

# The same unambiguous alphabet as invite codes (no 0/O, 1/I/L): the code can be typed as well as scanned.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_signin_code() -> str:
    """Random per meeting (31^6 ≈ 887 million; the check-in route is rate limited), so codes cannot be guessed."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(SIGNIN_CODE_LENGTH))


def normalise_code(raw: str) -> str:
    """Typed loosely: spaces, dashes and lower case are forgiven."""
    return "".join(ch for ch in (raw or "").upper() if ch.isalnum())


def check_times(starts_at: datetime, ends_at: datetime, now: datetime) -> None:
    """A meeting or a candidate slot: in the future, and ending after it starts."""
    if ends_at <= starts_at:
        raise RuleViolation(_("The end must be after the start."), "ends_at")
    if starts_at <= now:
        raise RuleViolation(_("This time is in the past; choose a time that is still to come."), "starts_at")


def on_timelines(meeting: Meeting, kind: str, actor, now: datetime, **detail) -> None:  # noqa: ANN001
    """Tell every linked project's timeline (kinds described in labels.py; the page links by meeting_id)."""
    for project in meeting.projects:
        timeline.add(project, kind, actor, now, meeting_id=meeting.id, title=meeting.title, **detail)


def schedule(meeting: Meeting, starts_at: datetime, ends_at: datetime, *, actor, now: datetime,  # noqa: ANN001
             check_future: bool = True) -> None:
    """Fix the meeting's time (from a picked poll slot, or a move): status SCHEDULED, timelines, audit.

    Moving a meeting clears sent reminders so those going are reminded of the new time. Notifying people is
    the caller's: a poll notifies those who answered, a move those who are going.
    """
    if meeting.is_cancelled:
        raise RuleViolation(_("This meeting was cancelled."))
    if check_future:
        check_times(starts_at, ends_at, now)
    was_scheduled = meeting.status is MeetingStatus.SCHEDULED and meeting.starts_at is not None
    before = meeting.starts_at
    meeting.starts_at, meeting.ends_at = starts_at, ends_at
    meeting.status, meeting.updated_at = MeetingStatus.SCHEDULED, now
    if was_scheduled and before != starts_at:
        from civic.meetings.models import Rsvp

        db.session.execute(db.update(Rsvp).where(Rsvp.meeting_id == meeting.id)
                           .values(reminded_day_at=None, reminded_hours_at=None)
                           .execution_options(synchronize_session=False))
    on_timelines(meeting, "meeting_moved" if was_scheduled else "meeting_scheduled", actor, now,
                 starts_at=starts_at.isoformat())
    record(meeting.community_id, actor, "meeting.scheduled", f"meeting:{meeting.id}", now,
           starts_at=starts_at.isoformat(), ends_at=ends_at.isoformat(), before=before.isoformat() if before else None)
