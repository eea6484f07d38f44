"""Route of the committee's official answer on a proposal."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from civic.clock import utcnow
from civic.errors import RuleViolation
from civic.extensions import db
from civic.projects import queries as project_queries
from civic.proposals import answers, bp, pages, queries, rules
from civic.proposals.forms import AnswerForm
from civic.web.access import community_member, require

ANSWERED = {
    "accept_new": _l("The proposal was accepted into a new project."),
    "accept_existing": _l("The proposal was accepted into the project."),
    "merge": _l("The proposal was merged into the other one."),
    "decline": _l("The proposal was declined."),
}


def _apply(community, proposal, form: AnswerForm) -> None:  # noqa: ANN001
    kind, text, now = form.kind.data, form.answer.data, utcnow()
    if kind == "accept_new":
        answers.accept_into_new_project(proposal, text, actor=current_user, now=now)
    elif kind == "accept_existing":
        project = project_queries.project_in(community, form.project.data) if form.project.data else None
        answers.accept_into_project(proposal, project, text, actor=current_user, now=now)
    elif kind == "merge":
        target = queries.proposal_in(community, form.merge_into.data) if form.merge_into.data else None
        answers.merge(proposal, target, text, actor=current_user, now=now)
    else:
        answers.decline(proposal, text, actor=current_user, now=now)


@bp.post("/<slug>/proposals/<int:proposal_id>/answer")
@community_member
def answer(community, proposal_id: int):
    proposal = pages.load(community, proposal_id)
    require(rules.can_answer(g.standing, proposal))
    form = pages.answer_form(community, proposal, formdata=request.form)
    if form.validate_on_submit():
        try:
            _apply(community, proposal, form)
            db.session.commit()
        except RuleViolation as error:
            db.session.rollback()
            field = getattr(form, error.field or "answer", form.answer)
            field.errors = [*field.errors, error.message]
        else:
            flash(str(ANSWERED[form.kind.data]))
            return redirect(url_for("proposals.show", slug=community.slug, proposal_id=proposal.id), code=303)
    return render_template("proposals/show.html", **pages.show_context(community, proposal, form)), 422
