"""Routes of the agenda panel (议程): add, remove and reorder items; htmx updates the panel in place."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from civic.clock import utcnow
from civic.errors import RuleViolation
from civic.extensions import db
from civic.meetings import agenda, bp, pages, queries, rules
from civic.meetings.forms import AgendaItemForm
from civic.meetings.models import Meeting
from civic.proposals.rules import can_read_text
from civic.web.access import community_member, require
from civic.web.rendering import page_or_block, wants_fragment

TEMPLATE = "meetings/_agenda.html"
FORM_PREFIX = "agenda"  # field ids unique on the meeting page, beside the other panels' forms


def _form(community, meeting: Meeting, **kwargs) -> AgendaItemForm:  # noqa: ANN001
    """The meeting's own proposals first, then the community's live ones."""
    linked = [p.id for p in meeting.proposals]
    return AgendaItemForm(proposals=queries.linkable_proposals(community, linked), prefix=FORM_PREFIX, **kwargs)


def agenda_context(community, meeting: Meeting, now, can_edit: bool, form: AgendaItemForm | None = None) -> dict:  # noqa: ANN001
    items = agenda.items_of(meeting)
    if can_edit and form is None:
        form = _form(community, meeting, formdata=None)  # never bound to a POST made for another panel
    return {
        "agenda_items": items,
        "agenda_timing": agenda.timing(meeting, items),
        "agenda_readable": {i.proposal.id for i in items if i.proposal and can_read_text(g.standing, i.proposal)},
        "agenda_can_edit": can_edit,
        "agenda_form": form if can_edit else None,
        "agenda_is_full": len(items) >= agenda.ITEMS_MAX,
    }


def _panel(community, meeting: Meeting, *, status: int = 200, form: AgendaItemForm | None = None, **extra):  # noqa: ANN001
    """htmx: only the panel. A plain refused form: the whole meeting page, 422, with the typed text."""
    now = utcnow()
    can_edit = rules.can_edit(g.standing, meeting, now)
    if extra.get("agenda_is_added"):  # ready for the next item: an empty form, the cursor in its title
        form = _form(community, meeting, formdata=None)
        form.title.render_kw = {**(form.title.render_kw or {}), "autofocus": True}
    if not wants_fragment():
        context = pages.show_context(community, meeting)
        context.update(agenda_context(community, meeting, now, can_edit, form))
        return render_template("meetings/show.html", **context), status, {"Vary": "HX-Request"}
    context = {"community": community, "meeting": meeting, "st": g.standing, "now": now,
               "can_manage": rules.can_manage(g.standing, meeting), **extra}
    return page_or_block(TEMPLATE, pages.AGENDA, status=status,
                         **context, **agenda_context(community, meeting, now, can_edit, form))


def _done(community, meeting: Meeting, message: str, **extra):  # noqa: ANN001, ANN202
    if wants_fragment():
        return _panel(community, meeting, agenda_message=message, **extra)
    flash(message)
    return redirect(url_for("meetings.show", slug=community.slug, meeting_id=meeting.id, _anchor=pages.AGENDA),
                    code=303)


def _editable(community, meeting_id: int) -> Meeting:  # noqa: ANN001
    meeting = pages.load(community, meeting_id)
    require(rules.can_edit(g.standing, meeting, utcnow()))
    return meeting


@bp.post("/<slug>/meetings/<int:meeting_id>/agenda")
@community_member
def add_agenda_item(community, meeting_id: int):
    meeting = _editable(community, meeting_id)
    form = _form(community, meeting)
    if form.validate_on_submit():
        try:
            agenda.add_item(meeting, title=form.title.data, minutes=form.minutes.data,
                            proposal_id=form.proposal.data or None, actor=current_user, now=utcnow())
            db.session.commit()
        except RuleViolation as error:
            db.session.rollback()
            field = getattr(form, error.field or "title", form.title)
            field.errors = [*field.errors, error.message]
        else:
            return _done(community, meeting, _("Agenda item added."), agenda_is_added=True)
    return _panel(community, meeting, status=422, form=form)


def _item(meeting: Meeting, item_id: int):  # noqa: ANN202
    return agenda.item_in(meeting, item_id) or abort(404)


@bp.post("/<slug>/meetings/<int:meeting_id>/agenda/<int:item_id>/delete")
@community_member
def delete_agenda_item(community, meeting_id: int, item_id: int):
    meeting = _editable(community, meeting_id)
    agenda.remove_item(meeting, _item(meeting, item_id), actor=current_user, now=utcnow())
    db.session.commit()
    return _done(community, meeting, _("Agenda item removed."))


@bp.post("/<slug>/meetings/<int:meeting_id>/agenda/<int:item_id>/move")
@community_member
def move_agenda_item(community, meeting_id: int, item_id: int):
    meeting = _editable(community, meeting_id)
    direction = request.form.get("direction", "")
    if direction not in agenda.DIRECTIONS:
        abort(400)
    agenda.move_item(meeting, _item(meeting, item_id), direction, actor=current_user, now=utcnow())
    db.session.commit()
    return _done(community, meeting, _("Agenda order changed."))
