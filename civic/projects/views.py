"""Routes of projects."""
from __future__ import annotations

from civic.projects import bp, models  # noqa: F401
from civic.web.access import community_member


@bp.get("/<slug>/projects")
@community_member
def index(community):
    return "TODO"  # placeholder endpoint so the navigation links; replaced by the projects work
