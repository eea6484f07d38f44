"""Micro-renewal projects (微更新项目): category, affected buildings, stage, and a timeline of events."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from civic.accounts.models import User
from civic.clock import utcnow
from civic.community.models import Building, Community, _enum
from civic.extensions import db
from civic.threads.models import Thread


class Category(enum.Enum):
    GARBAGE_ROOM = "garbage_room"  # 垃圾厢房
    COMMON_SPACE = "common_space"  # 会客厅/公共空间
    PARKING_CHARGING = "parking_charging"  # 停车/充电
    ELEVATOR = "elevator"  # 加装电梯
    GREENERY = "greenery"  # 绿化
    LIGHTING = "lighting"  # 照明
    OTHER = "other"  # 其他


class Stage(enum.Enum):
    RAISED = "raised"  # 提事
    DELIBERATING = "deliberating"  # 议事
    DESIGNING = "designing"  # 设计
    VOTING = "voting"  # 表决
    PUBLICITY = "publicity"  # 公示
    IMPLEMENTING = "implementing"  # 实施
    DONE = "done"  # 完成
    SHELVED = "shelved"  # 搁置


# The progress strip, in order; SHELVED is off the line.
STAGE_LINE = (Stage.RAISED, Stage.DELIBERATING, Stage.DESIGNING, Stage.VOTING, Stage.PUBLICITY,
              Stage.IMPLEMENTING, Stage.DONE)

project_buildings = Table(
    "project_buildings",
    db.metadata,
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True),
    Column("building_id", ForeignKey("buildings.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Project(db.Model):
    __tablename__ = "projects"
    __table_args__ = (Index("ix_projects_community_stage", "community_id", "stage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"), index=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id"), unique=True)
    title: Mapped[str] = mapped_column(String(80))
    description_md: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")  # sanitised on write by civic.web.markdown
    category: Mapped[Category] = mapped_column(_enum(Category))
    stage: Mapped[Stage] = mapped_column(_enum(Stage), default=Stage.RAISED)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    stage_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    community: Mapped[Community] = relationship()
    thread: Mapped[Thread] = relationship()
    created_by: Mapped[User | None] = relationship()
    buildings: Mapped[list[Building]] = relationship(secondary=project_buildings, order_by="Building.sort_key")
    events: Mapped[list[ProjectEvent]] = relationship(back_populates="project", order_by="ProjectEvent.id",
                                                      cascade="all, delete-orphan")


class ProjectEvent(db.Model):
    """One line of a project's timeline: created, stage moved, proposal accepted or merged; later meetings, votes."""

    __tablename__ = "project_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)

    project: Mapped[Project] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
