"""Loading votes scoped to a community, and small counts several pages share."""
from __future__ import annotations

from sqlalchemy import func, select

from civic.community.models import Community
from civic.community.rules import Standing
from civic.extensions import db
from civic.projects.models import Project
from civic.voting.models import Ballot, Elector, State, Vote


def vote_in(community: Community, vote_id: int) -> Vote | None:
    vote = db.session.get(Vote, vote_id)
    return vote if vote is not None and vote.community_id == community.id else None


def votes_of(project: Project, st: Standing) -> list[Vote]:
    """A project's votes, newest first; drafts only for the committee."""
    query = select(Vote).where(Vote.project_id == project.id).order_by(Vote.created_at.desc(), Vote.id.desc())
    if not st.is_committee:
        query = query.where(Vote.state != State.DRAFT)
    return list(db.session.execute(query).scalars())


def has_ballots(vote: Vote) -> bool:
    """Frozen: once any ballot exists, choices, method, rule, electorate and weights cannot change."""
    return db.session.scalar(select(select(Ballot.id).where(Ballot.vote_id == vote.id).exists())) or False


def electorate_size(vote: Vote) -> int:
    return db.session.scalar(select(func.count()).select_from(Elector).where(Elector.vote_id == vote.id)) or 0


def ballot_count(vote: Vote) -> int:
    return db.session.scalar(select(func.count()).select_from(Ballot).where(Ballot.vote_id == vote.id)) or 0


def turnout_counts(vote_ids: list[int]) -> dict[int, tuple[int, int]]:
    """vote id → (ballots, electors) for a list of votes: two grouped queries, however many votes."""
    if not vote_ids:
        return {}
    ballots = dict(db.session.execute(select(Ballot.vote_id, func.count()).where(Ballot.vote_id.in_(vote_ids))
                                      .group_by(Ballot.vote_id)).all())
    electors = dict(db.session.execute(select(Elector.vote_id, func.count()).where(Elector.vote_id.in_(vote_ids))
                                       .group_by(Elector.vote_id)).all())
    return {i: (ballots.get(i, 0), electors.get(i, 0)) for i in vote_ids}
