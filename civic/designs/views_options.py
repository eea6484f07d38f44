"""Routes of design options: list, create, edit, publish, the option page, new versions."""
from __future__ import annotations

from flask import abort, g

from civic.designs import bp, queries, rules
from civic.extensions import db
from civic.projects.models import Project
from civic.web.access import community_member, require
from civic.web.rendering import page_or_block


def load_project(community, project_id: int) -> Project:  # noqa: ANN001
    """The project, scoped to the community in the URL; 404 otherwise."""
    project = db.session.get(Project, project_id)
    if project is None or project.community_id != community.id:
        abort(404)
    return project


def load_option(community, option_id: int):  # noqa: ANN001
    """The option and its project; 404 (not 403) for a private option a resident may not see."""
    option = queries.option_in(community, option_id) or abort(404)
    if not rules.can_view_option(g.standing, option):
        abort(404)
    return option, db.session.get(Project, option.project_id)


@bp.get("/<slug>/designs/<int:option_id>")
@community_member
def show_option(community, option_id: int):
    option, project = load_option(community, option_id)
    return page_or_block("designs/option.html", "content", community=community, project=project, option=option)
