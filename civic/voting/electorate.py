"""The electorate snapshot: taken when a vote opens, so later moves and new households do not change it."""
from __future__ import annotations

from sqlalchemy import delete, insert, literal, select

from civic.community.models import Building, Household, MemberKind, Membership
from civic.extensions import db
from civic.voting.models import Caster, Elector, Unit, Vote, vote_buildings


def _households(vote: Vote):
    """Active households of the vote's buildings (all of the community's when none are chosen)."""
    query = (select(Household.id, Household.building_id, Household.area_m2)
             .join(Building, Building.id == Household.building_id)
             .where(Building.community_id == vote.community_id, Household.is_active))
    chosen = select(vote_buildings.c.building_id).where(vote_buildings.c.vote_id == vote.id)
    if db.session.scalar(select(literal(1)).where(chosen.exists())):
        query = query.where(Household.building_id.in_(chosen))
    return query


def _members(vote: Vote):
    query = select(Membership.user_id, Membership.household_id)
    if vote.owners_only:
        query = query.where(Membership.kind == MemberKind.OWNER)
    return query


def snapshot(vote: Vote) -> None:
    """Write the electors and who may cast for each (INSERT … SELECT: 15,000 households in two statements)."""
    clear(vote)
    homes = _households(vote).subquery()
    if vote.unit is Unit.HOUSEHOLD:
        db.session.execute(insert(Elector).from_select(
            ["vote_id", "household_id", "building_id", "area_m2"],
            select(literal(vote.id), homes.c.id, homes.c.building_id, homes.c.area_m2)))
        members = _members(vote).subquery()
        db.session.execute(insert(Caster).from_select(
            ["vote_id", "user_id", "elector_id"],
            select(literal(vote.id), members.c.user_id, Elector.id)
            .join(Elector, Elector.household_id == members.c.household_id).where(Elector.vote_id == vote.id)))
    else:
        members = _members(vote).subquery()
        db.session.execute(insert(Elector).from_select(
            ["vote_id", "household_id", "user_id", "building_id", "area_m2"],
            select(literal(vote.id), homes.c.id, members.c.user_id, homes.c.building_id, homes.c.area_m2)
            .join(members, members.c.household_id == homes.c.id)))
        db.session.execute(insert(Caster).from_select(
            ["vote_id", "user_id", "elector_id"],
            select(literal(vote.id), Elector.user_id, Elector.id).where(Elector.vote_id == vote.id)))


def clear(vote: Vote) -> None:
    """Drop a snapshot (settings changed before the first ballot: the next opening takes a new one)."""
    db.session.execute(delete(Caster).where(Caster.vote_id == vote.id))
    db.session.execute(delete(Elector).where(Elector.vote_id == vote.id))


def electors_of(vote: Vote, user_id: int) -> list[Elector]:
    """The electors this user may cast for (usually one: their household; a member of two households, two)."""
    return list(db.session.execute(
        select(Elector).join(Caster, Caster.elector_id == Elector.id)
        .where(Caster.vote_id == vote.id, Caster.user_id == user_id).order_by(Elector.id)).scalars())
