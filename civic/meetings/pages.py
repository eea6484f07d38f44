"""What the meeting page shows: loading one meeting for a view, and the page's context from every panel."""
from __future__ import annotations

from flask import abort, g

from civic.clock import utcnow
from civic.meetings import queries, rules
from civic.meetings.models import Meeting

# Blocks of the show page (each in its own partial template, named after the element id it replaces).
WHEN = "when_panel"  # templates/meetings/_when.html: copyable date, time and place, .ics, WeChat hint
POLL = "poll_panel"  # _poll.html
RSVP = "rsvp_panel"  # _rsvp.html
AGENDA = "agenda_panel"  # _agenda.html
DETAILS = "details_panel"  # _details.html
SIGNIN = "signin_panel"  # _signin.html
MINUTES = "minutes_panel"  # _minutes.html
NOTES = "notes_panel"  # _notes.html


def load(community, meeting_id: int) -> Meeting:  # noqa: ANN001
    """The meeting of this community that this member may see; anything else is 404."""
    meeting = queries.meeting_in(community, meeting_id)
    if meeting is None or not rules.can_view_meeting(g.standing, meeting):
        abort(404)
    return meeting


def first_household_id() -> int | None:
    return g.standing.household_ids[0] if g.standing.household_ids else None


def show_context(community, meeting: Meeting) -> dict:  # noqa: ANN001
    """Every panel contributes its own keys (each panel's view module owns its `panel_context`)."""
    from civic.meetings import views_attend, views_calendar, views_edit, views_minutes, views_poll

    now = utcnow()
    context = {"community": community, "meeting": meeting, "st": g.standing, "now": now,
               "can_manage": rules.can_manage(g.standing, meeting)}
    for module in (views_calendar, views_edit, views_poll, views_attend, views_minutes):
        context.update(module.panel_context(community, meeting, now))
    return context
