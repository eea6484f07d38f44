"""What the RSVP and sign-in panels of the meeting page show, and answering with a panel or the whole page."""
from __future__ import annotations

from datetime import datetime

import segno
from flask import current_app, g, render_template, url_for

from civic.clock import utcnow
from civic.community.people import public_labels
from civic.meetings import pages, photos, rsvp, rules, signin
from civic.meetings.forms_attend import CheckInForm, HandSignInForm, SheetForm
from civic.meetings.localtime import to_local
from civic.meetings.models import Meeting, MeetingStatus, RsvpStatus
from civic.web.rendering import page_or_block, wants_fragment

RECENT_SIGNINS = 5  # the organiser's panel lists the latest sign-ins, each with an undo button
HAND_CHOICES_MAX = 300  # people offered in the by-hand select (those who signed up and are not signed in)
RSVP_CHANGED = "rsvp-changed"  # HX-Trigger events for counters elsewhere on the page
ATTENDANCE_CHANGED = "attendance-changed"


def rsvp_context(community, meeting: Meeting, now: datetime) -> dict:  # noqa: ANN001
    """Block `rsvp_panel`: counts, my answer in words, the buttons, who is going (public labels)."""
    if meeting.status is MeetingStatus.POLLING:
        return {"rsvp_shown": False}
    going, waiting = rsvp.counts(meeting)
    mine = rsvp.mine(meeting, g.standing.user_id)
    people = rsvp.people(meeting)
    labels = public_labels(people, community) if people else {}
    return {
        "rsvp_shown": True, "rsvp_going": going, "rsvp_waiting": waiting, "rsvp_capacity": meeting.capacity,
        "rsvp_households": rsvp.going_households(meeting) if going else 0,
        "rsvp_is_full": meeting.capacity is not None and going >= meeting.capacity,
        "rsvp_mine": mine.status if mine else None,
        "rsvp_position": rsvp.waitlist_position(mine) if mine and mine.status is RsvpStatus.WAITLIST else None,
        "rsvp_can": rules.can_rsvp(g.standing, meeting, now), "rsvp_refusal": rsvp.refusal(meeting, now),
        "rsvp_people": [labels[p.id] for p in people], "rsvp_more": max(going - len(people), 0),
        "rsvp_message": None, "rsvp_error": None,
    }


def signin_context(community, meeting: Meeting, now: datetime, *, hand_form: HandSignInForm | None = None) -> dict:  # noqa: ANN001
    """Block `signin_panel`: counts; a resident's code form; the organiser's QR link, by-hand form, sheets."""
    st = g.standing
    can_hand = rules.can_sign_in_others(st, meeting, now)
    shown = meeting.status is MeetingStatus.SCHEDULED and (rules.can_manage(st, meeting) or can_hand
                                                           or rules.is_signin_open(meeting, now)
                                                           or rules.has_ended(meeting, now))
    if not shown:
        return {"signin_shown": False}
    people, households = signin.counts(meeting)
    context = {
        "signin_shown": True, "signin_people": people, "signin_households": households,
        "signin_open": rules.is_signin_open(meeting, now), "signin_refusal": signin.refusal(meeting, now),
        "signin_mine": signin.mine(meeting, st.user_id), "signin_can_check_in": rules.can_check_in(st, meeting, now),
        "signin_code_form": CheckInForm(formdata=None),
        # The QR page is for the venue: offered until sign-in closes.
        "signin_can_show_code": rules.can_show_signin_code(st, meeting) and now < signin.closes_at(meeting),
        "signin_can_see": rules.can_see_attendees(st, meeting), "signin_can_hand": can_hand,
        "signin_message": None, "signin_error": None, "signin_clock": clock,
    }
    if can_hand:
        context.update(signin_hand_form=hand_form or hand_sign_in_form(community, meeting, formdata=None),
                       signin_recent=signin.attendees(meeting, newest_first=True)[:RECENT_SIGNINS],
                       signin_sheets=photos.sheets_of(meeting), signin_sheet_form=SheetForm(formdata=None))
    return context


def clock(utc_naive: datetime) -> str:
    """"14:05" in Asia/Shanghai: sign-ins happen on the meeting's day, so the time is enough."""
    return f"{to_local(utc_naive):%H:%M}"


def hand_sign_in_form(community, meeting: Meeting, **kwargs) -> HandSignInForm:  # noqa: ANN001
    """The select offers those who signed up (going or waiting) and are not signed in yet."""
    done = signin.signed_in_user_ids(meeting)
    people = [u for u in rsvp.people(meeting, RsvpStatus.GOING, RsvpStatus.WAITLIST, limit=HAND_CHOICES_MAX)
              if u.id not in done]
    labels = public_labels(people, community) if people else {}
    return HandSignInForm(**kwargs).offer([(u.id, labels[u.id]) for u in people])


def attend_context(community, meeting: Meeting, now: datetime) -> dict:  # noqa: ANN001
    return {**rsvp_context(community, meeting, now), **signin_context(community, meeting, now)}


def panel_response(community, meeting: Meeting, block: str, *, status: int = 200,  # noqa: ANN001
                   headers: dict | None = None, **overrides):
    """htmx: the panel's block (only that panel's context is built); plain: the whole meeting page."""
    if wants_fragment():
        now = utcnow()
        template, build = PANELS[block]
        context = {"community": community, "meeting": meeting, "st": g.standing, "now": now,
                   "can_manage": rules.can_manage(g.standing, meeting), **build(community, meeting, now)}
        return page_or_block(template, block, status=status, headers=headers, **{**context, **overrides})
    context = {**pages.show_context(community, meeting), **overrides}
    return render_template("meetings/show.html", **context), status, {"Vary": "HX-Request", **(headers or {})}


PANELS = {pages.RSVP: ("meetings/_rsvp.html", rsvp_context), pages.SIGNIN: ("meetings/_signin.html", signin_context)}


def checkin_url(community, meeting: Meeting) -> str:  # noqa: ANN001
    """The absolute address the QR code opens (PUBLIC_BASE_URL behind a proxy), with the code filled in."""
    path = url_for("meetings.check_in", slug=community.slug, meeting_id=meeting.id, code=meeting.signin_code)
    base = current_app.config.get("PUBLIC_BASE_URL")
    if base:
        return base.rstrip("/") + path
    return url_for("meetings.check_in", slug=community.slug, meeting_id=meeting.id, code=meeting.signin_code,
                   _external=True)


def qr_svg(url: str) -> str:
    """Inline SVG (no script, no style attribute: CSP-safe), sized by CSS through its viewBox."""
    return segno.make(url, error="m").svg_inline(scale=4, border=2, omitsize=True)
