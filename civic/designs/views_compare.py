"""Routes of designs (compare): two versions side by side, as a slider or an overlay; the comparison matrix."""
from __future__ import annotations

from flask import abort, g, request

from civic.designs import bp, compare, queries, rules
from civic.designs.models import DesignVersion
from civic.designs.views_options import load_project
from civic.web.access import community_member, require
from civic.web.query_args import choice_arg
from civic.web.rendering import page_or_block


def chosen_version(community, project, name: str) -> DesignVersion | None:  # noqa: ANN001
    """The version named in the query string; 404 for anything not in this project or not visible to the user."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    version = queries.version_in(community, int(raw)) if raw.isdigit() else None
    if version is None or version.option.project_id != project.id or not rules.can_view_option(g.standing,
                                                                                                version.option):
        abort(404)  # never tell a private option's version apart from one that does not exist
    return version


def chosen_pair(community, project, options, history):  # noqa: ANN001, ANN201
    """Both sides: from the query string, one side filled in when only one was given, else the default pair."""
    a, b = chosen_version(community, project, "a"), chosen_version(community, project, "b")
    if a and b:
        return a, b
    if a or b:
        given = a or b
        other = compare.other_side(given, options, history)
        return (given, other) if other else None
    return compare.default_pair(options, history)


@bp.get("/<slug>/projects/<int:project_id>/designs/compare", endpoint="compare")
@community_member
def compare_view(community, project_id: int):
    project = load_project(community, project_id)
    require(rules.can_view_designs(g.standing, project))
    options = queries.options_of(project, g.standing)
    history = queries.versions_by_option(options)
    pair = chosen_pair(community, project, options, history)
    context = {"community": community, "project": project, "options": options, "history": history,
               "mode": choice_arg("mode", compare.MODES, "side"), "pair": pair,
               "short_date": compare.short_date, "pictures": compare.pictures}
    if pair:
        a, b = pair
        context |= {"a": a, "b": b,
                    "ai": compare.picture_index(a, request.args.get("ai", type=int)),
                    "bi": compare.picture_index(b, request.args.get("bi", type=int)),
                    "diff": compare.spec_diff(a, b),
                    "between": compare.notes_between(history.get(a.option_id, []), a, b)}
    return page_or_block("designs/compare.html", "compare", **context)


@bp.get("/<slug>/projects/<int:project_id>/designs/matrix")
@community_member
def matrix(community, project_id: int):
    project = load_project(community, project_id)
    require(rules.can_view_designs(g.standing, project))
    options = queries.options_of(project, g.standing, published_only=True)
    current = queries.current_versions(options)
    columns = [(o, current[o.id]) for o in options if o.id in current]
    rows = compare.matrix_rows([v for _, v in columns])
    return page_or_block("designs/matrix.html", "matrix", community=community, project=project,
                         columns=columns, rows=rows, short_date=compare.short_date)
