"""Routes of notices."""
from __future__ import annotations

from civic.notices import bp, models  # noqa: F401
from civic.web.access import community_member


@bp.get("/<slug>/notifications")
@community_member
def index(community):
    return "TODO"  # placeholder endpoint so the navigation links; replaced by the notices work
