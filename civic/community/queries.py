"""Read-side queries for community pages, each a single round trip."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_
from sqlalchemy.orm import contains_eager

from civic.accounts.models import User
from civic.community.models import Building, Community, Household, Membership, RoleGrant
from civic.extensions import db

PAGE_SIZE = 50
# Natural-enough room order without a stored key: "302" before "1201".
ROOM_ORDER = (func.length(Household.room), Household.room)


def communities_of(user: User) -> list[Community]:
    via_household = (
        db.select(Building.community_id)
        .join(Household, Household.building_id == Building.id)
        .join(Membership, Membership.household_id == Household.id)
        .where(Membership.user_id == user.id)
    )
    via_role = db.select(RoleGrant.community_id).where(RoleGrant.user_id == user.id)
    return list(db.session.execute(
        db.select(Community).where(or_(Community.id.in_(via_household), Community.id.in_(via_role))).order_by(Community.name)
    ).scalars())


def my_memberships(user: User, community: Community) -> list[Membership]:
    return list(db.session.execute(
        db.select(Membership).join(Household).join(Building)
        .where(Membership.user_id == user.id, Building.community_id == community.id)
        .options(contains_eager(Membership.household).contains_eager(Household.building))
    ).scalars())


@dataclass(frozen=True)
class CommunityStats:
    buildings: int
    households: int
    registered_households: int
    residents: int


def community_stats(community: Community) -> CommunityStats:
    in_community = Building.community_id == community.id
    buildings = db.session.scalar(db.select(func.count()).select_from(Building).where(in_community))
    households = db.session.scalar(
        db.select(func.count()).select_from(Household).join(Building).where(in_community, Household.is_active))
    registered, residents = db.session.execute(
        db.select(func.count(func.distinct(Membership.household_id)), func.count(func.distinct(Membership.user_id)))
        .join(Household, Household.id == Membership.household_id).join(Building).where(in_community)
    ).one()
    return CommunityStats(buildings, households, registered, residents)


def buildings_of(community: Community) -> list[Building]:
    return list(db.session.execute(
        db.select(Building).where(Building.community_id == community.id).order_by(Building.sort_key)
    ).scalars())


def building_in(community: Community, building_id: int | None) -> Building | None:
    """A building of *this* community, or None: never one from another community."""
    if not building_id:
        return None
    return db.session.execute(
        db.select(Building).where(Building.id == building_id, Building.community_id == community.id)
    ).scalar_one_or_none()


def buildings_by_id(community: Community, ids) -> list[Building]:  # noqa: ANN001
    """The community's buildings among `ids`; ids of another community's buildings are ignored."""
    ids = list(ids)
    if not ids:
        return []
    return list(db.session.execute(
        db.select(Building).where(Building.community_id == community.id, Building.id.in_(ids)).order_by(Building.sort_key)
    ).scalars())


def households_of(building: Building) -> list[Household]:
    return list(db.session.execute(
        db.select(Household).where(Household.building_id == building.id).order_by(*ROOM_ORDER)
    ).scalars())


def household_in(community: Community, household_id: int) -> Household | None:
    return db.session.execute(
        db.select(Household).join(Building)
        .where(Household.id == household_id, Building.community_id == community.id)
        .options(contains_eager(Household.building))
    ).scalar_one_or_none()


def households_page(community: Community, building: Building | None, page: int) -> tuple[list[Household], int]:
    query = db.select(Household).join(Building).where(Building.community_id == community.id)
    if building is not None:
        query = query.where(Household.building_id == building.id)
    total = db.session.scalar(db.select(func.count()).select_from(query.subquery()))
    rows = db.session.execute(
        query.options(contains_eager(Household.building))
        .order_by(Building.sort_key, *ROOM_ORDER).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).scalars().all()
    return list(rows), total
