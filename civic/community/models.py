"""The community registry: communities, buildings, households, members and roles."""
from __future__ import annotations

import enum
import re
from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Column, Enum, ForeignKey, Numeric, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from civic.accounts.models import User
from civic.clock import utcnow
from civic.extensions import db


def _enum(cls: type[enum.Enum]) -> Enum:
    # Store the value (stable, readable in SQL) and skip native PG enum types so migrations stay simple.
    return Enum(cls, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e],
                validate_strings=True)


class Role(enum.Enum):
    ADMIN = "admin"
    RESIDENTS_COMMITTEE = "residents_committee"  # 居委会
    OWNERS_COMMITTEE = "owners_committee"  # 业委会
    PROPERTY_MANAGEMENT = "property_management"  # 物业
    DESIGNER = "designer"  # 居民设计师
    BUILDING_LEADER = "building_leader"  # 楼组长
    EXPERT = "expert"  # 专家评审


COMMITTEE_ROLES = frozenset({Role.RESIDENTS_COMMITTEE, Role.OWNERS_COMMITTEE, Role.PROPERTY_MANAGEMENT})


class MemberKind(enum.Enum):
    OWNER = "owner"  # 业主
    FAMILY = "family"  # 家庭成员
    TENANT = "tenant"  # 租户


class Community(db.Model):
    __tablename__ = "communities"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(80))
    street: Mapped[str] = mapped_column(String(80), default="")
    district: Mapped[str] = mapped_column(String(80), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Seconding (附议) threshold: a number of households, or a percentage of the affected buildings' households.
    second_threshold_households: Mapped[int | None] = mapped_column(default=10)
    second_threshold_percent: Mapped[int | None]

    buildings: Mapped[list[Building]] = relationship(back_populates="community", order_by="Building.sort_key")


class Building(db.Model):
    __tablename__ = "buildings"
    __table_args__ = (UniqueConstraint("community_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(40))
    grid: Mapped[str | None] = mapped_column(String(40))  # 微网格
    sort_key: Mapped[str] = mapped_column(String(80), default="")

    community: Mapped[Community] = relationship(back_populates="buildings")
    households: Mapped[list[Household]] = relationship(back_populates="building")

    @validates("name")
    def _set_sort_key(self, key: str, name: str) -> str:
        """Natural order: 2号楼 before 10号楼."""
        self.sort_key = re.sub(r"\d+", lambda m: m.group().zfill(6), name)
        return name


class Household(db.Model):
    """户: one exclusive part (unit) with its registered floor area."""

    __tablename__ = "households"
    __table_args__ = (
        UniqueConstraint("building_id", "room"),
        CheckConstraint("area_m2 > 0", name="area_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("buildings.id", ondelete="CASCADE"), index=True)
    room: Mapped[str] = mapped_column(String(20))
    area_m2: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    is_active: Mapped[bool] = mapped_column(default=True)

    building: Mapped[Building] = relationship(back_populates="households")
    memberships: Mapped[list[Membership]] = relationship(back_populates="household")
    invite_codes: Mapped[list[InviteCode]] = relationship(back_populates="household")

    @property
    def label(self) -> str:
        return f"{self.building.name} {self.room}"


class InviteCode(db.Model):
    """The code printed on a household's door slip. Regenerating revokes the old one."""

    __tablename__ = "invite_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    household: Mapped[Household] = relationship(back_populates="invite_codes")


class Membership(db.Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "household_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    kind: Mapped[MemberKind] = mapped_column(_enum(MemberKind), default=MemberKind.OWNER)
    invite_code_id: Mapped[int | None] = mapped_column(ForeignKey("invite_codes.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    household: Mapped[Household] = relationship(back_populates="memberships")


role_buildings = Table(
    "role_buildings",
    db.metadata,
    Column("role_grant_id", ForeignKey("role_grants.id", ondelete="CASCADE"), primary_key=True),
    Column("building_id", ForeignKey("buildings.id", ondelete="CASCADE"), primary_key=True),
)


class RoleGrant(db.Model):
    __tablename__ = "role_grants"
    __table_args__ = (UniqueConstraint("community_id", "user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(_enum(Role))
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(back_populates="role_grants", foreign_keys=[user_id])
    community: Mapped[Community] = relationship()
    buildings: Mapped[list[Building]] = relationship(secondary=role_buildings, order_by="Building.sort_key")
