"""Reception-day series (书记会客日): "the first Tuesday of every month, 14:00–16:00" makes one meeting per month."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time

from babel.dates import get_day_names
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from civic.audit.models import record
from civic.community.models import Community
from civic.errors import RuleViolation
from civic.extensions import db
from civic.meetings import editing, queries, services
from civic.meetings.localtime import combine
from civic.meetings.models import Meeting, MeetingKind, MeetingSeries, MeetingStatus
from civic.web.markdown import render

MONTHS_MAX = 24  # two years ahead: the committee renews the series rather than planning further
NTH_LABELS = {1: _l("the first"), 2: _l("the second"), 3: _l("the third"), 4: _l("the fourth"), 5: _l("the fifth"),
              -1: _l("the last")}


@dataclass(frozen=True)
class SeriesData:
    """Wall-clock times in Asia/Shanghai; `first_month` is any day of the first month; nth -1 = the last."""

    title: str
    place: str
    nth: int
    weekday: int  # Monday = 0
    starts_local: time
    ends_local: time
    first_month: date
    months: int = 12
    capacity: int | None = None
    description_md: str = ""


def nth_weekday(year: int, month: int, nth: int, weekday: int) -> date | None:
    """The nth (1..5, or -1 for the last) such weekday of the month; None when the month has no fifth one."""
    days = [d for d in range(1, calendar.monthrange(year, month)[1] + 1) if date(year, month, d).weekday() == weekday]
    if nth == -1:
        return date(year, month, days[-1])
    return date(year, month, days[nth - 1]) if nth <= len(days) else None


def month_starts(first: date, months: int) -> list[date]:
    """The first day of each of `months` months from `first`'s month on."""
    index = first.year * 12 + first.month - 1
    return [date((index + i) // 12, (index + i) % 12 + 1, 1) for i in range(months)]


def occurrence_days(data: SeriesData) -> list[date]:
    """Local days of the series; a month without the nth weekday (a fifth Tuesday, say) is skipped."""
    found = (nth_weekday(m.year, m.month, data.nth, data.weekday) for m in month_starts(data.first_month, data.months))
    return [day for day in found if day is not None]


def _check(data: SeriesData) -> None:
    editing.check_text(data.title, data.place, data.description_md, data.capacity)
    if data.nth not in NTH_LABELS:
        raise RuleViolation(_("Choose which week of the month."), "nth")
    if not 0 <= data.weekday <= 6:
        raise RuleViolation(_("Choose the day of the week."), "weekday")
    if data.ends_local <= data.starts_local:
        raise RuleViolation(_("The end must be after the start."), "ends_at")
    if not 1 <= data.months <= MONTHS_MAX:
        raise RuleViolation(_("Enter a number of months from %(min)d to %(max)d.", min=1, max=MONTHS_MAX), "months")


def create_series(community: Community, data: SeriesData, *, actor, now: datetime) -> MeetingSeries:  # noqa: ANN001
    """The series and one scheduled meeting per month still to come; refused when no day at all is left."""
    _check(data)
    days = [day for day in occurrence_days(data) if combine(day, data.starts_local) > now]
    if not days:
        raise RuleViolation(_("None of these months has such a day still to come; choose other months."),
                            "first_month")
    series = MeetingSeries(community_id=community.id, kind=MeetingKind.RECEPTION, title=data.title.strip(),
                           place=data.place.strip(), nth=data.nth, weekday=data.weekday,
                           starts_local=data.starts_local, ends_local=data.ends_local,
                           first_month=data.first_month.replace(day=1), months=data.months, capacity=data.capacity,
                           organiser_id=actor.id, created_at=now)
    db.session.add(series)
    db.session.flush()
    html = render(data.description_md)
    db.session.add_all([_occurrence(series, data, day, html, now) for day in days])
    record(community.id, actor, "meeting_series.created", f"meeting_series:{series.id}", now, title=series.title,
           occurrences=len(days), first=days[0].isoformat())
    return series


def _occurrence(series: MeetingSeries, data: SeriesData, day: date, html: str, now: datetime) -> Meeting:
    return Meeting(community_id=series.community_id, series_id=series.id, kind=MeetingKind.RECEPTION,
                   status=MeetingStatus.SCHEDULED, title=series.title, place=series.place,
                   description_md=data.description_md, description_html=html,
                   starts_at=combine(day, data.starts_local), ends_at=combine(day, data.ends_local),
                   capacity=data.capacity, organiser_id=series.organiser_id, created_at=now, updated_at=now,
                   signin_code=services.new_signin_code())


def end_series(series: MeetingSeries, *, actor, now: datetime) -> int:  # noqa: ANN001
    """No more reception days: every occurrence still to come is cancelled (those going are told). Returns how many."""
    if series.ended_at is not None:
        raise RuleViolation(_("These reception days were already ended."))
    series.ended_at = now
    future = [m for m in queries.series_occurrences(series.id, after=now) if not m.is_cancelled]
    reason = _("The reception days of this series have ended.")
    for meeting in future:
        editing.cancel_meeting(meeting, reason, actor=actor, now=now)
    record(series.community_id, actor, "meeting_series.ended", f"meeting_series:{series.id}", now,
           title=series.title, cancelled=len(future))
    return len(future)


def weekday_name(weekday: int) -> str:
    """星期二 / Tuesday, in the page's language (Monday = 0, as Babel and date.weekday() count)."""
    return get_day_names("wide", locale=get_locale())[weekday]


def describe(series: MeetingSeries) -> str:
    """"每月第一个星期二 14:00–16:00": the series line on a meeting page."""
    return _("Every month on %(nth)s %(weekday)s, %(start)s–%(end)s", nth=NTH_LABELS.get(series.nth, ""),
             weekday=weekday_name(series.weekday), start=f"{series.starts_local:%H:%M}",
             end=f"{series.ends_local:%H:%M}")
