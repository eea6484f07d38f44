"""Votes of a project: settings frozen at the first ballot, the electorate snapshot, ballots and their history."""
from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import (JSON, Boolean, CheckConstraint, Column, ForeignKey, Index, Numeric, SmallInteger, String,
                        Table, Text, UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from civic.accounts.models import User
from civic.clock import utcnow
from civic.community.models import Building, _enum
from civic.extensions import db


class Method(enum.Enum):
    YES_NO = "yes_no"  # 同意 / 反对 / 弃权 on the question itself (no choices)
    SINGLE = "single"  # one choice
    APPROVAL = "approval"  # any number of choices, at most `max_choices`
    RANKED = "ranked"  # a ranking, counted by instant runoff
    SCORE = "score"  # 0–5 for every choice


class Unit(enum.Enum):
    HOUSEHOLD = "household"  # one ballot per household (户), the default
    RESIDENT = "resident"  # one ballot per registered resident


class Preset(enum.Enum):
    ART278_MAJOR = "art278_major"  # 民法典第278条 第(六)至(八)项: 参与 ≥2/3 面积且 ≥2/3 人数; 同意 ≥3/4 参与面积且人数
    ART278_OTHER = "art278_other"  # 其他事项: 同样的参与; 同意 > 1/2 参与面积且人数
    SIMPLE_MAJORITY = "simple_majority"  # 过半数 of ballots cast
    HOUSEHOLD_MAJORITY = "household_majority"  # 过半数 of all eligible households
    CUSTOM = "custom"


class Basis(enum.Enum):
    NONE = "none"  # no threshold
    HEAD = "head"  # by number (owners = households, or residents)
    AREA = "area"  # by exclusive-part floor area
    BOTH = "both"  # by head and by area (Art. 278's double threshold)


class Op(enum.Enum):
    GE = "ge"  # 以上 / 不少于: the number itself counts
    GT = "gt"  # 过半数 / 超过: strictly more


class ApprovalBase(enum.Enum):
    PARTICIPATING = "participating"  # shares of those who took part (abstentions included)
    ELIGIBLE = "eligible"  # shares of the whole electorate


class Secrecy(enum.Enum):
    SECRET = "secret"  # only totals and "has voted" are ever shown
    NAMED = "named"  # the committee can view and export the ballot register


class State(enum.Enum):
    DRAFT = "draft"  # being set up by the committee; residents do not see it
    SCHEDULED = "scheduled"  # announced; opens at opens_at (the electorate is frozen then)
    OPEN = "open"
    CLOSED = "closed"  # the tally and digest are stored; waiting for the result to be published
    PUBLISHED = "published"  # the result is public; a passing result starts its publicity period (公示)


class Channel(enum.Enum):
    ONLINE = "online"
    PAPER = "paper"  # 纸质表决票, entered by a building-group leader or a committee member


class Answer(enum.Enum):
    """A ballot's answer on a yes/no vote; on choice votes only ABSTAIN is used (no marks then)."""

    FOR = "for"  # 同意
    AGAINST = "against"  # 反对
    ABSTAIN = "abstain"  # 弃权: participation, never approval


class SignAction(enum.Enum):
    CLOSE = "close"  # close before the deadline
    PUBLISH = "publish"  # publish the result


vote_buildings = Table(
    "vote_buildings",
    db.metadata,
    Column("vote_id", ForeignKey("votes.id", ondelete="CASCADE"), primary_key=True),
    Column("building_id", ForeignKey("buildings.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Vote(db.Model):
    """One question put to the electorate of a project. Settings are frozen once a ballot exists."""

    __tablename__ = "votes"
    __table_args__ = (
        CheckConstraint("closes_at > opens_at", name="closes_after_opens"),
        CheckConstraint("part_den > 0 AND part_num >= 0 AND part_num <= part_den", name="part_fraction"),
        CheckConstraint("appr_den > 0 AND appr_num >= 0 AND appr_num <= appr_den", name="appr_fraction"),
        CheckConstraint("expert_weight_percent >= 0 AND expert_weight_percent <= 100", name="expert_weight"),
        CheckConstraint("signoffs_required >= 1 AND signoffs_required <= 3", name="signoffs"),
        CheckConstraint("publicity_days >= 0 AND publicity_days <= 60", name="publicity_days"),
        Index("ix_votes_state_closes", "state", "closes_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    explanation_md: Mapped[str] = mapped_column(Text, default="")
    explanation_html: Mapped[str] = mapped_column(Text, default="")  # sanitised on write by civic.web.markdown
    method: Mapped[Method] = mapped_column(_enum(Method), default=Method.YES_NO)
    max_choices: Mapped[int | None]  # APPROVAL: at most this many (None: any number)
    unit: Mapped[Unit] = mapped_column(_enum(Unit), default=Unit.HOUSEHOLD)
    owners_only: Mapped[bool] = mapped_column(default=True)
    # The decision rule as numbers (a preset fills them in, so the stored vote says exactly what it applied).
    preset: Mapped[Preset] = mapped_column(_enum(Preset), default=Preset.ART278_MAJOR)
    part_basis: Mapped[Basis] = mapped_column(_enum(Basis), default=Basis.BOTH)
    part_op: Mapped[Op] = mapped_column(_enum(Op), default=Op.GE)
    part_num: Mapped[int] = mapped_column(default=2)
    part_den: Mapped[int] = mapped_column(default=3)
    appr_basis: Mapped[Basis] = mapped_column(_enum(Basis), default=Basis.BOTH)
    appr_op: Mapped[Op] = mapped_column(_enum(Op), default=Op.GE)
    appr_num: Mapped[int] = mapped_column(default=3)
    appr_den: Mapped[int] = mapped_column(default=4)
    appr_base: Mapped[ApprovalBase] = mapped_column(_enum(ApprovalBase), default=ApprovalBase.PARTICIPATING)
    secrecy: Mapped[Secrecy] = mapped_column(_enum(Secrecy), default=Secrecy.SECRET)
    results_live: Mapped[bool] = mapped_column(default=False)
    expert_weight_percent: Mapped[int] = mapped_column(default=0)  # 0: no expert review; 40 → 60/40
    publicity_days: Mapped[int] = mapped_column(default=7)
    signoffs_required: Mapped[int] = mapped_column(default=2)  # of the three carriages
    opens_at: Mapped[datetime]
    closes_at: Mapped[datetime]
    state: Mapped[State] = mapped_column(_enum(State), default=State.DRAFT)
    opened_at: Mapped[datetime | None]  # when the electorate was frozen
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))  # None: deadline
    tally: Mapped[dict | None] = mapped_column(JSON)  # the result computed at the close (civic.voting.tally)
    digest: Mapped[str | None] = mapped_column(String(64))  # SHA-256 hex over the counted ballots
    counted_ballots: Mapped[int | None]
    published_at: Mapped[datetime | None]
    publicity_ends_at: Mapped[datetime | None]  # set when a passing result is published
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    choices: Mapped[list[VoteChoice]] = relationship(back_populates="vote", order_by="VoteChoice.position",
                                                     cascade="all, delete-orphan")
    buildings: Mapped[list[Building]] = relationship(secondary=vote_buildings, order_by="Building.sort_key")
    criteria: Mapped[list[ExpertCriterion]] = relationship(order_by="ExpertCriterion.position",
                                                           cascade="all, delete-orphan")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    @property
    def has_expert_review(self) -> bool:
        return self.expert_weight_percent > 0

    @property
    def is_secret(self) -> bool:
        return self.secrecy is Secrecy.SECRET


class VoteChoice(db.Model):
    """One choice: free text, or the current version of a published design option at the time it was added."""

    __tablename__ = "vote_choices"
    __table_args__ = (UniqueConstraint("vote_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]  # 1, 2, … the order on the ballot
    label: Mapped[str] = mapped_column(String(120))  # "方案A：东侧绿地" or free text
    option_id: Mapped[int | None] = mapped_column(ForeignKey("design_options.id", ondelete="SET NULL"))
    version_id: Mapped[int | None] = mapped_column(ForeignKey("design_versions.id", ondelete="SET NULL"))

    vote: Mapped[Vote] = relationship(back_populates="choices")


class Elector(db.Model):
    """The electorate snapshot taken at opening: one row per voting unit, with the area it weighs."""

    __tablename__ = "vote_electors"
    __table_args__ = (Index("ix_vote_electors_vote_building", "vote_id", "building_id"),
                      Index("ix_vote_electors_vote_household", "vote_id", "household_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"))
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))  # RESIDENT unit only
    building_id: Mapped[int] = mapped_column(ForeignKey("buildings.id", ondelete="CASCADE"))
    area_m2: Mapped[Decimal] = mapped_column(Numeric(10, 2))  # the household's registered area at opening


class Caster(db.Model):
    """Who may cast for an elector (snapshot at opening): the household's members (owners only, if so set)."""

    __tablename__ = "vote_casters"

    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    elector_id: Mapped[int] = mapped_column(ForeignKey("vote_electors.id", ondelete="CASCADE"), primary_key=True)


class PaperSlip(db.Model):
    """A photo of a signed paper ballot (纸质表决票), entered for a household by a leader or the committee."""

    __tablename__ = "vote_paper_slips"
    __table_args__ = (Index("ix_vote_paper_slips_vote_building", "vote_id", "building_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"))
    elector_id: Mapped[int] = mapped_column(ForeignKey("vote_electors.id", ondelete="CASCADE"), index=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("buildings.id", ondelete="CASCADE"))
    photo_name: Mapped[str] = mapped_column(String(80))  # civic.web.uploads stored names
    phone_name: Mapped[str] = mapped_column(String(80))
    desktop_name: Mapped[str] = mapped_column(String(80))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    entered_at: Mapped[datetime] = mapped_column(default=utcnow)

    entered_by: Mapped[User | None] = relationship()


class Ballot(db.Model):
    """The current ballot of one elector. UNIQUE (vote, elector): a change replaces it in place (upsert)."""

    __tablename__ = "ballots"
    __table_args__ = (
        UniqueConstraint("vote_id", "elector_id", name="uq_ballots_vote_elector"),
        Index("ix_ballots_vote_building", "vote_id", "building_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"))
    elector_id: Mapped[int] = mapped_column(ForeignKey("vote_electors.id", ondelete="CASCADE"))
    # Copied from the elector so that the tally is one scan of this table (no join for weights).
    household_id: Mapped[int] = mapped_column(ForeignKey("households.id", ondelete="CASCADE"))
    building_id: Mapped[int] = mapped_column(ForeignKey("buildings.id", ondelete="CASCADE"))
    area_m2: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    answer: Mapped[str | None] = mapped_column(String(8))  # Answer value; None on a choice ballot with marks
    # Canonical text of the marks: single "12"; approval "12,15" (sorted); ranked "15,12" (in rank order);
    # score "12:5,15:0" (sorted by choice id); "" with an answer. Used for IRV patterns and the digest.
    marks_key: Mapped[str] = mapped_column(String(400), default="")
    receipt: Mapped[str] = mapped_column(String(16), unique=True)
    cast_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    cast_at: Mapped[datetime]
    channel: Mapped[Channel] = mapped_column(_enum(Channel), default=Channel.ONLINE)
    slip_id: Mapped[int | None] = mapped_column(ForeignKey("vote_paper_slips.id", ondelete="SET NULL"))
    revision: Mapped[int] = mapped_column(default=1)  # 1 for the first ballot, +1 per change

    cast_by: Mapped[User | None] = relationship(foreign_keys=[cast_by_id])
    slip: Mapped[PaperSlip | None] = relationship()


class BallotMark(db.Model):
    """One choice marked on the current ballot: 1 (single/approval), the rank (ranked) or the score (0–5)."""

    __tablename__ = "ballot_marks"
    __table_args__ = (Index("ix_ballot_marks_vote_choice", "vote_id", "choice_id"),
                      CheckConstraint("value >= 0 AND value <= 26", name="value_range"))

    ballot_id: Mapped[int] = mapped_column(ForeignKey("ballots.id", ondelete="CASCADE"), primary_key=True)
    choice_id: Mapped[int] = mapped_column(ForeignKey("vote_choices.id", ondelete="CASCADE"), primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"))
    value: Mapped[int] = mapped_column(SmallInteger)


class BallotRecord(db.Model):
    """Every cast, append-only: the history behind the current ballot (never shown for secret votes)."""

    __tablename__ = "ballot_records"
    __table_args__ = (Index("ix_ballot_records_vote_elector", "vote_id", "elector_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"))
    elector_id: Mapped[int] = mapped_column(ForeignKey("vote_electors.id", ondelete="CASCADE"))
    receipt: Mapped[str] = mapped_column(String(16), unique=True)
    answer: Mapped[str | None] = mapped_column(String(8))
    marks_key: Mapped[str] = mapped_column(String(400), default="")
    cast_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    cast_at: Mapped[datetime]
    channel: Mapped[Channel] = mapped_column(_enum(Channel), default=Channel.ONLINE)
    slip_id: Mapped[int | None] = mapped_column(ForeignKey("vote_paper_slips.id", ondelete="SET NULL"))
    overrides_paper: Mapped[bool] = mapped_column(Boolean, default=False)  # an online cast replacing a paper one


class SignOff(db.Model):
    """One carriage's signature on closing early or publishing (联合签署): name and time are shown."""

    __tablename__ = "vote_signoffs"
    __table_args__ = (UniqueConstraint("vote_id", "action", "carriage"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"), index=True)
    action: Mapped[SignAction] = mapped_column(_enum(SignAction))
    carriage: Mapped[str] = mapped_column(String(32))  # a committee Role value (居委会 / 业委会 / 物业)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    signed_at: Mapped[datetime]
    note: Mapped[str] = mapped_column(String(200), default="")

    user: Mapped[User | None] = relationship()


class ExpertCriterion(db.Model):
    """A rubric line set by the committee: safety 30 %, cost 30 % … (weights sum to 100)."""

    __tablename__ = "vote_expert_criteria"
    __table_args__ = (UniqueConstraint("vote_id", "position"),
                      CheckConstraint("weight_percent > 0 AND weight_percent <= 100", name="weight"))

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(40))
    weight_percent: Mapped[int]


class ExpertScore(db.Model):
    """One expert's score (0–10) of one choice on one criterion; changeable until the close."""

    __tablename__ = "vote_expert_scores"
    __table_args__ = (UniqueConstraint("criterion_id", "choice_id", "expert_id"),
                      CheckConstraint("score >= 0 AND score <= 10", name="score_range"))

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("vote_expert_criteria.id", ondelete="CASCADE"))
    choice_id: Mapped[int] = mapped_column(ForeignKey("vote_choices.id", ondelete="CASCADE"))
    expert_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    score: Mapped[int] = mapped_column(SmallInteger)
    scored_at: Mapped[datetime] = mapped_column(default=utcnow)


class Objection(db.Model):
    """异议 filed during the publicity period; the committee answers each one."""

    __tablename__ = "vote_objections"

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body_md: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    answer_md: Mapped[str | None] = mapped_column(Text)
    answer_html: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None]

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])


class Reminder(db.Model):
    """A nudge sent to the members of households that have not voted (who sent it, for which building)."""

    __tablename__ = "vote_reminders"

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"), index=True)
    building_id: Mapped[int | None] = mapped_column(ForeignKey("buildings.id", ondelete="CASCADE"))
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    sent_at: Mapped[datetime]
    recipients: Mapped[int] = mapped_column(default=0)
