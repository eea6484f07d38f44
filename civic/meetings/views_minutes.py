"""Routes of the minutes part: the editor, the version history, amendments, and action items.

Round-table notes live in views_notes.py; their panel keys are merged into this part's panel_context.
"""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from civic.clock import utcnow
from civic.community.people import public_labels
from civic.errors import RuleViolation
from civic.extensions import db
from civic.meetings import actions, bp, diffs, minutes, pages, queries, rules
from civic.meetings.forms_minutes import ActionItemForm, AmendmentForm, DeclineForm, MinutesForm
from civic.meetings.labels import ACTION_STATUS_LABELS
from civic.meetings.localtime import local_date
from civic.web.access import community_member, require
from civic.web.rendering import page_or_block, wants_fragment


def _people(*groups) -> list:  # noqa: ANN001
    seen = {}
    for group in groups:
        for user in group:
            if user is not None:
                seen.setdefault(user.id, user)
    return list(seen.values())


def panel_context(community, meeting, now) -> dict:  # noqa: ANN001
    """Keys of `_minutes.html` (prefix minutes_) and, through views_notes, of `_notes.html` (prefix notes_)."""
    from civic.meetings import views_notes

    st = g.standing
    attended = queries.has_attended(meeting, st.user_id)
    can_write, can_decide = rules.can_write_minutes(st, meeting, now), rules.can_decide_amendment(st, meeting)
    version = minutes.current_version(meeting)
    items = actions.items_of(meeting) if version or can_write else []
    pending = minutes.pending_amendments(meeting) if can_decide else []
    people = _people([i.owner_user for i in items], [a.proposer for a in pending], [version.author if version else None])
    context = {
        "minutes_version": version, "minutes_can_write": can_write, "minutes_can_decide": can_decide,
        "minutes_has_draft": can_write and minutes.draft_of(meeting) is not None,
        "minutes_items": items, "minutes_today": local_date(now), "minutes_pending": pending,
        "minutes_labels": public_labels(people, community) if people else {},
        "minutes_window_open": rules.is_amendment_window_open(meeting, now),
        "minutes_window_ends_at": minutes.window_closes_at(meeting),
        "minutes_can_amend": rules.can_propose_amendment(st, meeting, now, has_attended=attended),
        "minutes_action_form": ActionItemForm(formdata=None, prefix="item",
                                              owner_choices=actions.owner_choices(meeting) if can_write else {}),
        "minutes_status_labels": ACTION_STATUS_LABELS, "minutes_owner_label": actions.owner_label,
        "minutes_is_overdue": actions.is_overdue, "minutes_error": None, "minutes_error_item": None,
        "minutes_decline": {}, "minutes_day": actions.day_text,
        "minutes_pending_diffs": {a.id: diffs.lines(version.body_md, a.body_md) for a in pending} if version else {},
    }
    context.update(views_notes.panel_context(community, meeting, now, attended=attended))
    return context


def answer_panel(community, meeting, block: str, *, status: int = 200, headers=None, **overrides):  # noqa: ANN001, ANN201
    """htmx: only the panel's block (from its partial); plain (a refused form): the whole meeting page."""
    context = {**pages.show_context(community, meeting), **overrides}
    template = f"meetings/_{block.removesuffix('_panel')}.html" if wants_fragment() else "meetings/show.html"
    return page_or_block(template, block, status=status, headers=headers, **context)


def done(community, meeting, block: str, message: str, *, event: str | None = None):  # noqa: ANN001, ANN201
    """A successful POST: htmx gets the fresh panel (and an event), a plain form a 303 back to that panel."""
    if wants_fragment():
        return answer_panel(community, meeting, block, headers={"HX-Trigger": event} if event else None)
    flash(message)
    return redirect(url_for("meetings.show", slug=community.slug, meeting_id=meeting.id, _anchor=block), code=303)


def refused(form, error: RuleViolation, default: str) -> None:  # noqa: ANN001
    """Put a service's refusal on the field it names, after undoing anything half-written."""
    db.session.rollback()
    field = getattr(form, error.field or default, None) or getattr(form, default)
    field.errors = [*field.errors, error.message]


# ---- the editor ----

def _editor_form(meeting) -> MinutesForm:  # noqa: ANN001
    """Prefilled from the draft, else the published text, else the agenda as headings to write under."""
    form = MinutesForm()
    if request.method == "GET":
        draft, version = minutes.draft_of(meeting), minutes.current_version(meeting)
        source = draft or version
        form.body.data = source.body_md if source else "".join(f"### {item.title}\n\n\n" for item in meeting.agenda)
        form.decisions.data = "\n".join(source.decisions) if source else ""
    return form


def _editor(community, meeting, form: MinutesForm, status: int = 200):  # noqa: ANN001, ANN201
    draft, version = minutes.draft_of(meeting), minutes.current_version(meeting)
    is_stale = draft is not None and version is not None and draft.saved_at < version.created_at
    return render_template("meetings/minutes_edit.html", community=community, meeting=meeting, form=form,
                           draft=draft, version=version, is_stale_draft=is_stale), status


