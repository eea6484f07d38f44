"""Granting and revoking community roles, each written to the audit log."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func
from sqlalchemy.orm import selectinload

from civic.accounts.models import User, find_by_username
from civic.audit.models import record
from civic.community.models import Building, Community, Role, RoleGrant
from civic.errors import RuleViolation
from civic.extensions import db


def grants_of(community: Community) -> list[RoleGrant]:
    return list(db.session.execute(
        db.select(RoleGrant).where(RoleGrant.community_id == community.id)
        .options(selectinload(RoleGrant.user), selectinload(RoleGrant.buildings))
        .order_by(RoleGrant.role, RoleGrant.created_at)
    ).scalars())


def grant(community: Community, username: str, role: Role, buildings: list[Building], actor: User,
          now: datetime) -> RoleGrant:
    user = find_by_username(username)
    if user is None:
        raise RuleViolation(_("No account has the login name “%(name)s”.", name=username), "username")
    if role is Role.BUILDING_LEADER and not buildings:
        raise RuleViolation(_("Choose the buildings this building-group leader represents."), "buildings")
    if any(b.community_id != community.id for b in buildings):
        raise RuleViolation(_("Choose buildings of this community."), "buildings")
    existing = db.session.execute(db.select(RoleGrant).where(
        RoleGrant.community_id == community.id, RoleGrant.user_id == user.id, RoleGrant.role == role)).scalar_one_or_none()
    if existing is not None and role is not Role.BUILDING_LEADER:
        raise RuleViolation(_("%(name)s already has this role.", name=user.display_name), "username")
    if existing is None:
        row = RoleGrant(community=community, user=user, role=role, granted_by_id=actor.id, created_at=now,
                        buildings=list(buildings))
        db.session.add(row)
    else:  # a building-group leader takes on more buildings
        row = existing
        row.buildings = sorted(set(row.buildings) | set(buildings), key=lambda b: b.sort_key)
    record(community.id, actor, "role.grant", user.display_name, now, role=role.value, user_id=user.id,
           buildings=[b.name for b in row.buildings])
    return row


def revoke(row: RoleGrant, actor: User, now: datetime) -> None:
    if row.role is Role.ADMIN and row.user_id == actor.id:
        other_admins = db.session.scalar(db.select(func.count()).select_from(RoleGrant).where(
            RoleGrant.community_id == row.community_id, RoleGrant.role == Role.ADMIN, RoleGrant.id != row.id))
        if not other_admins:
            raise RuleViolation(_("You are the only administrator; grant the role to someone else first."))
    record(row.community_id, actor, "role.revoke", row.user.display_name, now, role=row.role.value, user_id=row.user_id)
    db.session.delete(row)
