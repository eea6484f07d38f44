"""Routes of the meeting's attend part: RSVP here; sign-in, the QR code and attendance in views_signin.py."""
from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from civic.clock import utcnow
from civic.errors import RuleViolation
from civic.extensions import db
from civic.meetings import bp, pages, rsvp
from civic.meetings.attend_panels import RSVP_CHANGED, attend_context, panel_response
from civic.meetings.forms_attend import RsvpForm
from civic.meetings.models import RsvpStatus
from civic.web.access import community_member
from civic.web.rendering import wants_fragment


def panel_context(community, meeting, now) -> dict:  # noqa: ANN001
    """Keys this part's partial templates (_rsvp.html, _signin.html) need on the meeting page."""
    return attend_context(community, meeting, now)


def _said(status: RsvpStatus) -> str:
    return {RsvpStatus.GOING: _("You are going. See you there!"),
            RsvpStatus.WAITLIST: _("The meeting is full, so you joined the waiting list."),
            RsvpStatus.NOT_GOING: _("Noted: you are not going.")}[status]


@bp.post("/<slug>/meetings/<int:meeting_id>/rsvp", endpoint="rsvp")
@community_member
def rsvp_answer(community, meeting_id: int):
    """Going or not: the panel in place for htmx, back to the panel (303) for a plain form."""
    meeting = pages.load(community, meeting_id)
    form = RsvpForm()
    if not form.validate_on_submit():
        return panel_response(community, meeting, pages.RSVP, status=422,
                              rsvp_error=" ".join(form.going.errors))
    try:
        status = rsvp.respond(meeting, current_user.id, pages.first_household_id(), form.going.data == "yes",
                              now=utcnow())
        db.session.commit()
    except RuleViolation as error:
        db.session.rollback()
        return panel_response(community, meeting, pages.RSVP, status=422, rsvp_error=error.message)
    if not wants_fragment():
        flash(_said(status))
        return redirect(url_for("meetings.show", slug=community.slug, meeting_id=meeting.id, _anchor=pages.RSVP),
                        code=303)
    return panel_response(community, meeting, pages.RSVP, headers={"HX-Trigger": RSVP_CHANGED},
                          rsvp_message=_said(status))


from civic.meetings import views_signin  # noqa: E402,F401  (its routes)
