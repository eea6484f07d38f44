"""Routes of a meeting's action items (part of the minutes panel): add, change the status, remove."""
from __future__ import annotations

from flask import abort, g
from flask_babel import gettext as _
from flask_login import current_user

from civic.clock import utcnow
from civic.errors import RuleViolation
from civic.extensions import db
from civic.meetings import actions, bp, pages, rules
from civic.meetings.forms_minutes import ActionItemForm, ActionStatusForm
from civic.meetings.views_minutes import answer_panel, done, refused
from civic.web.access import community_member, require

ADDED, CHANGED = "action-added", "action-changed"


def _managed(community, meeting_id: int):  # noqa: ANN001, ANN202
    meeting = pages.load(community, meeting_id)
    require(rules.can_write_minutes(g.standing, meeting, utcnow()))
    return meeting


def _item(meeting, item_id: int):  # noqa: ANN001, ANN202
    item = actions.item_in(meeting, item_id)
    if item is None:
        abort(404)
    return item


@bp.post("/<slug>/meetings/<int:meeting_id>/actions")
@community_member
def add_action(community, meeting_id: int):
    meeting = _managed(community, meeting_id)
    form = ActionItemForm(prefix="item", owner_choices=actions.owner_choices(meeting))
    if form.validate_on_submit():
        try:
            actions.add(meeting, what=form.what.data, owner=form.owner.data, due_on=form.due_on.data,
                        actor=current_user, now=utcnow())
            db.session.commit()
            return done(community, meeting, pages.MINUTES, _("Action item added."), event=ADDED)
        except RuleViolation as error:
            refused(form, error, "what")
    return answer_panel(community, meeting, pages.MINUTES, status=422, minutes_action_form=form)


@bp.post("/<slug>/meetings/<int:meeting_id>/actions/<int:item_id>")
@community_member
def update_action(community, meeting_id: int, item_id: int):
    meeting = _managed(community, meeting_id)
    item = _item(meeting, item_id)
    form = ActionStatusForm()
    message = _("Choose a status from the list.")
    if form.validate_on_submit():
        try:
            actions.set_status(item, form.chosen, reason=form.reason.data, actor=current_user, now=utcnow())
            db.session.commit()
            return done(community, meeting, pages.MINUTES, _("Status updated."), event=CHANGED)
        except RuleViolation as error:
            db.session.rollback()
            message = error.message
    return answer_panel(community, meeting, pages.MINUTES, status=422, minutes_error=message,
                        minutes_error_item=(item.id, form.status.data, form.reason.data or ""))


@bp.post("/<slug>/meetings/<int:meeting_id>/actions/<int:item_id>/delete")
@community_member
def remove_action(community, meeting_id: int, item_id: int):
    meeting = _managed(community, meeting_id)
    actions.remove(_item(meeting, item_id), actor=current_user, now=utcnow())
    db.session.commit()
    return done(community, meeting, pages.MINUTES, _("Action item removed."), event=CHANGED)
