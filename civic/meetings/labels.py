"""How meetings are named on pages: kinds, statuses, answers, and the time as copyable text."""
from __future__ import annotations

from datetime import datetime

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from civic.meetings.localtime import to_local
from civic.meetings.models import ActionStatus, Meeting, MeetingKind, MeetingStatus, PollAnswerKind, RsvpStatus
from civic.projects.labels import EVENT_SENTENCES

KIND_LABELS = {
    MeetingKind.ROUND_TABLE: _l("Small round table"),
    MeetingKind.DELIBERATION: _l("Deliberation meeting"),
    MeetingKind.RECEPTION: _l("Secretary's reception day"),
}

STATUS_LABELS = {
    MeetingStatus.POLLING: _l("Finding a time"),
    MeetingStatus.SCHEDULED: _l("Scheduled"),
    MeetingStatus.CANCELLED: _l("Cancelled"),
}

ANSWER_LABELS = {
    PollAnswerKind.YES: _l("Yes"),
    PollAnswerKind.MAYBE: _l("If need be"),
    PollAnswerKind.NO: _l("No"),
}

RSVP_LABELS = {
    RsvpStatus.GOING: _l("Going"),
    RsvpStatus.WAITLIST: _l("On the waiting list"),
    RsvpStatus.NOT_GOING: _l("Not going"),
}

ACTION_STATUS_LABELS = {
    ActionStatus.PLANNED: _l("Planned"),
    ActionStatus.IN_PROGRESS: _l("In progress"),
    ActionStatus.DONE: _l("Done"),
    ActionStatus.BLOCKED: _l("Blocked"),
}


def kind_label(kind: MeetingKind | str) -> str:
    try:
        return str(KIND_LABELS[MeetingKind(kind)])
    except ValueError:
        return str(kind)


def span_text(starts_at: datetime, ends_at: datetime) -> str:
    """"2026年12月1日 星期二 14:00–16:00" in Asia/Shanghai (the end's date too when it falls on another day)."""
    start, end = to_local(starts_at), to_local(ends_at)
    # Dates are formatted as dates (no time-zone shift: they are local already); times by hand, 24-hour.
    end_text = f"{end:%H:%M}" if end.date() == start.date() else f"{format_date(end.date(), 'medium')} {end:%H:%M}"
    return f"{format_date(start.date(), 'full')} {start:%H:%M}–{end_text}"


def when_text(meeting: Meeting) -> str:
    """The meeting's time as plain text for pages, notices and copying; a poll says so."""
    if meeting.starts_at is None or meeting.ends_at is None:
        return _("Time not fixed yet (a time poll is open)")
    return span_text(meeting.starts_at, meeting.ends_at)


# The project timeline describes meeting events (details keep ids and plain titles; pages link by meeting_id).
EVENT_SENTENCES.update({
    "meeting_scheduled": lambda d, actor: _("%(actor)s scheduled the meeting “%(title)s”.", actor=actor,
                                            title=d.get("title", "")),
    "meeting_polling": lambda d, actor: _("%(actor)s is finding a time for the meeting “%(title)s”.", actor=actor,
                                          title=d.get("title", "")),
    "meeting_moved": lambda d, actor: _("%(actor)s moved the meeting “%(title)s” to a new time.", actor=actor,
                                        title=d.get("title", "")),
    "meeting_cancelled": lambda d, actor: _("%(actor)s cancelled the meeting “%(title)s”.", actor=actor,
                                            title=d.get("title", "")),
    "minutes_published": lambda d, actor: _("%(actor)s published the minutes of “%(title)s”.", actor=actor,
                                            title=d.get("title", "")),
})
