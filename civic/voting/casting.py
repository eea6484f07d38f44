"""Casting and changing a ballot: one upsert on UNIQUE (vote, elector), its marks replaced, every cast recorded."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from civic.accounts.models import User
from civic.audit.models import record
from civic.community.models import Community
from civic.community.people import public_labels
from civic.errors import RuleViolation
from civic.extensions import db
from civic.voting import locks, rules
from civic.voting.models import (Answer, Ballot, BallotMark, BallotRecord, Caster, Channel, Elector, Method,
                                 PaperSlip, State, Vote)

# No 0/O, 1/I/L: a receipt is read aloud and typed back by elderly neighbours.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECEIPT_LENGTH = 10
MAX_SCORE = 5


class VoteNotOpen(RuleViolation):
    """The vote is not (or no longer) open: the views answer 409 and nothing is written."""


def new_receipt() -> str:
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _i in range(RECEIPT_LENGTH))


def normalise_receipt(code: str) -> str:
    """What a person typed ("abcd-efgh jk") as stored: upper case, no spaces or dashes."""
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())[:16]


# ---------------------------------------------------------------- validation

def validate(vote: Vote, answer: Answer | None, marks: dict[int, int]) -> str:
    """Refuse a malformed ballot with a clear message; return the canonical `marks_key` of a good one."""
    if vote.method is Method.YES_NO:
        if marks:
            raise RuleViolation(_("This vote has no choices to mark; answer for, against or abstain."), "answer")
        if answer not in (Answer.FOR, Answer.AGAINST, Answer.ABSTAIN):
            raise RuleViolation(_("Choose for, against or abstain."), "answer")
        return ""
    if answer is Answer.ABSTAIN:
        if marks:
            raise RuleViolation(_("An abstention marks no choice; clear your choices or do not abstain."), "answer")
        return ""
    if answer is not None:
        raise RuleViolation(_("This vote is between choices, not for or against."), "answer")
    if not marks:
        raise RuleViolation(_("Choose an option before casting your ballot."), "choice")
    ids = {choice.id for choice in vote.choices}
    if not set(marks) <= ids:
        raise RuleViolation(_("One of the choices does not belong to this vote."), "choice")
    return _METHOD_CHECKS[vote.method](vote, marks, ids)


def _single(vote: Vote, marks: dict[int, int], ids: set[int]) -> str:
    if len(marks) != 1 or set(marks.values()) != {1}:
        raise RuleViolation(_("Choose exactly one option."), "choice")
    return str(next(iter(marks)))


def _approval(vote: Vote, marks: dict[int, int], ids: set[int]) -> str:
    limit = vote.max_choices or len(ids)
    if set(marks.values()) != {1}:
        raise RuleViolation(_("Tick the options you approve of."), "choice")
    if len(marks) > limit:
        raise RuleViolation(_("Choose at most %(n)d options.", n=limit), "choice")
    return ",".join(str(cid) for cid in sorted(marks))


def _ranked(vote: Vote, marks: dict[int, int], ids: set[int]) -> str:
    ranks = sorted(marks.values())
    if len(set(ranks)) != len(ranks):
        raise RuleViolation(_("Each rank may be given only once."), "choice")
    if ranks != list(range(1, len(ranks) + 1)):
        raise RuleViolation(_("Number your choices 1, 2, 3 … without gaps."), "choice")
    return ",".join(str(cid) for cid, _rank in sorted(marks.items(), key=lambda item: item[1]))


def _score(vote: Vote, marks: dict[int, int], ids: set[int]) -> str:
    if set(marks) != ids:
        raise RuleViolation(_("Give every option a score from 0 to 5."), "choice")
    if any(not 0 <= value <= MAX_SCORE for value in marks.values()):
        raise RuleViolation(_("A score must be between 0 and 5."), "choice")
    return ",".join(f"{cid}:{marks[cid]}" for cid in sorted(marks))


_METHOD_CHECKS = {Method.SINGLE: _single, Method.APPROVAL: _approval, Method.RANKED: _ranked, Method.SCORE: _score}


# ---------------------------------------------------------------- casting

def refuse_unless_open(vote: Vote, now: datetime) -> None:
    """Raise VoteNotOpen, saying whether voting has not opened yet or has closed."""
    if rules.is_open(vote, now):
        return
    if vote.state in (State.DRAFT, State.SCHEDULED) or now < vote.opens_at:
        raise VoteNotOpen(_("Voting has not opened yet."))
    raise VoteNotOpen(_("Voting has closed; your ballot was not counted."))


def _elector(vote: Vote, elector_id: int, actor_id: int, channel: Channel) -> Elector:
    """The elector of THIS vote; online, only one the actor may cast for (the snapshot's casters)."""
    query = select(Elector).where(Elector.id == elector_id, Elector.vote_id == vote.id)
    if channel is Channel.ONLINE:
        query = query.join(Caster, Caster.elector_id == Elector.id).where(
            Caster.vote_id == vote.id, Caster.user_id == actor_id)
    elector = db.session.execute(query).scalar_one_or_none()
    if elector is None:
        raise RuleViolation(_("Your household is not in this vote's electorate."))
    return elector


def _insert():  # noqa: ANN202
    return pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert


def _upsert(vote: Vote, elector: Elector, values: dict) -> Ballot:
    """One statement: a concurrent cast of the same household updates the same row, never a second one."""
    table = Ballot.__table__
    statement = _insert()(table).values(vote_id=vote.id, elector_id=elector.id, household_id=elector.household_id,
                                        building_id=elector.building_id, area_m2=elector.area_m2, revision=1,
                                        **values)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.vote_id, table.c.elector_id],
        set_={**{key: getattr(statement.excluded, key) for key in values}, "revision": table.c.revision + 1})
    # RETURNING the row as a Ballot (id first): the caller gets the stored ballot without another SELECT.
    return db.session.execute(select(Ballot).from_statement(statement.returning(*table.c)),
                              execution_options={"populate_existing": True}).scalar_one()


