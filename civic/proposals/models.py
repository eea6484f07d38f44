"""Proposals (提事): a resident's issue with photos, its edit history, and households' seconds (附议)."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from civic.accounts.models import User
from civic.clock import utcnow
from civic.community.models import Building, Community, Household, _enum
from civic.extensions import db
from civic.projects.models import Category, Project
from civic.threads.models import Thread

MAX_PHOTOS = 9
TITLE_MAX = 80


class ProposalStatus(enum.Enum):
    DRAFT = "draft"  # private to the author
    OPEN = "open"  # published, collecting seconds
    ACCEPTED = "accepted"  # into a project (new or existing)
    MERGED = "merged"  # a duplicate, pointed to another proposal
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"  # by its author


class AnswerKind(enum.Enum):
    ACCEPT = "accept"
    MERGE = "merge"
    DECLINE = "decline"


proposal_buildings = Table(
    "proposal_buildings",
    db.metadata,
    Column("proposal_id", ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True),
    Column("building_id", ForeignKey("buildings.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Proposal(db.Model):
    __tablename__ = "proposals"
    __table_args__ = (
        Index("ix_proposals_community_status", "community_id", "status", "published_at"),
        # "All but withdrawn", newest first: status IN (…) cannot walk the index above in date order.
        Index("ix_proposals_community_published", "community_id", "published_at"),
        Index("ix_proposals_community_seconds", "community_id", "second_count"),
        Index("ix_proposals_community_activity", "community_id", "last_activity_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id"), unique=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    body_md: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")  # sanitised on write by civic.web.markdown
    category: Mapped[Category] = mapped_column(_enum(Category))
    status: Mapped[ProposalStatus] = mapped_column(_enum(ProposalStatus), default=ProposalStatus.DRAFT)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    published_at: Mapped[datetime | None]
    edited_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    second_count: Mapped[int] = mapped_column(default=0)  # households; kept in step with Second rows
    threshold_reached_at: Mapped[datetime | None]
    # The committee's official answer, shown at the top of the proposal.
    answer_kind: Mapped[AnswerKind | None] = mapped_column(_enum(AnswerKind))
    answer_md: Mapped[str] = mapped_column(Text, default="")
    answer_html: Mapped[str] = mapped_column(Text, default="")
    answered_at: Mapped[datetime | None]
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="SET NULL"), index=True)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id", ondelete="SET NULL"))
    # Moderation: others see "hidden by the committee: reason"; the author still sees the text.
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str] = mapped_column(String(200), default="")
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    community: Mapped[Community] = relationship()
    thread: Mapped[Thread] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    household: Mapped[Household | None] = relationship()
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])
    project: Mapped[Project | None] = relationship()
    merged_into: Mapped[Proposal | None] = relationship(remote_side=[id])
    buildings: Mapped[list[Building]] = relationship(secondary=proposal_buildings, order_by="Building.sort_key")
    photos: Mapped[list[ProposalPhoto]] = relationship(back_populates="proposal", order_by="ProposalPhoto.position",
                                                       cascade="all, delete-orphan")
    revisions: Mapped[list[ProposalRevision]] = relationship(back_populates="proposal",
                                                             order_by="ProposalRevision.id",
                                                             cascade="all, delete-orphan")


class ProposalRevision(db.Model):
    """A version of a proposal as it was before an edit replaced it ("edited" → history)."""

    __tablename__ = "proposal_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    category: Mapped[Category] = mapped_column(_enum(Category))
    written_at: Mapped[datetime]  # when this version was written
    replaced_at: Mapped[datetime]  # when the edit replaced it
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    proposal: Mapped[Proposal] = relationship(back_populates="revisions")


class ProposalPhoto(db.Model):
    __tablename__ = "proposal_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)  # civic.web.uploads stored name
    # Indexed: a thumbnail URL names the file, and serving it looks the row up by that name.
    phone_name: Mapped[str] = mapped_column(String(64), index=True)
    desktop_name: Mapped[str] = mapped_column(String(64), index=True)
    width: Mapped[int]
    height: Mapped[int]
    position: Mapped[int] = mapped_column(default=0)
    original_filename: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    proposal: Mapped[Proposal] = relationship(back_populates="photos")


class Second(db.Model):
    """附议: one per household per proposal, enforced by the UNIQUE constraint, not by a prior check."""

    __tablename__ = "seconds"
    __table_args__ = (UniqueConstraint("proposal_id", "household_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User | None] = relationship()
    household: Mapped[Household] = relationship()
