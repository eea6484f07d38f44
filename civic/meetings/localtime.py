"""Asia/Shanghai wall-clock time for meetings: forms speak local time, the database stores naive UTC."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Asia/Shanghai")


def to_local(utc_naive: datetime) -> datetime:
    """A stored naive-UTC datetime as an aware Asia/Shanghai datetime."""
    return utc_naive.replace(tzinfo=UTC).astimezone(LOCAL)


def to_utc(local_naive: datetime) -> datetime:
    """A wall-clock time typed in a form (Asia/Shanghai, naive) as naive UTC for the database."""
    return local_naive.replace(tzinfo=LOCAL).astimezone(UTC).replace(tzinfo=None)


def local_date(utc_naive: datetime) -> date:
    """The calendar day in Asia/Shanghai: a meeting at 00:30 local time is on that day, not the day before."""
    return to_local(utc_naive).date()


def combine(day: date, at: time) -> datetime:
    """A local day and wall-clock time as naive UTC."""
    return to_utc(datetime.combine(day, at))


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """[start, end) of a local day in naive UTC, for queries."""
    start = combine(day, time(0, 0))
    return start, start + timedelta(days=1)


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """[start, end) of a local month in naive UTC, for the calendar's query."""
    first = date(year, month, 1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    return combine(first, time(0, 0)), combine(following, time(0, 0))
