"""Routes of search: the search page, with an htmx fragment for the result list."""
from __future__ import annotations

from flask import request

from civic.search import bp
from civic.search.index import KINDS
from civic.search.segment import MAX_QUERY_CHARS
from civic.web.query_args import choice_arg, page_arg
from civic.web.access import community_member
from civic.web.rendering import page_or_block

MAX_PAGE = 500  # beyond this a page number is a typo or a probe, not a reader


@bp.get("/<slug>/search")
@community_member
def results(community):
    # Every member may search; the index holds only what every member may read.
    from civic.search.queries import PAGE_SIZE, search  # here: civic.search.index loads while other packages do
    from civic.search.results import hits

    q = request.args.get("q", "").strip()[:MAX_QUERY_CHARS]
    kind = choice_arg("kind", KINDS, None)
    page = page_arg(last=MAX_PAGE)
    found = search(community, q, kind=kind, page=page)
    return page_or_block("search/results.html", "search_results", community=community, q=q, kind=kind,
                         page=page, page_size=PAGE_SIZE, total=found.total, is_capped=found.is_capped,
                         terms=found.terms, hits=hits(community, found))
