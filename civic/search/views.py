"""Routes of search."""
from __future__ import annotations

from civic.search import bp, models  # noqa: F401
from civic.web.access import community_member


@bp.get("/<slug>/search")
@community_member
def results(community):
    return "TODO"  # placeholder endpoint so the navigation links; replaced by the search work
