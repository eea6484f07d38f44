"""How a person is shown to neighbours: display name and building, never a room number or full name."""
from __future__ import annotations

from sqlalchemy.orm import contains_eager

from civic.accounts.models import User
from civic.community.models import Building, Community, Household, Membership
from civic.extensions import db

SEPARATOR = " · "


def public_label(display_name: str, building_name: str | None) -> str:
    return f"{display_name}{SEPARATOR}{building_name}" if building_name else display_name


def public_labels(users: list[User], community: Community) -> dict[int, str]:
    """One query for many people: user id → "王阿姨 · 7号楼" (their first household's building here)."""
    ids = [u.id for u in users]
    rows = db.session.execute(
        db.select(Membership).join(Household).join(Building)
        .where(Membership.user_id.in_(ids), Building.community_id == community.id)
        .options(contains_eager(Membership.household).contains_eager(Household.building))
        .order_by(Membership.id)
    ).scalars()
    buildings: dict[int, str] = {}
    for membership in rows:
        buildings.setdefault(membership.user_id, membership.household.building.name)
    return {u.id: public_label(u.display_name, buildings.get(u.id)) for u in users}
