"""In-app notifications with an unread badge, and the kinds a member has switched off."""
from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from civic.accounts.models import User
from civic.clock import utcnow
from civic.community.models import _enum
from civic.extensions import db


class NoticeKind(enum.Enum):
    REPLY = "reply"  # someone replied to my comment
    COMMENT = "comment"  # someone commented on my proposal
    ANSWER = "answer"  # official answer on a proposal I wrote or my household seconded
    STAGE = "stage"  # the project of a proposal I wrote or seconded moved stage
    NEW_IN_BUILDING = "new_in_building"  # a new proposal concerning my building (can be switched off)
    THRESHOLD = "threshold"  # for the committee: a proposal reached its seconding threshold
    REPORT = "report"  # for the committee: a new report in the moderation queue
    MEETING_SCHEDULED = "meeting_scheduled"  # a time poll I answered picked its time
    MEETING_CHANGED = "meeting_changed"  # a meeting I am going to (or waiting for) moved or was cancelled
    MEETING_REMINDER = "meeting_reminder"  # 24 hours / 2 hours before a meeting I am going to
    WAITLIST_PROMOTED = "waitlist_promoted"  # a place freed up: I am going now
    MINUTES_PUBLISHED = "minutes_published"  # minutes of a meeting I attended (or a new version)
    AMENDMENT = "amendment"  # to the organiser: an attendee proposed a change; to the proposer: the decision
    DESIGN_VERSION = "design_version"  # a new version of a design option I commented on or pinned
    DESIGN_ADDRESSED = "design_addressed"  # the designer marked my comment or pin "addressed in vN"
    VOTE_OPENED = "vote_opened"  # a vote my household is eligible for has opened
    VOTE_REMINDER = "vote_reminder"  # my household has not voted yet (sent by the committee or a leader)
    PAPER_BALLOT = "paper_ballot"  # a paper ballot was entered for my household (check it, override online)
    VOTE_RESULT = "vote_result"  # the result of a vote my household could take part in is published
    OBJECTION_ANSWERED = "objection_answered"  # the committee answered my objection (异议)


OPTIONAL_KINDS = frozenset({NoticeKind.NEW_IN_BUILDING})


class Notification(db.Model):
    __tablename__ = "notifications"
    # The badge counts one member's unread notices in one community: all three lead the index (without
    # community_id, SQLite prefers the community index and would scan every notice of a big community).
    # The list pages through one member's notices in one community, newest first.
    __table_args__ = (Index("ix_notifications_user_unread", "user_id", "community_id", "read_at", "id"),
                      Index("ix_notifications_user_list", "user_id", "community_id", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"), index=True)
    kind: Mapped[NoticeKind] = mapped_column(_enum(NoticeKind))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    option_id: Mapped[int | None] = mapped_column(ForeignKey("design_options.id", ondelete="CASCADE"))
    vote_id: Mapped[int | None] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"))
    summary: Mapped[str] = mapped_column(String(200), default="")  # plain text, escaped on output
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])


class NoticeOptOut(db.Model):
    """A kind of notification one member does not want in one community."""

    __tablename__ = "notice_opt_outs"
    __table_args__ = (UniqueConstraint("user_id", "community_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    kind: Mapped[NoticeKind] = mapped_column(_enum(NoticeKind))
