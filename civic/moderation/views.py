"""Routes of moderation."""
from __future__ import annotations

from civic.moderation import bp, models  # noqa: F401
from civic.web.access import community_member


@bp.get("/<slug>/moderation")
@community_member
def queue(community):
    return "TODO"  # placeholder endpoint so the navigation links; replaced by the moderation work
