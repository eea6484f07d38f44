"""Helpers for the editing, series and agenda tests: proposals, local days, form data, query counting."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta


from civic.clock import utcnow
from civic.extensions import db
from civic.meetings.localtime import combine, to_local
from civic.meetings.models import Meeting
from civic.projects.models import Category
from civic.proposals import services as proposal_services
from tests.querycount import counted_queries  # noqa: F401  (used here and re-exported)


def local_today() -> date:
    return to_local(utcnow()).date()


def local_day(days_ahead: int) -> date:
    return local_today() + timedelta(days=days_ahead)


def at(days_ahead: int, hh: int, mm: int = 0) -> datetime:
    """Naive UTC for a local wall-clock time `days_ahead` days from today in Asia/Shanghai."""
    return combine(local_day(days_ahead), time(hh, mm))


def make_proposal(world, *, title: str = "垃圾房夏天很臭", author=None, community=None, publish: bool = True):  # noqa: ANN001
    author = author or world.organiser
    community = community or world.community
    text = proposal_services.ProposalText(title=title, body_md="夏天气味很大。", category=Category.GARBAGE_ROOM,
                                          buildings=[])
    now = utcnow()
    proposal = proposal_services.raise_proposal(community, text, household_id=None, actor=author, now=now)
    if publish:
        proposal_services.publish(proposal, actor=author, now=now)
    db.session.commit()
    return proposal


def form(**overrides) -> dict:
    """A valid "new meeting" form: a small round table the day after tomorrow, 14:00–16:00 local time."""
    data = {"kind": "round_table", "title": "垃圾点怎么改", "time_mode": "fixed",
            "day": local_day(2).isoformat(), "starts": "14:00", "ends": "16:00", "place": "7号楼架空层",
            "capacity": "", "description": ""}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def meeting_count() -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(Meeting))


def url(world, tail: str = "") -> str:  # noqa: ANN001
    return f"/c/{world.community.slug}/meetings{tail}"


