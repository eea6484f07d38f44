"""Meetings (小圆桌 / 议事会 / 书记会客日): agenda, time poll, RSVP, sign-in, minutes, round-table notes."""
from __future__ import annotations

import enum
from datetime import date, datetime, time

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from civic.accounts.models import User
from civic.clock import utcnow
from civic.community.models import Community, Household, _enum
from civic.extensions import db
from civic.projects.models import Project
from civic.proposals.models import Proposal

TITLE_MAX = 80
PLACE_MAX = 80
AGENDA_TITLE_MAX = 120
REASON_MAX = 200
SIGNIN_CODE_LENGTH = 6


class MeetingKind(enum.Enum):
    ROUND_TABLE = "round_table"  # 小圆桌: informal, any resident may propose one
    DELIBERATION = "deliberation"  # 议事会: formal, the committee
    RECEPTION = "reception"  # 书记会客日: a recurring series, the committee


class MeetingStatus(enum.Enum):
    POLLING = "polling"  # the time is not fixed yet: residents answer candidate slots (约时间)
    SCHEDULED = "scheduled"  # starts_at/ends_at are set ("past" is derived from ends_at and the clock)
    CANCELLED = "cancelled"


class PollAnswerKind(enum.Enum):
    YES = "yes"
    MAYBE = "maybe"  # if need be
    NO = "no"


class RsvpStatus(enum.Enum):
    GOING = "going"
    WAITLIST = "waitlist"  # capacity was reached; promoted in `waitlisted_at` order when a place frees
    NOT_GOING = "not_going"


class SignInMethod(enum.Enum):
    CODE = "code"  # scanned the QR code or typed the code at the venue
    MANUAL = "manual"  # signed in by the organiser