@bp.route("/<slug>/meetings/<int:meeting_id>/minutes/edit", methods=["GET", "POST"])
@community_member
def edit_minutes(community, meeting_id: int):
    meeting = pages.load(community, meeting_id)
    require(rules.can_write_minutes(g.standing, meeting, utcnow()))
    form = _editor_form(meeting)
    if request.method == "GET":
        return _editor(community, meeting, form)
    if not form.validate_on_submit():
        return _editor(community, meeting, form, 422)
    now = utcnow()
    try:
        minutes.save_draft(meeting, form.body.data, form.decision_lines(), actor=current_user, now=now)
        version = minutes.publish(meeting, actor=current_user, now=now, note=form.note.data) \
            if form.is_publishing else None
        db.session.commit()
    except RuleViolation as error:
        refused(form, error, "body")
        return _editor(community, meeting, form, 422)
    if version is None:
        flash(_("Draft saved. Only the organiser and the committee can see it."))
        return redirect(url_for("meetings.edit_minutes", slug=community.slug, meeting_id=meeting.id), code=303)
    flash(_("Version %(n)d of the minutes is published; attendees were told.", n=version.number))
    return redirect(url_for("meetings.show", slug=community.slug, meeting_id=meeting.id, _anchor=pages.MINUTES),
                    code=303)


@bp.get("/<slug>/meetings/<int:meeting_id>/minutes/history")
@community_member
def minutes_history(community, meeting_id: int):
    meeting = pages.load(community, meeting_id)
    all_versions = minutes.versions(meeting)
    if not all_versions:
        abort(404)
    amendments = minutes.amendments_of(meeting)
    people = _people([v.author for v in all_versions], [a.proposer for a in amendments])
    pairs = list(zip(all_versions, [*all_versions[1:], None]))
    return render_template("meetings/minutes_history.html", community=community, meeting=meeting,
                           rows=[(v, diffs.lines(older.body_md, v.body_md) if older else None) for v, older in pairs],
                           amendments=amendments, labels=public_labels(people, community) if people else {})


# ---- amendments ----

def _amendment_page(community, meeting, form: AmendmentForm, status: int = 200):  # noqa: ANN001, ANN201
    now = utcnow()
    return render_template("meetings/amendment_new.html", community=community, meeting=meeting, form=form,
                           version=minutes.current_version(meeting),
                           is_open=rules.is_amendment_window_open(meeting, now),
                           closes_at=minutes.window_closes_at(meeting)), status


def _require_attendee(meeting) -> None:  # noqa: ANN001
    """The form is for attendees of a meeting with published minutes; after the window it says it has closed."""
    require(rules.can_open_amendment_form(g.standing, meeting,
                                          has_attended=queries.has_attended(meeting, g.standing.user_id)))


@bp.get("/<slug>/meetings/<int:meeting_id>/minutes/amendments/new")
@community_member
def new_amendment(community, meeting_id: int):
    meeting = pages.load(community, meeting_id)
    _require_attendee(meeting)
    form = AmendmentForm()
    version = minutes.current_version(meeting)
    form.body.data = version.body_md if version else ""
    return _amendment_page(community, meeting, form)


@bp.post("/<slug>/meetings/<int:meeting_id>/minutes/amendments")
@community_member
def propose_amendment(community, meeting_id: int):
    meeting = pages.load(community, meeting_id)
    _require_attendee(meeting)
    form = AmendmentForm()
    if not form.validate_on_submit():
        return _amendment_page(community, meeting, form, 422)
    try:
        minutes.propose_amendment(meeting, proposer=current_user, body_md=form.body.data, reason=form.reason.data,
                                  now=utcnow())
        db.session.commit()
    except RuleViolation as error:
        refused(form, error, "body")
        return _amendment_page(community, meeting, form, 422)
    flash(_("Your amendment was sent to the organiser, who will accept it or say why not."))
    return redirect(url_for("meetings.show", slug=community.slug, meeting_id=meeting.id, _anchor=pages.MINUTES),
                    code=303)


def _amendment(community, meeting_id: int, amendment_id: int):  # noqa: ANN001, ANN202
    meeting = pages.load(community, meeting_id)
    require(rules.can_decide_amendment(g.standing, meeting))
    amendment = minutes.amendment_in(meeting, amendment_id)
    if amendment is None:
        abort(404)
    return meeting, amendment


@bp.post("/<slug>/meetings/<int:meeting_id>/minutes/amendments/<int:amendment_id>/accept")
@community_member
def accept_amendment(community, meeting_id: int, amendment_id: int):
    meeting, amendment = _amendment(community, meeting_id, amendment_id)
    try:
        version = minutes.accept_amendment(amendment, actor=current_user, now=utcnow())
        db.session.commit()
    except RuleViolation as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("meetings.show", slug=community.slug, meeting_id=meeting.id,
                                _anchor=pages.MINUTES), code=303)
    return done(community, meeting, pages.MINUTES, _("Amendment accepted: the minutes are now version %(n)d.",
                                                        n=version.number))


@bp.post("/<slug>/meetings/<int:meeting_id>/minutes/amendments/<int:amendment_id>/decline")
@community_member
def decline_amendment(community, meeting_id: int, amendment_id: int):
    meeting, amendment = _amendment(community, meeting_id, amendment_id)
    form = DeclineForm()
    try:
        form.validate_on_submit()
        minutes.decline_amendment(amendment, form.reason.data, actor=current_user, now=utcnow())
        db.session.commit()
    except RuleViolation as error:
        db.session.rollback()
        return answer_panel(community, meeting, pages.MINUTES, status=422, minutes_error=error.message,
                            minutes_decline={amendment.id: (form.reason.data or "", error.message)})
    return done(community, meeting, pages.MINUTES, _("Amendment declined; its author was told why."))


from civic.meetings import views_actions, views_notes  # noqa: E402,F401  (their routes)