def _previous_channel(vote: Vote, elector: Elector) -> Channel | None:
    """The current ballot's channel, its row locked (PostgreSQL) so that the override flag is exact."""
    return db.session.execute(
        select(Ballot.channel).where(Ballot.vote_id == vote.id, Ballot.elector_id == elector.id)
        .with_for_update()).scalar_one_or_none()


def _attach_slip(slip: PaperSlip | None, vote: Vote, elector: Elector) -> int | None:
    """A paper slip passed unsaved is added only now, after every check (a refused ballot leaves no slip)."""
    if slip is None:
        return None
    if slip.id is None:
        slip.vote_id, slip.elector_id, slip.building_id = vote.id, elector.id, elector.building_id
        db.session.add(slip)
        db.session.flush()
    return slip.id


def cast(vote_id: int, *, elector_id: int, actor: User, answer: Answer | None, marks: dict[int, int],
         now: datetime, channel: Channel = Channel.ONLINE, slip: PaperSlip | None = None) -> Ballot:
    """Cast or change the elector's ballot. Commits whatever the session had pending first (the lock needs it);
    raises VoteNotOpen / RuleViolation before writing anything; the caller commits (or rolls back on refusal)."""
    actor_id = actor.id  # read before the lock's commit expires the actor (saves reloading it)
    vote = locks.for_cast(vote_id)
    refuse_unless_open(vote, now)
    elector = _elector(vote, elector_id, actor_id, channel)
    marks_key = validate(vote, answer, marks)
    previous = _previous_channel(vote, elector)
    values = {"answer": answer.value if answer else None, "marks_key": marks_key, "receipt": new_receipt(),
              "cast_by_id": actor_id, "cast_at": now, "channel": channel,
              "slip_id": _attach_slip(slip, vote, elector)}
    ballot = _upsert(vote, elector, values)
    ballot_id = ballot.id
    db.session.execute(delete(BallotMark).where(BallotMark.ballot_id == ballot_id))
    if marks:
        db.session.execute(insert(BallotMark), [{"ballot_id": ballot_id, "choice_id": cid, "vote_id": vote.id,
                                                 "value": value} for cid, value in marks.items()])
    overrides = previous is Channel.PAPER and channel is Channel.ONLINE
    db.session.execute(insert(BallotRecord).values(vote_id=vote.id, elector_id=elector.id, overrides_paper=overrides,
                                                   **values))
    if overrides:
        record(vote.community_id, actor, "vote.paper_overridden", f"vote:{vote.id}", now,
               household_id=elector.household_id)
    return ballot


# ---------------------------------------------------------------- the household's status

@dataclass(frozen=True)
class Status:
    """Who cast the household's current ballot, when and how (never what, on a secret vote)."""

    cast_at: datetime
    cast_by: str  # public label "王阿姨 · 7号楼"
    channel: Channel
    entered_by: str | None  # paper: the leader or committee member who entered the slip
    entered_at: datetime | None
    receipt: str | None  # only when asked for by one of the household's own members
    revision: int
    marks_key: str | None  # named votes only: the household may see its own current choice
    answer: str | None

    @property
    def is_paper(self) -> bool:
        return self.channel is Channel.PAPER


def current_ballot(vote: Vote, elector: Elector) -> Ballot | None:
    return db.session.execute(select(Ballot).where(Ballot.vote_id == vote.id, Ballot.elector_id == elector.id)
                              ).scalar_one_or_none()


def household_status(vote: Vote, elector: Elector, *, with_receipt: bool = False) -> Status | None:
    """The current ballot's who/when/channel; `with_receipt` only for the elector's own casters."""
    ballot = current_ballot(vote, elector)
    return status_of(vote, ballot, with_receipt=with_receipt) if ballot else None


def status_of(vote: Vote, ballot: Ballot, *, with_receipt: bool = False) -> Status:
    """The status of a ballot already at hand (the one `cast` returned: no second lookup)."""
    slip = ballot.slip if ballot.slip_id else None
    people = [u for u in (ballot.cast_by, slip.entered_by if slip else None) if u is not None]
    labels = public_labels(people, db.session.get(Community, vote.community_id)) if people else {}
    named = not vote.is_secret
    return Status(cast_at=ballot.cast_at, cast_by=labels.get(ballot.cast_by_id, "—"), channel=ballot.channel,
                  entered_by=labels.get(slip.entered_by_id) if slip else None,
                  entered_at=slip.entered_at if slip else None,
                  receipt=ballot.receipt if with_receipt else None, revision=ballot.revision,
                  marks_key=ballot.marks_key if named else None, answer=ballot.answer if named else None)
