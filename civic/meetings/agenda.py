"""A meeting's agenda (议程): ordered items, each maybe about a proposal, with an optional time box."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from civic.audit.models import record
from civic.errors import RuleViolation
from civic.extensions import db
from civic.meetings import queries
from civic.meetings.localtime import to_local
from civic.meetings.models import AGENDA_TITLE_MAX, AgendaItem, Meeting

ITEMS_MAX = 30  # a neighbourhood meeting never gets through more; a runaway form cannot grow it without end
MINUTES_MAX = 240
DIRECTIONS = ("up", "down")


def items_of(meeting: Meeting) -> list[AgendaItem]:
    """In order, with their proposals: two queries whatever the number of items."""
    return list(db.session.execute(
        db.select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)
        .options(selectinload(AgendaItem.proposal)).order_by(AgendaItem.position, AgendaItem.id)).scalars())


def item_in(meeting: Meeting, item_id: int) -> AgendaItem | None:
    """An item of *this* meeting, or None (another meeting's item id is not found)."""
    return db.session.execute(db.select(AgendaItem).where(
        AgendaItem.id == item_id, AgendaItem.meeting_id == meeting.id)).scalar_one_or_none()


def _renumber(items: list[AgendaItem]) -> None:
    """Positions 0, 1, 2 … in the current order, so that they stay contiguous after every change."""
    for position, item in enumerate(items):
        if item.position != position:
            item.position = position


def add_item(meeting: Meeting, *, title: str, minutes: int | None = None, proposal_id: int | None = None,
             actor, now: datetime) -> AgendaItem:  # noqa: ANN001
    """At the end of the agenda. The proposal must be a published one of the meeting's community."""
    title = " ".join((title or "").split())
    if not title:
        raise RuleViolation(_("Say what the item is about."), "title")
    if len(title) > AGENDA_TITLE_MAX:
        raise RuleViolation(_("An agenda item may have at most %(max)d characters.", max=AGENDA_TITLE_MAX), "title")
    if minutes is not None and not 1 <= minutes <= MINUTES_MAX:
        raise RuleViolation(_("A time box is from %(min)d to %(max)d minutes.", min=1, max=MINUTES_MAX), "minutes")
    if proposal_id and not queries.published_proposals_in(meeting.community_id, [proposal_id]):
        raise RuleViolation(_("That proposal cannot be put on the agenda."), "proposal")
    items = items_of(meeting)
    if len(items) >= ITEMS_MAX:
        raise RuleViolation(_("An agenda has at most %(n)d items.", n=ITEMS_MAX), "title")
    _renumber(items)
    item = AgendaItem(meeting_id=meeting.id, position=len(items), title=title, minutes=minutes,
                      proposal_id=proposal_id or None)
    db.session.add(item)
    meeting.updated_at = now
    record(meeting.community_id, actor, "meeting.agenda_added", f"meeting:{meeting.id}", now, title=title)
    return item


def remove_item(meeting: Meeting, item: AgendaItem, *, actor, now: datetime) -> None:  # noqa: ANN001
    items = [i for i in items_of(meeting) if i.id != item.id]
    db.session.delete(item)
    _renumber(items)
    meeting.updated_at = now
    record(meeting.community_id, actor, "meeting.agenda_removed", f"meeting:{meeting.id}", now, title=item.title)


def move_item(meeting: Meeting, item: AgendaItem, direction: str, *, actor, now: datetime) -> bool:  # noqa: ANN001
    """One place up or down; False when it is already first (up) or last (down)."""
    if direction not in DIRECTIONS:
        raise RuleViolation(_("Move an item up or down."))
    items = items_of(meeting)
    at = next(i for i, row in enumerate(items) if row.id == item.id)
    to = at - 1 if direction == "up" else at + 1
    if not 0 <= to < len(items):
        return False
    items[at], items[to] = items[to], items[at]
    _renumber(items)
    meeting.updated_at = now
    record(meeting.community_id, actor, "meeting.agenda_moved", f"meeting:{meeting.id}", now, title=item.title,
           direction=direction)
    return True


@dataclass(frozen=True)
class Timing:
    clock: dict[int, str]  # item id → "14:00–14:20", while the time boxes run from a fixed start
    total_minutes: int  # of the items that have a time box
    overrun_minutes: int  # how much longer than the meeting the time boxes add up to (0: they fit)


def timing(meeting: Meeting, items: list[AgendaItem]) -> Timing:
    """The running clock from the meeting's start; it stops at the first item without a time box."""
    total = sum(item.minutes or 0 for item in items)
    if meeting.starts_at is None or meeting.ends_at is None:
        return Timing({}, total, 0)
    clock, at = {}, to_local(meeting.starts_at)
    for item in items:
        if item.minutes is None:
            break
        end = at + timedelta(minutes=item.minutes)
        clock[item.id] = f"{at:%H:%M}–{end:%H:%M}"
        at = end
    length = int((meeting.ends_at - meeting.starts_at).total_seconds() // 60)
    return Timing(clock, total, max(total - length, 0))
