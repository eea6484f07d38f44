"""Who may do what in a community: small named predicates over a user's standing there."""
from __future__ import annotations

from dataclasses import dataclass

from civic.community.models import COMMITTEE_ROLES, Building, Community, Household, Membership, Role, RoleGrant, role_buildings
from civic.extensions import db


@dataclass(frozen=True)
class Standing:
    """What one user is in one community: their households there and their roles."""

    user_id: int | None
    community_id: int
    household_ids: tuple[int, ...] = ()
    roles: frozenset[Role] = frozenset()
    led_building_ids: frozenset[int] = frozenset()

    @property
    def is_member(self) -> bool:
        return bool(self.household_ids or self.roles)

    @property
    def is_committee(self) -> bool:
        return bool(self.roles & COMMITTEE_ROLES) or Role.ADMIN in self.roles


def standing_of(user, community: Community) -> Standing:  # noqa: ANN001 (User or AnonymousUserMixin)
    if not getattr(user, "is_authenticated", False):
        return Standing(None, community.id)
    households = db.session.execute(
        db.select(Household.id)
        .join(Membership, Membership.household_id == Household.id)
        .join(Building, Building.id == Household.building_id)
        .where(Membership.user_id == user.id, Building.community_id == community.id, Household.is_active)
        .order_by(Household.id)
    ).scalars().all()
    grants = db.session.execute(
        db.select(RoleGrant.id, RoleGrant.role).where(RoleGrant.user_id == user.id, RoleGrant.community_id == community.id)
    ).all()
    led = set()
    leader_grants = [g.id for g in grants if g.role is Role.BUILDING_LEADER]
    if leader_grants:
        led = set(db.session.execute(
            db.select(role_buildings.c.building_id).where(role_buildings.c.role_grant_id.in_(leader_grants))
        ).scalars())
    return Standing(user.id, community.id, tuple(households), frozenset(g.role for g in grants), frozenset(led))


def can_view_community(st: Standing) -> bool:
    return st.is_member


def can_manage_roster(st: Standing) -> bool:
    """Import the household roster: the administrator and the residents' committee (居委会)."""
    return bool(st.roles & {Role.ADMIN, Role.RESIDENTS_COMMITTEE})


def can_manage_invites(st: Standing) -> bool:
    """See, print and regenerate households' invite codes."""
    return st.is_committee


def can_view_households(st: Standing) -> bool:
    return st.is_committee


def can_manage_roles(st: Standing) -> bool:
    return Role.ADMIN in st.roles


def can_read_audit(st: Standing) -> bool:
    return st.is_committee
