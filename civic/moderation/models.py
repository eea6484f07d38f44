"""Reports of comments and proposals that a resident thinks break the community's rules."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from civic.accounts.models import User
from civic.clock import utcnow
from civic.extensions import db


class Report(db.Model):
    __tablename__ = "reports"
    __table_args__ = (
        CheckConstraint("(comment_id IS NULL) <> (proposal_id IS NULL)", name="one_target"),
        UniqueConstraint("reporter_id", "comment_id"),
        UniqueConstraint("reporter_id", "proposal_id"),
        Index("ix_reports_community_open", "community_id", "resolved_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolution: Mapped[str] = mapped_column(String(20), default="")  # "hidden" or "dismissed"

    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])
