"""Routes that create, edit and cancel meetings and reception-day series; the details panel of the meeting page.

The agenda's routes live in views_agenda.py (imported at the end of this module).
"""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from civic.clock import utcnow
from civic.community.people import public_labels
from civic.errors import RuleViolation
from civic.extensions import db
from civic.meetings import bp, editing, pages, queries, rules, series
from civic.meetings.forms import POLL, CancelForm, MeetingForm, SeriesForm
from civic.meetings.localtime import local_date, to_local
from civic.meetings.models import Meeting, MeetingKind
from civic.proposals.rules import can_read_text
from civic.web.access import community_member, require

# Where a refused service call puts its message on the form (service field name → form field).
FORM_FIELDS = {"starts_at": "starts", "ends_at": "ends", "reason": "reason", "title": "title", "place": "place",
               "capacity": "capacity", "description": "description", "projects": "projects", "proposals": "proposals",
               "time_mode": "time_mode", "nth": "nth", "weekday": "weekday", "months": "months",
               "first_month": "first_month"}
SERIES_OTHERS_SHOWN = 6


def _refused(form, error: RuleViolation, default: str) -> None:  # noqa: ANN001
    """Nothing was kept (the caller rolled back); the message goes beside the field it is about."""
    field = getattr(form, FORM_FIELDS.get(error.field or "", default), None) or getattr(form, default)
    field.errors = [*field.errors, error.message]


def _kinds() -> list[MeetingKind]:
    return [kind for kind in MeetingKind if rules.can_create(g.standing, kind)]


def _meeting_form(community, meeting: Meeting | None = None, also_project: int | None = None) -> MeetingForm:  # noqa: ANN001
    kinds = _kinds()
    if meeting is not None and meeting.kind not in kinds:
        kinds.append(meeting.kind)  # the committee may have made it; its organiser keeps it as it is
    project_ids = [p.id for p in meeting.projects] if meeting else [also_project] if also_project else []
    proposal_ids = [p.id for p in meeting.proposals] if meeting else []
    return MeetingForm(kinds=kinds, projects=queries.linkable_projects(community, project_ids),
                       proposals=queries.linkable_proposals(community, proposal_ids),
                       can_poll=meeting is None or meeting.is_polling)


def _data(form: MeetingForm) -> editing.MeetingData:
    starts_at, ends_at = form.times()
    return editing.MeetingData(
        kind=MeetingKind(form.kind.data), title=form.title.data or "", place=form.place.data or "",
        description_md=form.description.data or "", starts_at=starts_at, ends_at=ends_at, capacity=form.capacity.data,
        projects=tuple(form.projects.data or ()), proposals=tuple(form.proposals.data or ()))


def _form_page(template: str, community, form: MeetingForm, meeting: Meeting | None = None, status: int = 200):  # noqa: ANN001
    return render_template(template, community=community, form=form, meeting=meeting,
                           can_series=rules.can_manage_series(g.standing)), status


def _prefill_new(form: MeetingForm) -> None:
    """?kind=… and ?project=… (from a project page's "schedule a meeting"), when they are among the choices."""
    kind = request.args.get("kind", "")
    if kind in {value for value, _label in form.kind.choices}:
        form.kind.data = kind
    project = request.args.get("project", type=int)
    if project in {value for value, _label in form.projects.choices}:
        form.projects.data = [project]


@bp.route("/<slug>/meetings/new", methods=["GET", "POST"])
@community_member
def new(community):
    require(bool(_kinds()))
    form = _meeting_form(community, also_project=request.args.get("project", type=int))
    if request.method == "GET":
        _prefill_new(form)
        return _form_page("meetings/new.html", community, form)
    if not form.validate_on_submit():
        return _form_page("meetings/new.html", community, form, status=422)
    require(rules.can_create(g.standing, MeetingKind(form.kind.data)))
    try:
        meeting = editing.create_meeting(community, _data(form), actor=current_user, now=utcnow())
        db.session.commit()
    except RuleViolation as error:
        db.session.rollback()
        _refused(form, error, "title")
        return _form_page("meetings/new.html", community, form, status=422)
    if meeting.is_polling:
        flash(_("The meeting is created. Now offer a few possible times for the neighbours to answer."))
    else:
        flash(_("The meeting is scheduled."))
    anchor = pages.POLL if meeting.is_polling else None
    return redirect(url_for("meetings.show", slug=community.slug, meeting_id=meeting.id, _anchor=anchor), code=303)


def _fill(form: MeetingForm, meeting: Meeting) -> None:
    form.kind.data, form.title.data, form.place.data = meeting.kind.value, meeting.title, meeting.place
    form.capacity.data, form.description.data = meeting.capacity, meeting.description_md
    form.projects.data, form.proposals.data = [p.id for p in meeting.projects], [p.id for p in meeting.proposals]
    form.time_mode.data = POLL if meeting.is_polling else "fixed"
    if meeting.starts_at is not None and meeting.ends_at is not None:
        form.day.data = local_date(meeting.starts_at)
        form.starts.data, form.ends.data = to_local(meeting.starts_at).time(), to_local(meeting.ends_at).time()


