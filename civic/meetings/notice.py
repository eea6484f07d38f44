"""The printed lobby notice of a meeting: its public address, a QR code to it, and the date and time in words."""
from __future__ import annotations

import segno
from flask import current_app, url_for
from flask_babel import format_date

from civic.meetings.calendar import hours_text
from civic.meetings.localtime import to_local
from civic.meetings.labels import span_text
from civic.meetings.models import Meeting


def public_url(endpoint: str, **values) -> str:
    """An absolute address for paper and calendars (PUBLIC_BASE_URL behind a proxy, else this request's host)."""
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return base.rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, **values, _external=True)


def meeting_url(meeting: Meeting) -> str:
    return public_url("meetings.show", slug=meeting.community.slug, meeting_id=meeting.id)


def short_url(url: str) -> str:
    """The address to type by hand: without "https://"."""
    return url.split("://", 1)[-1]


def qr_svg(url: str, title: str) -> str:
    """Inline SVG (no script, no style attribute: CSP-safe) that scales to the size the print CSS gives it."""
    return segno.make(url, error="m").svg_inline(scale=4, border=2, omitsize=True, title=title)


def date_words(meeting: Meeting) -> str:
    """"2026年12月1日星期二" (the local day), or "" while a time poll runs."""
    return format_date(to_local(meeting.starts_at).date(), "full") if meeting.starts_at else ""


def time_words(meeting: Meeting) -> str:
    return hours_text(meeting.starts_at, meeting.ends_at) if meeting.starts_at and meeting.ends_at else ""


def slot_words(meeting: Meeting) -> list[str]:
    """While a time poll runs, the notice lists the candidate times so neighbours can think about them."""
    return [span_text(slot.starts_at, slot.ends_at) for slot in meeting.slots] if meeting.is_polling else []