class ActionStatus(enum.Enum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    BLOCKED = "blocked"


class AmendmentStatus(enum.Enum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


meeting_projects = Table(
    "meeting_projects",
    db.metadata,
    Column("meeting_id", ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    Column("project_id", ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True, index=True),
)

meeting_proposals = Table(
    "meeting_proposals",
    db.metadata,
    Column("meeting_id", ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    Column("proposal_id", ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class MeetingSeries(db.Model):
    """A recurring meeting such as "the first Tuesday of every month, 14:00–16:00": it generates occurrences."""

    __tablename__ = "meeting_series"
    __table_args__ = (CheckConstraint("nth BETWEEN -1 AND 5 AND nth <> 0", name="nth_valid"),
                      CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday_valid"))

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"), index=True)
    kind: Mapped[MeetingKind] = mapped_column(_enum(MeetingKind), default=MeetingKind.RECEPTION)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    place: Mapped[str] = mapped_column(String(PLACE_MAX))
    nth: Mapped[int]  # 1..5 = first..fifth, -1 = last weekday of the month
    weekday: Mapped[int]  # Monday = 0, as in Python's date.weekday()
    starts_local: Mapped[time]  # Asia/Shanghai wall-clock times
    ends_local: Mapped[time]
    first_month: Mapped[date]  # the first day of the first month generated
    months: Mapped[int] = mapped_column(default=12)
    capacity: Mapped[int | None]
    organiser_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]  # the committee ended the series: future occurrences cancelled

    community: Mapped[Community] = relationship()
    organiser: Mapped[User | None] = relationship()


class Meeting(db.Model):
    __tablename__ = "meetings"
    __table_args__ = (
        Index("ix_meetings_community_starts", "community_id", "starts_at"),
        Index("ix_meetings_community_status", "community_id", "status"),
        CheckConstraint("ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        CheckConstraint("capacity IS NULL OR going_count <= capacity", name="going_within_capacity"),
        CheckConstraint("going_count >= 0", name="going_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    series_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_series.id", ondelete="SET NULL"), index=True)
    kind: Mapped[MeetingKind] = mapped_column(_enum(MeetingKind))
    status: Mapped[MeetingStatus] = mapped_column(_enum(MeetingStatus), default=MeetingStatus.SCHEDULED)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    description_md: Mapped[str] = mapped_column(Text, default="")
    description_html: Mapped[str] = mapped_column(Text, default="")  # sanitised on write by civic.web.markdown
    place: Mapped[str] = mapped_column(String(PLACE_MAX))
    starts_at: Mapped[datetime | None]  # UTC; None while a time poll runs
    ends_at: Mapped[datetime | None]
    capacity: Mapped[int | None]  # None: no limit
    # Kept in step with GOING rows by conditional UPDATEs, so concurrent RSVPs never exceed capacity.
    going_count: Mapped[int] = mapped_column(default=0)
    organiser_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    cancelled_at: Mapped[datetime | None]
    cancel_reason: Mapped[str] = mapped_column(String(REASON_MAX), default="")
    # Time poll (约时间): an optional deadline closes it on its own; picking a slot closes it too.
    poll_deadline_at: Mapped[datetime | None]
    poll_closed_at: Mapped[datetime | None]
    # Sign-in: a random code per meeting (QR or typed); valid on the meeting's local day only (rules.py).
    signin_code: Mapped[str] = mapped_column(String(16), unique=True)
    # Minutes: the first publication opens the 3-day amendment window.
    minutes_published_at: Mapped[datetime | None]

    community: Mapped[Community] = relationship()
    series: Mapped[MeetingSeries | None] = relationship()
    organiser: Mapped[User | None] = relationship()
    projects: Mapped[list[Project]] = relationship(secondary=meeting_projects, order_by="Project.id")
    proposals: Mapped[list[Proposal]] = relationship(secondary=meeting_proposals, order_by="Proposal.id")
    agenda: Mapped[list[AgendaItem]] = relationship(back_populates="meeting", order_by="AgendaItem.position",
                                                    cascade="all, delete-orphan")
    slots: Mapped[list[PollSlot]] = relationship(back_populates="meeting", order_by="PollSlot.starts_at",
                                                 cascade="all, delete-orphan")

    @property
    def is_cancelled(self) -> bool:
        return self.status is MeetingStatus.CANCELLED

    @property
    def is_polling(self) -> bool:
        return self.status is MeetingStatus.POLLING


class AgendaItem(db.Model):
    __tablename__ = "agenda_items"
    __table_args__ = (CheckConstraint("minutes IS NULL OR minutes > 0", name="minutes_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(AGENDA_TITLE_MAX))
    minutes: Mapped[int | None]  # time box
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id", ondelete="SET NULL"))

    meeting: Mapped[Meeting] = relationship(back_populates="agenda")
    proposal: Mapped[Proposal | None] = relationship()


class PollSlot(db.Model):
    """A candidate time offered by the organiser; its yes/maybe/no counts are counted from the answers when shown."""

    __tablename__ = "poll_slots"
    __table_args__ = (UniqueConstraint("meeting_id", "starts_at"),
                      CheckConstraint("ends_at > starts_at", name="slot_ends_after_start"))

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    is_chosen: Mapped[bool] = mapped_column(default=False)

    meeting: Mapped[Meeting] = relationship(back_populates="slots")


class PollAnswer(db.Model):
    __tablename__ = "poll_answers"
    __table_args__ = (UniqueConstraint("slot_id", "user_id"),
                      Index("ix_poll_answers_meeting_user", "meeting_id", "user_id"),
                      # Covers the poll's counts (poll.tallies): each slot's yes/maybe/no read from the index alone.
                      Index("ix_poll_answers_slot_answer", "slot_id", "answer"))

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    slot_id: Mapped[int] = mapped_column(ForeignKey("poll_slots.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    answer: Mapped[PollAnswerKind] = mapped_column(_enum(PollAnswerKind))
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class Rsvp(db.Model):
    """One person's answer to a meeting (by person; the household is shown beside the name)."""

    __tablename__ = "rsvps"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),
                      Index("ix_rsvps_meeting_status", "meeting_id", "status", "waitlisted_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id", ondelete="SET NULL"))
    status: Mapped[RsvpStatus] = mapped_column(_enum(RsvpStatus))
    responded_at: Mapped[datetime] = mapped_column(default=utcnow)
    waitlisted_at: Mapped[datetime | None]
    promoted_at: Mapped[datetime | None]
    # Reminders (flask meetings send-reminders): set by a conditional UPDATE, so nobody is reminded twice.
    reminded_day_at: Mapped[datetime | None]  # 24 hours before
    reminded_hours_at: Mapped[datetime | None]  # 2 hours before

    user: Mapped[User] = relationship()
    household: Mapped[Household | None] = relationship()


class Attendance(db.Model):
    """A person signed in at the meeting: by the code, or by the organiser's hand (then maybe with no account)."""

    __tablename__ = "attendances"
    __table_args__ = (UniqueConstraint("meeting_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    household_id: Mapped[int | None] = mapped_column(ForeignKey("households.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(40), default="")  # a neighbour without an account, typed by hand
    method: Mapped[SignInMethod] = mapped_column(_enum(SignInMethod))
    signed_in_at: Mapped[datetime] = mapped_column(default=utcnow)
    signed_in_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    household: Mapped[Household | None] = relationship()


class MeetingPhoto(db.Model):
    """A photo kept with a meeting: the paper sign-in sheet, or a round-table note's whiteboard."""

    __tablename__ = "meeting_photos"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))  # "signin_sheet" | "note"
    name: Mapped[str] = mapped_column(String(64), unique=True)  # civic.web.uploads stored names
    phone_name: Mapped[str] = mapped_column(String(64), index=True)
    desktop_name: Mapped[str] = mapped_column(String(64), index=True)
    width: Mapped[int]
    height: Mapped[int]
    original_filename: Mapped[str] = mapped_column(String(120), default="")
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MinutesVersion(db.Model):
    """会议纪要: every publication or accepted amendment is a new numbered version; old ones stay readable."""

    __tablename__ = "minutes_versions"
    __table_args__ = (UniqueConstraint("meeting_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    number: Mapped[int]
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    decisions: Mapped[list] = mapped_column(JSON, default=list)  # plain strings, escaped on output
    note: Mapped[str] = mapped_column(String(REASON_MAX), default="")  # why this version ("amendment by …")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    amendment_id: Mapped[int | None] = mapped_column(ForeignKey("minutes_amendments.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship()


class MinutesDraft(db.Model):
    """The organiser's unpublished minutes (one per meeting), so a half-written text is never lost."""

    __tablename__ = "minutes_drafts"

    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True)
    body_md: Mapped[str] = mapped_column(Text, default="")
    decisions: Mapped[list] = mapped_column(JSON, default=list)
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)
    saved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class MinutesAmendment(db.Model):
    """An attendee's proposed change to published minutes, within 3 days; accepted → a new version."""

    __tablename__ = "minutes_amendments"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    proposer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    base_number: Mapped[int]  # the version it amends
    body_md: Mapped[str] = mapped_column(Text)  # the proposed full text
    body_html: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(REASON_MAX))
    status: Mapped[AmendmentStatus] = mapped_column(_enum(AmendmentStatus), default=AmendmentStatus.PENDING)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decline_reason: Mapped[str] = mapped_column(String(REASON_MAX), default="")

    proposer: Mapped[User | None] = relationship(foreign_keys=[proposer_id])


class ActionItem(db.Model):
    """A to-do decided at the meeting: what, who (a carriage or a person), due date, status."""

    __tablename__ = "action_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    what: Mapped[str] = mapped_column(String(200))
    owner_role: Mapped[str | None] = mapped_column(String(32))  # a civic.community.models.Role value (a carriage)
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    due_on: Mapped[date | None]
    status: Mapped[ActionStatus] = mapped_column(_enum(ActionStatus), default=ActionStatus.PLANNED)
    blocked_reason: Mapped[str] = mapped_column(String(REASON_MAX), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    owner_user: Mapped[User | None] = relationship()


class RoundTableNote(db.Model):
    """A few lines taken at a small round table (maybe a whiteboard photo); can be promoted into a proposal."""

    __tablename__ = "round_table_notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(String(1000))  # plain text, escaped on output
    photo_id: Mapped[int | None] = mapped_column(ForeignKey("meeting_photos.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id", ondelete="SET NULL"), unique=True)
    promoted_at: Mapped[datetime | None]
    promoted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    photo: Mapped[MeetingPhoto | None] = relationship()
    proposal: Mapped[Proposal | None] = relationship()
