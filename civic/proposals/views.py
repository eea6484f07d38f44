"""Routes that show proposals: the list, my drafts, one proposal, its history, and its photos."""
from __future__ import annotations

from flask import abort, g, render_template, request
from flask_login import current_user

from civic.community import queries as community_queries
from civic.community.people import public_labels
from civic.projects.models import Category
from civic.proposals import bp, pages, queries, rules
from civic.proposals.models import ProposalStatus
from civic.web.query_args import choice_arg, enum_arg, page_arg
from civic.web.access import community_member, require
from civic.web.rendering import page_or_block
from civic.web.uploads import send_stored




def _list_filter(community) -> queries.ProposalFilter:  # noqa: ANN001
    status = enum_arg(ProposalStatus, "status")
    return queries.ProposalFilter(
        status=status if status in queries.LISTABLE else None, category=enum_arg(Category, "category"),
        building=community_queries.building_in(community, request.args.get("building", type=int)),
        sort=choice_arg("sort", queries.SORTS, "newest"))


@bp.get("/<slug>/proposals")
@community_member
def index(community):
    require(rules.can_list_proposals(g.standing))
    flt, page = _list_filter(community), page_arg()
    rows, has_next = queries.proposals_page(community, flt, page)
    authors = {r.proposal.author.id: r.proposal.author for r in rows if r.proposal.author is not None}
    return page_or_block(
        "proposals/index.html", "proposal_list", community=community, rows=rows, has_next=has_next, page=page,
        flt=flt, buildings=community_queries.buildings_of(community), statuses=list(queries.LISTABLE),
        categories=list(Category), labels=public_labels(list(authors.values()), community) if authors else {},
        readable={r.proposal.id for r in rows if rules.can_read_text(g.standing, r.proposal)},
        can_raise=rules.can_raise(g.standing))


@bp.get("/<slug>/proposals/drafts")
@community_member
def drafts(community):
    require(rules.can_raise(g.standing))
    return render_template("proposals/drafts.html", community=community,
                           drafts=queries.drafts_of(current_user.id, community))


@bp.get("/<slug>/proposals/<int:proposal_id>")
@community_member
def show(community, proposal_id: int):
    proposal = pages.load(community, proposal_id)
    return render_template("proposals/show.html", **pages.show_context(community, proposal))


@bp.get("/<slug>/proposals/<int:proposal_id>/history")
@community_member
def history(community, proposal_id: int):
    proposal = pages.load(community, proposal_id)
    require(rules.can_view_history(g.standing, proposal))
    return render_template("proposals/history.html", community=community, proposal=proposal,
                           revisions=list(reversed(proposal.revisions)))


@bp.get("/<slug>/photos/<name>")
@community_member
def photo(community, name: str):
    """A stored photo or thumbnail: only through its proposal's access check, with a fixed type."""
    row = queries.photo_named(community, name)
    if row is None or not rules.can_read_text(g.standing, row.proposal):
        abort(404)
    return send_stored(name)
