"""Household invite codes: random, unguessable, printed on a slip; regenerating revokes the old one."""
from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import func

from civic.audit.models import record
from civic.community.models import Building, Household, InviteCode, Membership
from civic.extensions import db

# No 0/O, 1/I/L: an elderly neighbour types the code from paper.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8  # 31**8 ≈ 8.5e11 codes; registration is rate-limited on top.


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return f"{raw[:4]}-{raw[4:]}"


def normalise(code: str) -> str:
    """Accept what people type: lower case, spaces, missing or extra hyphens."""
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:]}" if len(raw) == CODE_LENGTH else raw


def issue_codes(households: list[Household], now: datetime) -> None:
    """Give each household without an active code a fresh one."""
    for household in households:
        db.session.add(InviteCode(household=household, code=new_code(), created_at=now))


def regenerate(household: Household, actor, now: datetime) -> InviteCode:  # noqa: ANN001
    for code in household.invite_codes:
        if code.revoked_at is None:
            code.revoked_at = now
    fresh = InviteCode(household=household, code=new_code(), created_at=now)
    db.session.add(fresh)
    record(household.building.community_id, actor, "invite.regenerate", household.label, now)
    return fresh


def find_active(code: str) -> InviteCode | None:
    return db.session.execute(
        db.select(InviteCode).where(InviteCode.code == normalise(code), InviteCode.revoked_at.is_(None))
    ).scalar_one_or_none()


def active_codes(household_ids: list[int]) -> dict[int, str]:
    rows = db.session.execute(
        db.select(InviteCode.household_id, InviteCode.code)
        .where(InviteCode.household_id.in_(household_ids), InviteCode.revoked_at.is_(None))
    )
    return {household_id: code for household_id, code in rows}


def member_counts(household_ids: list[int]) -> dict[int, int]:
    rows = db.session.execute(
        db.select(Membership.household_id, func.count())
        .where(Membership.household_id.in_(household_ids))
        .group_by(Membership.household_id)
    )
    return dict(rows.all())


def households_without_code(community_id: int) -> list[Household]:
    has_code = db.select(InviteCode.id).where(InviteCode.household_id == Household.id, InviteCode.revoked_at.is_(None))
    return list(db.session.execute(
        db.select(Household).join(Building).where(Building.community_id == community_id, ~has_code.exists())
    ).scalars())
