"""Discussion threads on proposals and projects: comments, one level of replies, opinion labels."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from civic.accounts.models import User
from civic.clock import utcnow
from civic.community.models import Household, _enum
from civic.extensions import db


class ThreadKind(enum.Enum):
    PROPOSAL = "proposal"
    PROJECT = "project"
    DESIGN = "design"  # a design option (方案) of a project


class Opinion(enum.Enum):
    """An opinion shown beside a comment; never a vote."""

    FOR = "for"  # 支持
    AGAINST = "against"  # 反对
    QUESTION = "question"  # 疑问


class Thread(db.Model):
    """The conversation under one proposal or project. `version` grows on every change so a poll is one lookup."""

    __tablename__ = "threads"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ThreadKind] = mapped_column(_enum(ThreadKind))
    version: Mapped[int] = mapped_column(default=0)
    comment_count: Mapped[int] = mapped_column(default=0)  # all comments and replies, withdrawn ones included
    last_comment_at: Mapped[datetime | None]
    is_locked: Mapped[bool] = mapped_column(default=False)
    locked_at: Mapped[datetime | None]
    locked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    locked_reason: Mapped[str] = mapped_column(String(200), default="")


class Comment(db.Model):
    __tablename__ = "comments"
    __table_args__ = (
        Index("ix_comments_thread_parent_id", "thread_id", "parent_id", "id"),
        Index("ix_comments_thread_changed", "thread_id", "changed_version"),
        # The highest comment id of a thread (the poll's watermark) without scanning the thread.
        Index("ix_comments_thread_id_id", "thread_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("threads.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id", ondelete="SET NULL"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))  # one level only
    quoted_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="SET NULL"))
    quote_text: Mapped[str] = mapped_column(String(200), default="")  # plain-text snapshot, escaped on output
    opinion: Mapped[Opinion | None] = mapped_column(_enum(Opinion))
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)  # sanitised on write by civic.web.markdown
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str] = mapped_column(String(200), default="")
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_version: Mapped[int] = mapped_column(default=0)  # the thread version of this comment's last change

    thread: Mapped[Thread] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    household: Mapped[Household | None] = relationship()
    parent: Mapped[Comment | None] = relationship(remote_side=[id], foreign_keys=[parent_id])
    quoted: Mapped[Comment | None] = relationship(remote_side=[id], foreign_keys=[quoted_id])

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def top_level_id(self) -> int:
        """Replies hang under one top-level comment (one level of nesting)."""
        return self.parent_id or self.id
