"""Routes of a vote's results: the result page, turnout (polled while open), the CSV of totals and the register."""
from __future__ import annotations

from flask import Response, abort, g, render_template, request
from jinja2 import TemplateNotFound

from civic.clock import utcnow
from civic.voting import bp, exports, nav, rules, signoff, tally, turnout
from civic.voting.decision import rule_of
from civic.voting.models import State
from civic.voting.views import load_vote
from civic.web.access import community_member, require
from civic.web.rendering import page_or_block

RESULTS = "voting/results.html"
TURNOUT = "voting/turnout.html"
FINAL = (State.CLOSED, State.PUBLISHED)


def _has_expert_macros() -> bool:
    """The expert table comes from the expert part's macro; the page renders without it."""
    from flask import current_app

    try:
        current_app.jinja_env.get_template("voting/_expert_macros.html")
    except TemplateNotFound:
        return False
    return True


def _turnout_context(vote) -> dict:  # noqa: ANN001
    rows = turnout.by_building(vote)
    return {"turnout_rows": rows, "turnout_total": turnout.summary(vote, rows),
            "is_polling": vote.state is State.OPEN}


def _csv_response(text: str, filename: str) -> Response:
    return Response(text.encode("utf-8"), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "Content-Type": "text/csv; charset=utf-8"})


@bp.get("/<slug>/votes/<int:vote_id>/results", endpoint="results")
@community_member
def show_results(community, vote_id: int):
    """The result (when this member may see it), turnout by building, the digest and the receipt check."""
    vote = load_vote(community, vote_id)
    require(rules.can_view_vote(g.standing, vote))
    now = utcnow()
    visible = rules.can_see_results(g.standing, vote)
    result = tally.stored(vote) if visible else None
    return render_template(RESULTS, community=community, vote=vote, nav=nav.links(g.standing, vote, now),
                           visible=visible, tally=result, rule=rule_of(vote), is_final=vote.state in FINAL,
                           signatures=signoff.signatures(vote) if visible else {},
                           has_expert_macros=_has_expert_macros(),
                           can_register=rules.can_view_register(g.standing, vote), **_turnout_context(vote))


@bp.get("/<slug>/votes/<int:vote_id>/turnout", endpoint="turnout")
@community_member
def show_turnout(community, vote_id: int):
    """Households and area that voted, by building — never what they chose. htmx polls the block while open."""
    vote = load_vote(community, vote_id)
    require(rules.can_view_turnout(g.standing, vote))
    now = utcnow()
    return page_or_block(TURNOUT, "turnout", community=community, vote=vote, nav=nav.links(g.standing, vote, now),
                         now=now, **_turnout_context(vote))


@bp.get("/<slug>/votes/<int:vote_id>/results.csv", endpoint="results_csv")
@community_member
def results_csv(community, vote_id: int):
    """Totals as CSV (UTF-8 with BOM, for Excel): for whoever may see the result."""
    vote = load_vote(community, vote_id)
    require(rules.can_see_results(g.standing, vote))
    return _csv_response(exports.results_csv(vote, tally.stored(vote)), f"vote-{vote.id}-results.csv")


@bp.get("/<slug>/votes/<int:vote_id>/register", endpoint="register")
@community_member
def show_register(community, vote_id: int):
    """Who voted what: named votes only (a secret vote has no register at all: 404), for the committee."""
    vote = load_vote(community, vote_id)
    if vote.is_secret:
        abort(404)
    require(rules.can_view_register(g.standing, vote))
    lines = exports.register(vote)
    if request.args.get("format") == "csv":
        return _csv_response(exports.register_csv(lines), f"vote-{vote.id}-register.csv")
    return render_template("voting/register.html", community=community, vote=vote, lines=lines,
                           nav=nav.links(g.standing, vote, utcnow()))
