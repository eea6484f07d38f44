"""Loading a vote for a view (scoped to the community in the URL), and the route modules of votes."""
from __future__ import annotations

from flask import abort, g

from civic.clock import utcnow
from civic.extensions import db
from civic.projects.models import Project
from civic.voting import opening, queries, rules
from civic.voting.models import Vote


def load_project(community, project_id: int) -> Project:  # noqa: ANN001
    project = db.session.get(Project, project_id)
    if project is None or project.community_id != community.id:
        abort(404)
    return project


def load_vote(community, vote_id: int) -> Vote:  # noqa: ANN001
    """The vote (404 for another community's or a draft a resident may not see), opened if its time has come."""
    vote = queries.vote_in(community, vote_id)
    if vote is None or not rules.can_view_vote(g.standing, vote):
        abort(404)
    if opening.open_if_due(vote, utcnow()):
        db.session.commit()
    return vote


from civic.voting import (views_ballot, views_close, views_expert, views_paper, views_results,  # noqa: E402,F401
                          views_setup)
