"""Seconding (附议): one per household, kept unique by the database; the threshold; counts by building."""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from civic.community.models import Building, Community, Household
from civic.extensions import db
from civic.notices.models import NoticeKind
from civic.notices.services import notify
from civic.proposals import queries
from civic.proposals.models import Proposal, Second


def second(proposal: Proposal, household_id: int, *, actor, now: datetime) -> bool:  # noqa: ANN001
    """Second for the household. False when it had already seconded (a neighbour in the family was quicker).

    Never check-then-insert: the INSERT meets the UNIQUE(proposal_id, household_id) constraint inside a
    savepoint, so 200 family members pressing at once leave one row, and only the winner counts it.
    """
    try:
        with db.session.begin_nested():
            db.session.add(Second(proposal_id=proposal.id, household_id=household_id, user_id=actor.id,
                                  created_at=now))
    except IntegrityError:
        return False
    count = _bump(proposal, +1)
    _check_threshold(proposal, count, actor=actor, now=now)
    return True


def unsecond(proposal: Proposal, household_id: int) -> bool:
    """Take the household's second back (any member may). False when there was none."""
    deleted = db.session.execute(
        db.delete(Second).where(Second.proposal_id == proposal.id, Second.household_id == household_id)
    ).rowcount
    if deleted:
        _bump(proposal, -1)
    return bool(deleted)


def _bump(proposal: Proposal, step: int) -> int:
    """Count in SQL (second_count = second_count ± 1), so concurrent requests never overwrite each other."""
    count = db.session.execute(
        db.update(Proposal).where(Proposal.id == proposal.id)
        .values(second_count=Proposal.second_count + step).returning(Proposal.second_count)
        .execution_options(synchronize_session=False)
    ).scalar_one()
    db.session.expire(proposal, ["second_count"])
    return count


def threshold_of(community: Community, proposal: Proposal) -> int | None:
    """Households needed: a share of the affected buildings' active households (round up), or a fixed number."""
    if community.second_threshold_percent:
        households = db.session.scalar(_active_households(community, proposal))
        return max(1, math.ceil(households * community.second_threshold_percent / 100))
    return community.second_threshold_households or None


def _active_households(community: Community, proposal: Proposal):  # noqa: ANN202
    query = db.select(func.count()).select_from(Household).where(Household.is_active)
    building_ids = [b.id for b in proposal.buildings]
    if building_ids:
        return query.where(Household.building_id.in_(building_ids))
    # No buildings chosen: the proposal concerns the whole community.
    return query.join(Building, Building.id == Household.building_id).where(Building.community_id == community.id)


def _check_threshold(proposal: Proposal, count: int, *, actor, now: datetime) -> None:  # noqa: ANN001
    threshold = threshold_of(proposal.community, proposal)
    if threshold is None or count < threshold:
        return
    # Conditional UPDATE: of two seconds crossing the line at once, exactly one sends the notice.
    claimed = db.session.execute(
        db.update(Proposal).where(Proposal.id == proposal.id, Proposal.threshold_reached_at.is_(None))
        .values(threshold_reached_at=now).execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(proposal, ["threshold_reached_at"])
    if claimed:
        notify(queries.committee_user_ids(proposal.community), community_id=proposal.community_id,
               kind=NoticeKind.THRESHOLD, now=now, actor=actor, proposal_id=proposal.id, summary=proposal.title)


@dataclass(frozen=True)
class BuildingCount:
    name: str
    seconds: int
    households: int  # active households in the building; 0 when the building is not one it concerns


@dataclass(frozen=True)
class SecondPanel:
    """What the seconding panel shows to one member."""

    count: int
    threshold: int | None
    by_building: list[BuildingCount]
    mine: Second | None  # this member's household's second, with who gave it

    @property
    def is_reached(self) -> bool:
        return self.threshold is not None and self.count >= self.threshold


def panel(community: Community, proposal: Proposal, household_id: int | None) -> SecondPanel:
    mine = None
    if household_id is not None:
        mine = db.session.execute(
            db.select(Second).where(Second.proposal_id == proposal.id, Second.household_id == household_id)
            .options(joinedload(Second.user))
        ).scalar_one_or_none()
    return SecondPanel(count=proposal.second_count, threshold=threshold_of(community, proposal),
                       by_building=_by_building(proposal), mine=mine)


def _by_building(proposal: Proposal) -> list[BuildingCount]:
    """Seconds per building (of the seconding households), beside the affected buildings' household counts."""
    seconds = dict(db.session.execute(
        db.select(Household.building_id, func.count()).join(Second, Second.household_id == Household.id)
        .where(Second.proposal_id == proposal.id).group_by(Household.building_id)
    ).all())
    affected = {b.id for b in proposal.buildings}
    ids = affected | set(seconds)
    if not ids:
        return []
    sizes = dict(db.session.execute(
        db.select(Household.building_id, func.count()).where(Household.building_id.in_(affected), Household.is_active)
        .group_by(Household.building_id)
    ).all()) if affected else {}
    buildings = db.session.execute(db.select(Building).where(Building.id.in_(ids)).order_by(Building.sort_key)).scalars()
    return [BuildingCount(b.name, seconds.get(b.id, 0), sizes.get(b.id, 0)) for b in buildings]
