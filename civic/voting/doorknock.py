"""Households of a building that have not voted yet: the door-knock list, and reminders to their members."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import exists, func, select

from civic.accounts.models import User
from civic.audit.models import record
from civic.community.models import Building, Household
from civic.errors import RuleViolation
from civic.extensions import db
from civic.meetings.localtime import to_local
from civic.notices.models import NoticeKind
from civic.notices.services import notify
from civic.voting.models import Ballot, Caster, Elector, Reminder, State, Vote

REMINDER_GAP = timedelta(hours=12)  # one nudge per building per half day: more would feel like nagging


@dataclass
class Door:
    """One household to visit: its room and who may vote for it (display names only; no phone is stored)."""

    household_id: int
    room: str
    names: list[str] = field(default_factory=list)


def _not_voted(vote: Vote):
    """Electors of this vote with no current ballot (NOT EXISTS: one index probe per elector)."""
    voted = exists().where(Ballot.vote_id == vote.id, Ballot.elector_id == Elector.id)
    return (Elector.vote_id == vote.id) & ~voted


def doors(vote: Vote, building_id: int) -> list[Door]:
    """The building's eligible households that have not voted, by room: one query whatever the size."""
    rows = db.session.execute(
        select(Household.id, Household.room, User.display_name)
        .select_from(Elector).join(Household, Household.id == Elector.household_id)
        .outerjoin(Caster, (Caster.elector_id == Elector.id) & (Caster.vote_id == vote.id))
        .outerjoin(User, User.id == Caster.user_id)
        .where(_not_voted(vote), Elector.building_id == building_id)
        .order_by(func.length(Household.room), Household.room, User.display_name))
    out: dict[int, Door] = {}
    for household_id, room, name in rows:
        door = out.setdefault(household_id, Door(household_id, room))
        if name and name not in door.names:
            door.names.append(name)
    return list(out.values())


def eligible_count(vote: Vote, building_id: int) -> int:
    """Households of the building in the electorate (the denominator beside the list)."""
    return db.session.scalar(select(func.count(func.distinct(Elector.household_id)))
                             .where(Elector.vote_id == vote.id, Elector.building_id == building_id)) or 0


def vote_building_ids(vote: Vote) -> list[int]:
    """Buildings with electors in this vote, in the community's order."""
    return list(db.session.execute(
        select(Building.id).where(exists().where(Elector.vote_id == vote.id, Elector.building_id == Building.id))
        .order_by(Building.sort_key)).scalars())


def recipients(vote: Vote, building_ids: list[int]) -> dict[int, set[int]]:
    """building id → users who may cast for a household there that has not voted."""
    rows = db.session.execute(
        select(Elector.building_id, Caster.user_id).join(Caster, Caster.elector_id == Elector.id)
        .where(_not_voted(vote), Elector.building_id.in_(building_ids)).distinct())
    out: dict[int, set[int]] = {b: set() for b in building_ids}
    for building_id, user_id in rows:
        out[building_id].add(user_id)
    return out


def last_reminders(vote: Vote, building_ids: list[int], now: datetime) -> dict[int, datetime]:
    """building id → when it was last reminded, for those reminded within the last 12 hours."""
    rows = db.session.execute(
        select(Reminder.building_id, func.max(Reminder.sent_at))
        .where(Reminder.vote_id == vote.id, Reminder.building_id.in_(building_ids),
               Reminder.sent_at > now - REMINDER_GAP).group_by(Reminder.building_id))
    return {building_id: sent_at for building_id, sent_at in rows}


def _too_soon(sent_at: datetime) -> RuleViolation:
    again = to_local(sent_at + REMINDER_GAP).strftime("%H:%M")
    return RuleViolation(_("A reminder for this building was sent at %(sent)s. To avoid nagging neighbours, "
                           "the next one can be sent after %(again)s.",
                           sent=to_local(sent_at).strftime("%H:%M"), again=again), "building")


def remind(vote: Vote, building_id: int | None, actor: User, now: datetime) -> list[Reminder]:
    """Notify the members of not-voted households (one building, or every building not reminded in 12 hours)."""
    if vote.state is not State.OPEN or now >= vote.closes_at:
        raise RuleViolation(_("Reminders can only be sent while the vote is open."), "building")
    targets = [building_id] if building_id is not None else vote_building_ids(vote)
    recent = last_reminders(vote, targets, now)
    if building_id is not None and building_id in recent:
        raise _too_soon(recent[building_id])
    targets = [b for b in targets if b not in recent]
    if not targets:
        raise RuleViolation(_("Every building was already reminded in the last 12 hours."), "building")
    reminders = []
    for target, users in recipients(vote, targets).items():
        sent = notify(users, community_id=vote.community_id, kind=NoticeKind.VOTE_REMINDER, now=now, actor=actor,
                      vote_id=vote.id, summary=vote.title)
        reminders.append(Reminder(vote_id=vote.id, building_id=target, sent_by_id=actor.id, sent_at=now,
                                  recipients=sent))
    db.session.add_all(reminders)
    record(vote.community_id, actor, "vote.reminder", f"vote:{vote.id}", now,
           buildings=targets, recipients=sum(r.recipients for r in reminders))
    return reminders