@bp.route("/<slug>/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@community_member
def edit(community, meeting_id: int):
    meeting = pages.load(community, meeting_id)
    require(rules.can_edit(g.standing, meeting, utcnow()))
    form = _meeting_form(community, meeting)
    if request.method == "GET":
        _fill(form, meeting)
        return _form_page("meetings/edit.html", community, form, meeting)
    if not form.validate_on_submit():
        return _form_page("meetings/edit.html", community, form, meeting, status=422)
    try:
        changed = editing.edit_meeting(meeting, _data(form), actor=current_user, now=utcnow())
        db.session.commit()
    except RuleViolation as error:
        db.session.rollback()
        _refused(form, error, "title")
        return _form_page("meetings/edit.html", community, form, meeting, status=422)
    flash(_("Changes saved.") if changed else _("Nothing was changed."))
    return redirect(url_for("meetings.show", slug=community.slug, meeting_id=meeting.id), code=303)


@bp.post("/<slug>/meetings/<int:meeting_id>/cancel")
@community_member
def cancel(community, meeting_id: int):
    meeting = pages.load(community, meeting_id)
    require(rules.can_cancel(g.standing, meeting, utcnow()))
    form = CancelForm(prefix="cancel")
    if form.validate_on_submit():
        try:
            editing.cancel_meeting(meeting, form.reason.data, actor=current_user, now=utcnow())
            db.session.commit()
        except RuleViolation as error:
            db.session.rollback()
            _refused(form, error, "reason")
        else:
            flash(_("The meeting is cancelled. Everyone who signed up has been told."))
            return redirect(url_for("meetings.show", slug=community.slug, meeting_id=meeting.id), code=303)
    context = pages.show_context(community, meeting)
    context["details_cancel_form"] = form
    return render_template("meetings/show.html", **context), 422


def _series_data(form: SeriesForm) -> series.SeriesData:
    return series.SeriesData(
        title=form.title.data or "", place=form.place.data or "", nth=form.nth.data, weekday=form.weekday.data,
        starts_local=form.starts.data, ends_local=form.ends.data, first_month=form.first_day(),
        months=form.months.data, capacity=form.capacity.data, description_md=form.description.data or "")


@bp.route("/<slug>/meetings/series/new", methods=["GET", "POST"])
@community_member
def new_series(community):
    require(rules.can_manage_series(g.standing))
    now = utcnow()
    form = SeriesForm(today=local_date(now))
    if request.method == "GET":
        form.title.data = _("Secretary's reception day")
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template("meetings/series_new.html", community=community, form=form), status
    try:
        made = series.create_series(community, _series_data(form), actor=current_user, now=now)
        db.session.commit()
    except RuleViolation as error:
        db.session.rollback()
        _refused(form, error, "title")
        return render_template("meetings/series_new.html", community=community, form=form), 422
    occurrences = queries.series_occurrences(made.id)
    flash(_("%(n)d reception days are scheduled: %(line)s.", n=len(occurrences), line=series.describe(made)))
    return redirect(url_for("meetings.show", slug=community.slug, meeting_id=occurrences[0].id), code=303)


@bp.post("/<slug>/meetings/series/<int:series_id>/end")
@community_member
def end_series(community, series_id: int):
    require(rules.can_manage_series(g.standing))
    row = queries.series_in(community, series_id) or abort(404)
    try:
        count = series.end_series(row, actor=current_user, now=utcnow())
        db.session.commit()
        flash(_("The reception days are ended: %(n)d still to come were cancelled.", n=count))
    except RuleViolation as error:
        db.session.rollback()
        flash(error.message, "error")
    back = queries.meeting_in(community, request.form.get("meeting", type=int) or 0)
    if back is None or back.series_id != row.id:
        return redirect(url_for("meetings.index", slug=community.slug), code=303)
    return redirect(url_for("meetings.show", slug=community.slug, meeting_id=back.id, _anchor=pages.DETAILS), code=303)


def _details_context(community, meeting: Meeting, now, can_edit: bool) -> dict:  # noqa: ANN001
    st = g.standing
    organiser = public_labels([meeting.organiser], community) if meeting.organiser else {}
    linked = meeting.proposals
    row = meeting.series
    return {
        "details_organiser": organiser.get(meeting.organiser_id, ""),
        "details_projects": meeting.projects,
        "details_proposals": [(p, can_read_text(st, p)) for p in linked],
        "details_series": row,
        "details_series_line": series.describe(row) if row else "",
        "details_series_next": [m for m in queries.series_occurrences(row.id, after=now, limit=SERIES_OTHERS_SHOWN + 1)
                                if m.id != meeting.id][:SERIES_OTHERS_SHOWN] if row else [],
        "details_can_edit": can_edit,
        "details_can_cancel": rules.can_cancel(st, meeting, now),
        "details_cancel_form": CancelForm(formdata=None, prefix="cancel"),
        "details_can_end_series": bool(row) and row.ended_at is None and rules.can_manage_series(st),
    }


def panel_context(community, meeting: Meeting, now) -> dict:  # noqa: ANN001
    """The agenda's and the details' keys for the meeting page (prefixed agenda_…, details_…)."""
    from civic.meetings.views_agenda import agenda_context

    can_edit = rules.can_edit(g.standing, meeting, now)
    return {**agenda_context(community, meeting, now, can_edit), **_details_context(community, meeting, now, can_edit)}


from civic.meetings import views_agenda  # noqa: E402,F401  (registers the agenda routes)
