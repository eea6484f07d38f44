"""Reading the community's meetings for the calendar: upcoming/past lists, the month grid, the home page's next few."""
from __future__ import annotations

import calendar as stdlib_calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from babel.dates import format_skeleton
from flask import url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import func, or_
from sqlalchemy.orm import load_only

from civic.clock import utcnow
from civic.community.models import Community
from civic.extensions import db
from civic.meetings.labels import RSVP_LABELS, kind_label
from civic.meetings.localtime import local_date, month_bounds, to_local
from civic.meetings.models import Meeting, MeetingKind, MeetingStatus, Rsvp, RsvpStatus

PAGE_SIZE = 50
UPCOMING, PAST = "upcoming", "past"
TABS = (UPCOMING, PAST)
HOME_COUNT = 3
# A grid cell shows only these; the texts (description, minutes) stay in the database.
MONTH_COLUMNS = (Meeting.id, Meeting.kind, Meeting.status, Meeting.title, Meeting.starts_at, Meeting.ends_at)


@dataclass(frozen=True)
class ListFilter:
    when: str = UPCOMING
    kind: MeetingKind | None = None

    def args(self) -> dict:
        """Query-string arguments that reproduce this filter (for tab and pager links)."""
        return {"when": self.when if self.when != UPCOMING else None, "kind": self.kind.value if self.kind else None}


@lru_cache(maxsize=4096)
def _skeleton(skeleton: str, day: date, locale: str) -> str:
    """Babel's formatting is slow next to the rest of a 200-meeting month page; days repeat, so keep them."""
    return format_skeleton(skeleton, day, locale=locale)


def _locale() -> str:
    return str(get_locale() or "zh_Hans_CN")


def day_text(starts_at: datetime, this_year: int | None = None) -> str:
    """"12月1日周二" (the local day of a naive-UTC time); the year too when it is not this year's."""
    day = to_local(starts_at).date()
    this_year = this_year or local_date(utcnow()).year
    return _skeleton("MMMEd" if day.year == this_year else "yMMMEd", day, _locale())


def hours_text(starts_at: datetime, ends_at: datetime) -> str:
    """"14:00–16:00" in Asia/Shanghai; the end's day is named when the meeting runs past midnight."""
    start, end = to_local(starts_at), to_local(ends_at)
    if end.date() == start.date():
        return f"{start:%H:%M}–{end:%H:%M}"
    return f"{start:%H:%M}–{_skeleton('MMMd', end.date(), _locale())} {end:%H:%M}"


@dataclass(frozen=True)
class ListText:
    """The words and the link prefix every row shares, made once per page: per-row gettext and url_for are
    a visible share of a 200-meeting month's time."""

    meetings_url: str
    kinds: dict
    cancelled: str
    place: str
    not_fixed: str
    poll: str
    minutes: str


def list_text(community: Community) -> ListText:
    return ListText(url_for("meetings.index", slug=community.slug), {k: kind_label(k) for k in MeetingKind},
                    _("Cancelled"), _("Place: %(place)s"), _("Time not fixed yet"), _("Say which times suit you"),
                    _("Minutes published"))


@dataclass(frozen=True)
class Row:
    """One meeting as the lists show it: its link, local day and hours (made when asked), the viewer's RSVP."""

    meeting: Meeting
    text: ListText
    this_year: int
    my_rsvp: RsvpStatus | None = None

    @property
    def href(self) -> str:
        return f"{self.text.meetings_url}/{self.meeting.id}"  # = url_for("meetings.show", ...), tested

    @property
    def kind_label(self) -> str:
        return self.text.kinds[self.meeting.kind]

    @property
    def day_text(self) -> str:
        return day_text(self.meeting.starts_at, self.this_year) if self.meeting.starts_at else ""

    @property
    def time_text(self) -> str:
        m = self.meeting
        return hours_text(m.starts_at, m.ends_at) if m.starts_at and m.ends_at else ""

    @property
    def rsvp_label(self) -> str:
        return str(RSVP_LABELS[self.my_rsvp]) if self.my_rsvp else ""


@dataclass(frozen=True)
class Day:
    day: date
    in_month: bool
    is_today: bool
    rows: tuple[Row, ...]

    @property
    def label(self) -> str:
        """"12月1日周二"."""
        return _skeleton("MMMEd", self.day, _locale())


def my_rsvps(user_id: int | None, meeting_ids: list[int]) -> dict[int, RsvpStatus]:
    """The viewer's answers to these meetings, in one query."""
    if user_id is None or not meeting_ids:
        return {}
    rows = db.session.execute(db.select(Rsvp.meeting_id, Rsvp.status)
                              .where(Rsvp.user_id == user_id, Rsvp.meeting_id.in_(meeting_ids)))
    return dict(rows.all())


