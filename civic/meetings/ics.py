"""A meeting as an iCalendar file (.ics) for "add to calendar": Asia/Shanghai wall-clock times, a UID that never changes."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from urllib.parse import urlsplit

import icalendar
from flask import current_app
from flask_babel import gettext as _

from civic.clock import utcnow
from civic.meetings.labels import kind_label, when_text
from civic.meetings.localtime import LOCAL, to_local
from civic.meetings.models import Meeting

PRODID = "-//Civic//Neighbourhood meetings//ZH"
DESCRIPTION_MAX = 1500  # the meeting's own text, cut: the page has the rest
REMIND_BEFORE = timedelta(hours=1)


@lru_cache(maxsize=1)
def _vtimezone() -> icalendar.Timezone:
    """Built from zoneinfo once (it takes a few ms): China has had no daylight saving since 1991, so one +0800 rule."""
    return icalendar.Timezone.from_tzid(str(LOCAL), first_date=date(1992, 1, 1), last_date=date(2100, 1, 1))


def uid_domain(url: str) -> str:
    """ICS_UID_DOMAIN, else the public host, else the host of the URL: fixed per deployment, not per edit."""
    config = current_app.config
    if config.get("ICS_UID_DOMAIN"):
        return config["ICS_UID_DOMAIN"]
    return urlsplit(config.get("PUBLIC_BASE_URL") or url).hostname or "civic"


def uid(meeting: Meeting, url: str) -> str:
    """Calendars match updates by UID: it depends only on the meeting's id, so an edit updates, never duplicates."""
    return f"meeting-{meeting.id}@{uid_domain(url)}"


def sequence(meeting: Meeting) -> int:
    """Grows with every edit (seconds from creation to the last change), so calendars take the newer copy."""
    return max(int((meeting.updated_at - meeting.created_at).total_seconds()), 0)


def _description(meeting: Meeting, url: str) -> str:
    """Plain text (icalendar escapes newlines and commas): kind, agenda titles, the meeting's text, the link."""
    lines = [kind_label(meeting.kind)]
    if meeting.agenda:
        lines += ["", _("Agenda")]
        for number, item in enumerate(meeting.agenda, start=1):
            box = " " + _("(%(n)d min)", n=item.minutes) if item.minutes else ""
            lines.append(f"{number}. {item.title}{box}")
    if meeting.description_md.strip():
        lines += ["", meeting.description_md.strip()[:DESCRIPTION_MAX]]
    return "\n".join([*lines, "", _("Details and sign-up: %(url)s", url=url)])


def _event(meeting: Meeting, url: str, now: datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid(meeting, url))
    event.add("dtstamp", now.replace(tzinfo=UTC))
    event.add("created", to_local(meeting.created_at))
    event.add("last-modified", to_local(meeting.updated_at))
    event.add("sequence", sequence(meeting))
    event.add("dtstart", to_local(meeting.starts_at))
    event.add("dtend", to_local(meeting.ends_at))
    summary = meeting.title if not meeting.is_cancelled else _("Cancelled: %(title)s", title=meeting.title)
    event.add("summary", summary)
    event.add("location", meeting.place)
    event.add("description", _description(meeting, url))
    event.add("url", url)
    event.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    if not meeting.is_cancelled:
        event.add_component(_alarm(meeting))
    return event


def _alarm(meeting: Meeting) -> icalendar.Alarm:
    """A phone calendar's own reminder an hour before, beside the site's reminders."""
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", -REMIND_BEFORE)
    alarm.add("description", f"{meeting.title} · {when_text(meeting)} · {meeting.place}")
    return alarm


def meeting_ics(meeting: Meeting, url: str, now: datetime | None = None) -> bytes:
    """The .ics bytes of a meeting with a time (a polling meeting has none: the caller refuses it)."""
    if meeting.starts_at is None or meeting.ends_at is None:
        raise ValueError("a meeting still finding a time has no calendar entry")
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add_component(_vtimezone())
    cal.add_component(_event(meeting, url, now or utcnow()))
    return cal.to_ical()
