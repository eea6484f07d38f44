"""Routes of the committee's moderation actions: hide, unhide, dismiss reports, lock and unlock a thread.

Plain forms answer 303 back to the page they came from; htmx gets the item's controls in their new state.
"""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from civic.clock import utcnow
from civic.errors import RuleViolation
from civic.extensions import db
from civic.moderation import bp, rules, services, targets
from civic.moderation.display import back_path, came_from
from civic.moderation.models import Report
from civic.notices.links import Owner, item_url, thread_owners
from civic.web.access import community_member, require
from civic.web.rendering import page_or_block, wants_fragment

# action → (service call, success message, HX-Trigger event); the event names the kind, e.g. "comment-hidden".
ACTIONS = {
    "hide": (lambda t: services.hide(t, request.form.get("reason"), actor=current_user, now=utcnow()),
             lambda: _("Hidden. Residents now see that the committee hid it, and why."), "hidden"),
    "unhide": (lambda t: services.unhide(t, actor=current_user, now=utcnow()),
               lambda: _("Shown again."), "unhidden"),
    "dismiss": (lambda t: services.dismiss(t, actor=current_user, now=utcnow()),
                lambda: _("Reports dismissed; nothing was hidden."), "reports-dismissed"),
}


def _open_count(target: targets.Target) -> int:
    column = Report.comment_id if target.kind == "comment" else Report.proposal_id
    return db.session.execute(db.select(db.func.count()).select_from(Report).where(
        column == target.item.id, Report.resolved_at.is_(None))).scalar_one()


def _controls(community, target, *, status: int = 200, headers: dict | None = None, **state):  # noqa: ANN001
    return page_or_block("moderation/controls.html", "moderation_controls", status=status, headers=headers,
                         community=community, target=target, open_reports=_open_count(target), **state)


def _refused(community, target, action: str, error: RuleViolation):  # noqa: ANN001
    reason = request.form.get("reason", "")
    if wants_fragment():
        return _controls(community, target, status=422, error=error.message, reason=reason, open_form=action)
    if error.field == "reason":  # keep what they typed: a page with the form and the message
        return render_template("moderation/action.html", community=community, target=target, error=error.message,
                               reason=reason, back=back_path(target.url(community.slug)),
                               excerpt=services.summary_of(target)), 422
    flash(error.message, "error")
    return redirect(back_path(target.url(community.slug)), code=303)


def _load(community, kind: str, object_id: int) -> targets.Target:  # noqa: ANN001
    target = targets.load(community, kind, object_id) or abort(404)
    require(rules.can_moderate_item(g.standing, target.item, target.community_id))
    return target


def _item_action(community, kind: str, object_id: int, action: str):  # noqa: ANN001
    target = _load(community, kind, object_id)
    call, message, event = ACTIONS[action]
    try:
        call(target)
        db.session.commit()
    except RuleViolation as error:
        db.session.rollback()
        return _refused(community, target, action, error)
    if wants_fragment():
        trigger = event if action == "dismiss" else f"{kind}-{event}"
        return _controls(community, target, headers={"HX-Trigger": trigger}, notice=message())
    flash(message())
    return redirect(back_path(target.url(community.slug)), code=303)


def _hide(community, kind: str, object_id: int):  # noqa: ANN001
    """GET: the form (inline for htmx, a page without JavaScript), so pages do not carry one per comment."""
    if request.method == "POST":
        return _item_action(community, kind, object_id, "hide")
    target = _load(community, kind, object_id)
    if wants_fragment():
        return _controls(community, target, open_form="hide")
    return render_template("moderation/action.html", community=community, target=target, reason="",
                           back=came_from(target.url(community.slug)), excerpt=services.summary_of(target))


@bp.route("/<slug>/comments/<int:comment_id>/hide", methods=["GET", "POST"])
@community_member
def hide_comment(community, comment_id: int):
    return _hide(community, "comment", comment_id)


@bp.post("/<slug>/comments/<int:comment_id>/unhide")
@community_member
def unhide_comment(community, comment_id: int):
    return _item_action(community, "comment", comment_id, "unhide")


@bp.post("/<slug>/comments/<int:comment_id>/dismiss-reports")
@community_member
def dismiss_comment_reports(community, comment_id: int):
    return _item_action(community, "comment", comment_id, "dismiss")


@bp.route("/<slug>/proposals/<int:proposal_id>/hide", methods=["GET", "POST"])
@community_member
def hide_proposal(community, proposal_id: int):
    return _hide(community, "proposal", proposal_id)


@bp.post("/<slug>/proposals/<int:proposal_id>/unhide")
@community_member
def unhide_proposal(community, proposal_id: int):
    return _item_action(community, "proposal", proposal_id, "unhide")


@bp.post("/<slug>/proposals/<int:proposal_id>/dismiss-reports")
@community_member
def dismiss_proposal_reports(community, proposal_id: int):
    return _item_action(community, "proposal", proposal_id, "dismiss")


def _thread_url(community, thread) -> str:  # noqa: ANN001
    owner = thread_owners([thread.id]).get(thread.id, Owner(None, None))
    return item_url(community.slug, proposal_id=owner.proposal_id, project_id=owner.project_id,
                    option_id=owner.option_id)


def _lock_controls(community, thread, *, status: int = 200, headers: dict | None = None, **state):  # noqa: ANN001
    return page_or_block("moderation/controls.html", "thread_lock", status=status, headers=headers,
                         community=community, thread=thread, **state)


def _thread_refused(community, thread, error: RuleViolation):  # noqa: ANN001
    reason = request.form.get("reason", "")
    if wants_fragment():
        return _lock_controls(community, thread, status=422, error=error.message, reason=reason)
    back = back_path(_thread_url(community, thread))
    if error.field == "reason":
        return render_template("moderation/action.html", community=community, thread=thread, error=error.message,
                               reason=reason, back=back), 422
    flash(error.message, "error")
    return redirect(back, code=303)


def _thread_action(community, thread_id: int, locking: bool):  # noqa: ANN001
    thread = targets.load_thread(community, thread_id) or abort(404)
    require(rules.can_lock(g.standing, thread))
    try:
        if locking:
            services.lock(thread, request.form.get("reason"), actor=current_user, now=utcnow())
        else:
            services.unlock(thread, actor=current_user, now=utcnow())
        db.session.commit()
    except RuleViolation as error:
        db.session.rollback()
        return _thread_refused(community, thread, error)
    message = _("The discussion is locked.") if locking else _("The discussion is open again.")
    if wants_fragment():
        event = "thread-locked" if locking else "thread-unlocked"
        return _lock_controls(community, thread, headers={"HX-Trigger": event}, notice=message)
    flash(message)
    return redirect(back_path(_thread_url(community, thread)), code=303)


@bp.post("/<slug>/threads/<int:thread_id>/lock")
@community_member
def lock_thread(community, thread_id: int):
    return _thread_action(community, thread_id, True)


@bp.post("/<slug>/threads/<int:thread_id>/unlock")
@community_member
def unlock_thread(community, thread_id: int):
    return _thread_action(community, thread_id, False)
