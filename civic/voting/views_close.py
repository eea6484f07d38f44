"""Routes of closing: the committee's page with the joint sign-off, objections and answers, the printed notices."""
from __future__ import annotations

from dataclasses import dataclass

from flask import abort, flash, g, redirect, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from civic.clock import utcnow
from civic.errors import RuleViolation
from civic.extensions import db
from civic.voting import bp, closing, nav, queries, rules, signoff
from civic.voting.forms_close import SignForm
from civic.voting.models import SignAction, State
from civic.voting.views import load_vote
from civic.web.access import community_member, require
from civic.web.rendering import page_or_block, wants_fragment

ACTION_TEXT = {
    SignAction.CLOSE: (_l("Close the vote now"), _l("Closing before the deadline needs the signatures of "
                                                    "%(n)d of the three carriages.")),
    SignAction.PUBLISH: (_l("Publish the result"), _l("Publishing the result needs the signatures of "
                                                      "%(n)d of the three carriages.")),
}


@dataclass
class Panel:
    """One action's sign-off: who signed for which carriage and when, how many more, and this member's form."""

    action: SignAction
    title: str
    explanation: str
    signatures: list
    remaining: int
    is_active: bool  # signatures are taken now (close: while open; publish: once closed)
    is_done: bool
    can_sign: bool
    form: SignForm | None
    error: str | None = None


def _is_active(vote, action: SignAction, now) -> bool:  # noqa: ANN001
    return rules.is_open(vote, now) if action is SignAction.CLOSE else vote.state is State.CLOSED


def _is_done(vote, action: SignAction) -> bool:  # noqa: ANN001
    if action is SignAction.CLOSE:
        return vote.closed_at is not None and vote.closed_by_id is not None
    return vote.published_at is not None


def _panel(vote, action, signed, now, errors: dict) -> Panel:  # noqa: ANN001
    st = g.standing
    taken = {s.carriage for s in signed}
    already = any(s.user_id == st.user_id for s in signed)  # one person signs once, for one carriage
    open_carriages = () if already else tuple(r for r in rules.carriages_of(st) if r not in taken)
    active = _is_active(vote, action, now)
    allowed = active and rules.can_sign(st, vote) and bool(open_carriages)
    refused_form, error = errors.get(action, (None, None))
    form = (refused_form or SignForm()) if allowed else None
    if form is not None:
        form.set_carriages(open_carriages)
    title, explanation = ACTION_TEXT[action]
    return Panel(action, str(title), str(explanation) % {"n": vote.signoffs_required}, signed,
                 signoff.remaining(vote, signed), active, _is_done(vote, action), allowed, form, error)


def manage_context(community, vote, now, errors: dict | None = None) -> dict:  # noqa: ANN001
    signed = signoff.signatures(vote)
    return {"community": community, "vote": vote, "nav": nav.links(g.standing, vote, now),
            "panels": [_panel(vote, action, signed[action], now, errors or {}) for action in SignAction],
            "counted": queries.ballot_count(vote), "electorate": queries.electorate_size(vote),
            "is_open": rules.is_open(vote, now)}


def _require_manage(vote) -> None:  # noqa: ANN001
    require(vote.state is not State.DRAFT and (rules.can_sign(g.standing, vote)
                                               or rules.can_manage_vote(g.standing, vote)))


@bp.get("/<slug>/votes/<int:vote_id>/manage", endpoint="manage")
@community_member
def manage(community, vote_id: int):
    vote = load_vote(community, vote_id)
    _require_manage(vote)
    return page_or_block("voting/manage.html", "signoffs", **manage_context(community, vote, utcnow()))


def _action(value: str) -> SignAction:
    try:
        return SignAction(value)
    except ValueError:
        abort(404)


def _signed_message(action: SignAction, completed: bool) -> str:
    if not completed:
        return _("Your signature is recorded. Another carriage must sign too.")
    return _("The vote is closed and counted.") if action is SignAction.CLOSE else _("The result is published.")


@bp.post("/<slug>/votes/<int:vote_id>/sign/<action>", endpoint="sign")
@community_member
def sign(community, vote_id: int, action: str):
    """A carriage's signature: the panel in place for htmx, back to the page (303) for a plain form."""
    vote, sign_action = load_vote(community, vote_id), _action(action)
    require(rules.can_sign(g.standing, vote))
    form = SignForm()
    form.set_carriages(rules.carriages_of(g.standing))
    if not form.validate_on_submit():
        return _sign_refused(community, vote, sign_action, form, " ".join(map(str, form.note.errors)), 422)
    try:
        completed = signoff.sign(vote, sign_action, actor=current_user, standing=g.standing, now=utcnow(),
                                 note=form.note.data or "", carriage=form.chosen())
        db.session.commit()
    except RuleViolation as error:
        db.session.rollback()
        conflict = isinstance(error, (signoff.Refused, closing.NotClosable))
        return _sign_refused(community, vote, sign_action, form, error.message, 409 if conflict else 422)
    message = _signed_message(sign_action, completed)
    if not wants_fragment():
        flash(message)
        return redirect(url_for("voting.manage", slug=community.slug, vote_id=vote.id, _anchor="signoffs"), code=303)
    context = manage_context(community, vote, utcnow())
    context["message"] = message
    return page_or_block("voting/manage.html", "signoffs", headers={"HX-Trigger": f"vote-{sign_action.value}-signed"},
                         **context)


def _sign_refused(community, vote, action: SignAction, form: SignForm, message: str, status: int):  # noqa: ANN001
    db.session.refresh(vote)
    context = manage_context(community, vote, utcnow(), {action: (form, message)})
    return page_or_block("voting/manage.html", "signoffs", status=status, **context)


from civic.voting import views_objections  # noqa: E402,F401  (objections, answers and printed notices)
