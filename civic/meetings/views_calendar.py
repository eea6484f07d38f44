"""Routes of the meeting calendar: upcoming/past list, month view, .ics, printable notice (being written)."""
from __future__ import annotations

from flask import g, render_template

from civic.meetings import bp, rules
from civic.web.access import community_member, require


@bp.get("/<slug>/meetings")
@community_member
def index(community):
    require(rules.can_list_meetings(g.standing))
    return render_template("meetings/index.html", community=community)


def panel_context(community, meeting, now) -> dict:  # noqa: ANN001
    """Keys this part's partial template needs on the meeting page."""
    return {}
