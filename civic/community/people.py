"""How a person is shown to neighbours: display name and building, never a room number or full name."""
from __future__ import annotations

from civic.accounts.models import User
from civic.community.models import Building, Community, Household, Membership
from civic.extensions import db

SEPARATOR = " · "


def public_label(display_name: str, building_name: str | None) -> str:
    return f"{display_name}{SEPARATOR}{building_name}" if building_name else display_name


def public_labels(users: list[User], community: Community) -> dict[int, str]:
    """One query for many people: user id → "王阿姨 · 7号楼" (their first household's building here)."""
    ids = {u.id for u in users}
    # Driven by the user ids (their index), with the community checked per row: without table statistics
    # SQLite otherwise starts from the community's buildings and walks thousands of households.
    rows = db.session.execute(
        db.select(Membership.user_id, Building.name, Building.community_id)
        .join(Household, Household.id == Membership.household_id).join(Building, Building.id == Household.building_id)
        .where(Membership.user_id.in_(ids)).order_by(Membership.id)
    ) if ids else []
    buildings: dict[int, str] = {}
    for user_id, building_name, community_id in rows:
        if community_id == community.id:
            buildings.setdefault(user_id, building_name)
    return {u.id: public_label(u.display_name, buildings.get(u.id)) for u in users}
