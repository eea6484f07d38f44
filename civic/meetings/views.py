"""Routes that show one meeting and its photos; the other routes live in views_<part>.py."""
from __future__ import annotations

from flask import abort, g, render_template

from civic.meetings import bp, pages, photos, rules
from civic.web.access import community_member
from civic.web.uploads import send_stored



@bp.get("/<slug>/meetings/<int:meeting_id>")
@community_member
def show(community, meeting_id: int):
    meeting = pages.load(community, meeting_id)
    return render_template("meetings/show.html", **pages.show_context(community, meeting))


@bp.get("/<slug>/meetings/<int:meeting_id>/photos/<name>")
@community_member
def photo(community, meeting_id: int, name: str):
    """A sign-in sheet (names of neighbours: the organiser and committee only) or a round-table whiteboard."""
    meeting = pages.load(community, meeting_id)
    row = photos.photo_named(meeting, name)
    if row is None or (row.purpose == photos.SIGNIN_SHEET and not rules.can_see_attendees(g.standing, meeting)):
        abort(404)
    return send_stored(name)


from civic.meetings import views_attend, views_calendar, views_edit, views_minutes, views_poll  # noqa: E402,F401
