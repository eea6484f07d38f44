"""Announcing and opening a vote: the electorate is frozen at the opening time (by the command or on a visit)."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from civic.audit.models import record
from civic.errors import RuleViolation
from civic.extensions import db
from civic.notices.models import NoticeKind
from civic.notices.services import notify
from civic.projects import timeline
from civic.projects.models import Project
from civic.voting import electorate
from civic.voting.models import Caster, State, Vote


def announce(vote: Vote, *, actor, now: datetime) -> None:  # noqa: ANN001
    """DRAFT → SCHEDULED (residents see it); it opens at once when its opening time has come."""
    if vote.state is not State.DRAFT:
        raise RuleViolation(_("This vote has already been announced."))
    if vote.method.value != "yes_no" and len(vote.choices) < 2:
        raise RuleViolation(_("A vote between choices needs at least two choices."))
    if vote.closes_at <= now:
        raise RuleViolation(_("The closing time has already passed; set a later one."), "closes_at")
    if not _conditional_state(vote, State.DRAFT, State.SCHEDULED):
        raise RuleViolation(_("Someone else changed this vote meanwhile; reload the page."))
    project = db.session.get(Project, vote.project_id)
    timeline.add(project, "vote_announced", actor, now, vote_id=vote.id, title=vote.title)
    record(vote.community_id, actor, "vote.announce", f"vote:{vote.id}", now, title=vote.title)
    open_if_due(vote, now)


def open_if_due(vote: Vote, now: datetime) -> bool:
    """SCHEDULED → OPEN with the electorate snapshot, once, whoever gets there first (one conditional UPDATE)."""
    if vote.state is not State.SCHEDULED or vote.opens_at > now:
        return False
    if not _conditional_state(vote, State.SCHEDULED, State.OPEN, opened_at=now):
        db.session.refresh(vote)
        return False
    electorate.snapshot(vote)
    _notify_opened(vote, now)
    return True


def _notify_opened(vote: Vote, now: datetime) -> None:
    """VOTE_OPENED to everyone who may cast (from the snapshot just taken): whichever way it opened."""
    users = db.session.scalars(db.select(Caster.user_id).where(Caster.vote_id == vote.id).distinct()).all()
    notify(users, community_id=vote.community_id, kind=NoticeKind.VOTE_OPENED, now=now, vote_id=vote.id,
           summary=vote.title)


def open_due(now: datetime) -> list[int]:
    """Open every scheduled vote whose opening time has come (the `votes close-due` command runs this too)."""
    due = db.session.execute(db.select(Vote).where(Vote.state == State.SCHEDULED, Vote.opens_at <= now)).scalars()
    return [vote.id for vote in list(due) if open_if_due(vote, now)]


def _conditional_state(vote: Vote, old: State, new: State, **values) -> bool:
    result = db.session.execute(db.update(Vote).where(Vote.id == vote.id, Vote.state == old)
                                .values(state=new, **values).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return False
    vote.state = new
    for key, value in values.items():
        setattr(vote, key, value)
    return True
