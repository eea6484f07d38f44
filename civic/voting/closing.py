"""Closing a vote: under the exclusive lock the stored tally equals the ballot rows at that instant."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from civic.audit.models import record
from civic.errors import RuleViolation
from civic.extensions import db
from civic.projects import timeline
from civic.projects.models import Project
from civic.voting import locks, tally
from civic.voting.models import State, Vote


class NotClosable(RuleViolation):
    """The vote is not open (closed meanwhile, or not yet open): the views answer 409."""


def close(vote_id: int, *, actor, now: datetime) -> Vote:  # noqa: ANN001
    """Close an open vote (actor None: the deadline passed). Takes the lock first; the caller commits."""
    vote = locks.for_change(vote_id)
    return close_locked(vote, actor=actor, now=now)


def close_locked(vote: Vote, *, actor, now: datetime) -> Vote:  # noqa: ANN001
    """The close itself, for a caller that already holds `locks.for_change` (the sign-off does)."""
    if vote.state is not State.OPEN:
        raise NotClosable(_("This vote is not open, so it cannot be closed."))
    if actor is None and vote.closes_at > now:
        raise NotClosable(_("This vote's closing time has not come yet."))
    result = tally.compute(vote)
    vote.tally, vote.digest, vote.counted_ballots = result.to_json(), result.digest, result.counted
    vote.closed_at, vote.closed_by_id, vote.state = now, actor.id if actor else None, State.CLOSED
    project = db.session.get(Project, vote.project_id)
    how = "committee" if actor else "deadline"
    timeline.add(project, "vote_closed", actor, now, vote_id=vote.id, title=vote.title, counted=result.counted,
                 how=how)
    record(vote.community_id, actor, "vote.close", f"vote:{vote.id}", now, title=vote.title, how=how,
           counted=result.counted, digest=result.digest)
    return vote


def due_ids(now: datetime) -> list[int]:
    return list(db.session.execute(select(Vote.id).where(Vote.state == State.OPEN, Vote.closes_at <= now)
                                   .order_by(Vote.closes_at, Vote.id)).scalars())


def close_due(now: datetime) -> list[int]:
    """Close every open vote past its deadline, one commit each; a vote closed meanwhile (another run) is skipped."""
    closed = []
    for vote_id in due_ids(now):
        try:
            close(vote_id, actor=None, now=now)
        except NotClosable:
            db.session.rollback()  # another run or a committee close got there first; nothing was written
            continue
        db.session.commit()
        closed.append(vote_id)
    return closed