def rows_of(community: Community, meetings: list[Meeting], user_id: int | None) -> list[Row]:
    rsvps, this_year, text = my_rsvps(user_id, [m.id for m in meetings]), local_date(utcnow()).year, list_text(community)
    return [Row(m, text, this_year, rsvps.get(m.id)) for m in meetings]


def _of(community: Community, kind: MeetingKind | None):  # noqa: ANN202
    query = db.select(Meeting).where(Meeting.community_id == community.id)
    return query.where(Meeting.kind == kind) if kind is not None else query


def _upcoming(community: Community, kind: MeetingKind | None, now: datetime):  # noqa: ANN202
    """Timed meetings that have not ended; cancelled ones stay (struck through) so nobody walks there in vain."""
    return _of(community, kind).where(Meeting.status != MeetingStatus.POLLING, Meeting.starts_at.is_not(None),
                                      Meeting.ends_at > now).order_by(Meeting.starts_at, Meeting.id)


def _past(community: Community, kind: MeetingKind | None, now: datetime):  # noqa: ANN202
    """Ended meetings, newest first; a poll cancelled before it found a time is listed by its cancellation."""
    cancelled_poll = (Meeting.starts_at.is_(None)) & (Meeting.status == MeetingStatus.CANCELLED)
    when = func.coalesce(Meeting.starts_at, Meeting.cancelled_at, Meeting.created_at)
    return _of(community, kind).where(or_(Meeting.ends_at <= now, cancelled_poll)) \
        .order_by(when.desc(), Meeting.id.desc())


def meetings_page(community: Community, flt: ListFilter, page: int, now: datetime) -> tuple[list[Meeting], int]:
    """One page (50) of the upcoming or past tab, and how many there are in all: two queries."""
    query = _past(community, flt.kind, now) if flt.when == PAST else _upcoming(community, flt.kind, now)
    total = db.session.scalar(db.select(func.count()).select_from(query.order_by(None).subquery()))
    meetings = db.session.execute(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).scalars().all()
    return list(meetings), total


def polling(community: Community, kind: MeetingKind | None) -> list[Meeting]:
    """Meetings still finding a time (约时间): their own group on the upcoming tab, newest first."""
    return list(db.session.execute(
        _of(community, kind).where(Meeting.status == MeetingStatus.POLLING)
        .order_by(Meeting.created_at.desc(), Meeting.id.desc()).limit(PAGE_SIZE)).scalars())


def next_meetings(community: Community, now: datetime, user_id: int | None = None,
                  count: int = HOME_COUNT) -> list[Row]:
    """The community home page's next few meetings: two queries whatever the community's size."""
    meetings = db.session.execute(_upcoming(community, None, now).limit(count)).scalars().all()
    return rows_of(community, list(meetings), user_id)


def month(community: Community, year: int, month_number: int, *, kind: MeetingKind | None = None,
          today: date | None = None, user_id: int | None = None) -> list[list[Day]]:
    """The weeks (Monday first) of a local month, each day with its meetings, from ONE query of the month.

    Days are local (Asia/Shanghai) days: a meeting at 00:30 on the 2nd is on the 2nd, and one at 00:30 on the
    1st of December is in December even though it is still November in UTC.
    """
    start, end = month_bounds(year, month_number)
    meetings = db.session.execute(
        _of(community, kind).where(Meeting.status != MeetingStatus.POLLING, Meeting.starts_at >= start,
                                   Meeting.starts_at < end).order_by(Meeting.starts_at, Meeting.id)
        .options(load_only(*MONTH_COLUMNS, raiseload=True))).scalars().all()
    by_day: dict[date, list[Row]] = defaultdict(list)
    for row in rows_of(community, list(meetings), user_id):
        by_day[local_date(row.meeting.starts_at)].append(row)
    weeks = stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month_number)
    return [[Day(d, d.month == month_number, d == today, tuple(by_day.get(d, ()))) for d in week] for week in weeks]


def shift_month(year: int, month_number: int, delta: int) -> tuple[int, int]:
    """(year, month) moved by delta months."""
    index = year * 12 + (month_number - 1) + delta
    return index // 12, index % 12 + 1


def month_title(year: int, month_number: int) -> str:
    """"2026年12月" / "December 2026"."""
    return _skeleton("yMMMM", date(year, month_number, 1), _locale())


def weekday_names() -> list[str]:
    """Monday first, short ("周一" / "Mon")."""
    return [_skeleton("EEE", date(2024, 1, 1 + i), _locale()) for i in range(7)]  # 2024-01-01: a Monday
