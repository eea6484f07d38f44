"""Routes of the publicity period (objections and the committee's answers) and the printed notices of a vote."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from civic.clock import utcnow
from civic.community.people import public_labels
from civic.errors import RuleViolation
from civic.extensions import db
from civic.voting import bp, nav, printing, publicity, rules
from civic.voting.forms_close import AnswerForm, ObjectionForm
from civic.voting.models import Objection, State
from civic.voting.views import load_vote
from civic.web.access import community_member, require
from civic.web.rendering import page_or_block, wants_fragment


def objections_context(community, vote, now, *, form=None, answer_errors=None,  # noqa: ANN001
                       answer_texts=None) -> dict:
    st = g.standing
    objections = publicity.objections_of(vote)
    people = [p for o in objections for p in (o.author, o.answered_by) if p is not None]
    return {"community": community, "vote": vote, "nav": nav.links(st, vote, now), "objections": objections,
            "labels": public_labels(people, community) if people else {},
            "form": form or (ObjectionForm() if rules.can_object(st, vote, now) else None),
            "can_answer": rules.can_answer_objection(st, vote), "answer_errors": answer_errors or {},
            "answer_texts": answer_texts or {}, "is_running": rules.is_publicity_running(vote, now),
            "is_settled": publicity.is_settled(vote, now),
            "ends_words": publicity.ends_words(vote.publicity_ends_at) if vote.publicity_ends_at else ""}


@bp.route("/<slug>/votes/<int:vote_id>/objections", methods=["GET", "POST"], endpoint="objections")
@community_member
def objections(community, vote_id: int):
    """The list for everyone who sees the vote; filing one while the publicity period runs."""
    vote = load_vote(community, vote_id)
    require(vote.state is State.PUBLISHED and rules.can_view_vote(g.standing, vote))
    now = utcnow()
    form = ObjectionForm()
    if not form.is_submitted():
        return page_or_block("voting/objections.html", "objections", **objections_context(community, vote, now))
    require(rules.in_community(g.standing, vote) and g.standing.user_id is not None)
    if not form.validate():
        return _objection_refused(community, vote, form, None, 422)
    try:
        publicity.file_objection(vote, actor=current_user, standing=g.standing, body=form.body.data, now=now)
        db.session.commit()
    except RuleViolation as error:
        db.session.rollback()
        # The period ended while they wrote: their text comes back with the reason (409), never lost.
        return _objection_refused(community, vote, form, error.message, 409 if error.field is None else 422)
    return _done(community, vote, _("Your objection is filed. The committee will answer it here."))


def _objection_refused(community, vote, form, message, status: int):  # noqa: ANN001
    if message:
        form.body.errors = [*form.body.errors, message]
    context = objections_context(community, vote, utcnow(), form=form)
    context["form"] = form
    return page_or_block("voting/objections.html", "objections", status=status, **context)


def _done(community, vote, message: str):  # noqa: ANN001
    if not wants_fragment():
        flash(message)
        return redirect(url_for("voting.objections", slug=community.slug, vote_id=vote.id, _anchor="objections"),
                        code=303)
    context = objections_context(community, vote, utcnow())
    context["message"] = message
    return page_or_block("voting/objections.html", "objections", **context)


@bp.post("/<slug>/votes/<int:vote_id>/objections/<int:objection_id>/answer", endpoint="answer_objection")
@community_member
def answer_objection(community, vote_id: int, objection_id: int):
    vote = load_vote(community, vote_id)
    require(rules.can_answer_objection(g.standing, vote))
    objection = db.session.get(Objection, objection_id)
    if objection is None or objection.vote_id != vote.id:
        abort(404)
    form = AnswerForm()
    if not form.validate_on_submit():
        return _answer_refused(community, vote, objection, form, " ".join(map(str, form.answer.errors)))
    try:
        first = publicity.answer(objection, actor=current_user, body=form.answer.data, now=utcnow())
        db.session.commit()
    except RuleViolation as error:
        db.session.rollback()
        return _answer_refused(community, vote, objection, form, error.message)
    return _done(community, vote, _("Your answer is published; the neighbour is notified.") if first
                 else _("The answer is corrected."))


def _answer_refused(community, vote, objection, form, message: str):  # noqa: ANN001
    context = objections_context(community, vote, utcnow(), answer_errors={objection.id: message},
                                 answer_texts={objection.id: form.answer.data or ""})
    return page_or_block("voting/objections.html", "objections", status=422, **context)


@bp.get("/<slug>/votes/<int:vote_id>/notice", endpoint="notice")
@community_member
def notice(community, vote_id: int):
    """The A4 lobby notice of an announced or open vote (drafts are not announced yet)."""
    vote = load_vote(community, vote_id)
    require(vote.state is not State.DRAFT and rules.can_view_vote(g.standing, vote))
    return render_template("voting/notice.html", nav=nav.links(g.standing, vote, utcnow()),
                           **printing.notice_context(community, vote))


@bp.get("/<slug>/votes/<int:vote_id>/result-notice", endpoint="result_notice")
@community_member
def result_notice(community, vote_id: int):
    """The A4 result notice: published results for everyone; the committee may print a preview once closed."""
    vote = load_vote(community, vote_id)
    require(vote.state in (State.CLOSED, State.PUBLISHED) and rules.can_see_results(g.standing, vote))
    return render_template("voting/result_notice.html", nav=nav.links(g.standing, vote, utcnow()),
                           **printing.result_notice_context(community, vote))
