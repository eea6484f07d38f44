"""Routes that show one meeting and its photos; the other routes live in views_<part>.py."""
from __future__ import annotations

from flask import abort, current_app, g, render_template, send_file

from civic.meetings import bp, pages, photos, rules
from civic.web.access import community_member
from civic.web.uploads import CONTENT_TYPES, stored_path

PHOTO_CACHE = "private, max-age=86400"


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
    try:
        path = stored_path(current_app.config["UPLOAD_DIR"], name)
    except FileNotFoundError:
        abort(404)
    response = send_file(path, mimetype=CONTENT_TYPES[path.suffix], conditional=True)
    response.headers["Cache-Control"] = PHOTO_CACHE
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


from civic.meetings import views_attend, views_calendar, views_edit, views_minutes, views_poll  # noqa: E402,F401
