"""Routes of votes: the project's list of votes, setting one up, changing its settings, announcing it."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from civic.clock import utcnow
from civic.community import queries as community_queries
from civic.errors import RuleViolation
from civic.extensions import db
from civic.projects.rules import can_view_project
from civic.voting import bp, nav, opening, queries, rules, setup
from civic.voting.decision import PRESETS, rule_of, threshold_words
from civic.voting.forms_setup import RULE_FIELDS, VoteForm, WordingForm, preset_data
from civic.voting.labels import BASIS_LABELS, label
from civic.voting.models import ApprovalBase, Basis, Preset, Vote
from civic.voting.views import load_project, load_vote
from civic.web.access import community_member, require

WORDING = "wording"  # the hidden `scope` of the form that only corrects the wording after the freeze


@bp.get("/<slug>/projects/<int:project_id>/votes", endpoint="index")
@community_member
def index(community, project_id: int):
    project = load_project(community, project_id)
    require(can_view_project(g.standing, project))
    votes = queries.votes_of(project, g.standing)
    return render_template("voting/index.html", community=community, project=project, votes=votes,
                           counts=queries.turnout_counts([v.id for v in votes]),
                           can_create=rules.can_create_vote(g.standing, project),
                           can_manage=g.standing.is_committee)


def _form(community, project, formdata=None) -> VoteForm:  # noqa: ANN001
    from civic.designs.queries import vote_choices

    kwargs = {} if formdata is None else {"formdata": formdata}
    return VoteForm(options=vote_choices(project), buildings=community_queries.buildings_of(community), **kwargs)


def _form_page(community, project, form, *, vote: Vote | None = None, status: int = 200, **extra):  # noqa: ANN001
    frozen = vote is not None and queries.has_ballots(vote)
    context = {"community": community, "project": project, "form": form, "vote": vote, "frozen": frozen,
               "presets": {p.value: preset_data(p) for p in PRESETS}, "custom_value": Preset.CUSTOM.value,
               "rule_fields": RULE_FIELDS, **extra}
    if vote is not None:
        context["nav"] = nav.links(g.standing, vote, utcnow())
        context["wording_form"] = extra.get("wording_form") or _wording_form(vote)
        context["ballots"] = queries.ballot_count(vote) if frozen else 0
        context["rule_words"] = rule_words(vote)
    return render_template("voting/form.html", **context), status


def rule_words(vote: Vote) -> list[str]:
    """The stored rule in two plain sentences: what participation and what approval it needs."""
    rule = rule_of(vote)
    part, appr = rule.participation, rule.approval
    lines = [_("Participation: no minimum.") if part.basis is Basis.NONE else _(
        "Participation: %(share)s of the electorate, %(basis)s.", share=threshold_words(part),
        basis=label(BASIS_LABELS, part.basis).lower())]
    if appr.basis is Basis.NONE:
        lines.append(_("Approval: the leading choice, no minimum."))
    elif rule.base is ApprovalBase.PARTICIPATING:
        lines.append(_("Approval: %(share)s of those who took part, %(basis)s.", share=threshold_words(appr),
                       basis=label(BASIS_LABELS, appr.basis).lower()))
    else:
        lines.append(_("Approval: %(share)s of everyone who may vote, %(basis)s.", share=threshold_words(appr),
                       basis=label(BASIS_LABELS, appr.basis).lower()))
    return lines


def _wording_form(vote: Vote, formdata=None) -> WordingForm:  # noqa: ANN001
    form = WordingForm(formdata=formdata)
    if formdata is None:
        form.title.data, form.explanation.data = vote.title, vote.explanation_md
    return form


def _refused(form, error: RuleViolation) -> None:  # noqa: ANN001
    """Nothing was kept (the caller rolled back); the message goes beside the field it is about."""
    field = getattr(form, error.field or "", None) or getattr(form, "title")
    field.errors = [*field.errors, error.message]


def _settings(form: VoteForm) -> dict | None:
    try:
        return form.settings()
    except RuleViolation as error:
        _refused(form, error)
        return None


@bp.route("/<slug>/projects/<int:project_id>/votes/new", methods=["GET", "POST"], endpoint="new_vote")
@community_member
def new_vote(community, project_id: int):
    project = load_project(community, project_id)
    require(rules.can_create_vote(g.standing, project))
    if request.method == "GET":
        form = _form(community, project, formdata=None)
        form.buildings.data = [b.id for b in project.buildings]
        form.fill_rule(PRESETS[Preset.ART278_MAJOR])
        return _form_page(community, project, form)
    form = _form(community, project)
    given = _settings(form) if form.validate_on_submit() else None
    if given is None:
        return _form_page(community, project, form, status=422)
    try:
        vote = setup.create_vote(project, actor=current_user, now=utcnow(), **given)
        db.session.commit()
    except RuleViolation as error:
        db.session.rollback()
        _refused(form, error)
        return _form_page(community, project, form, status=422)
    flash(_("The vote is saved as a draft. Residents see it once you announce it."))
    return redirect(url_for("voting.edit_vote", slug=community.slug, vote_id=vote.id), code=303)


def _load_for_settings(community, vote_id: int) -> Vote:  # noqa: ANN001
    vote = load_vote(community, vote_id)
    require(rules.can_manage_vote(g.standing, vote) and rules.is_settings_state(vote))
    return vote


@bp.route("/<slug>/votes/<int:vote_id>/edit", methods=["GET", "POST"], endpoint="edit_vote")
@community_member
def edit_vote(community, vote_id: int):
    vote = _load_for_settings(community, vote_id)
    project = load_project(community, vote.project_id)
    if request.method == "GET":
        form = _form(community, project, formdata=None)
        form.fill(vote)
        return _form_page(community, project, form, vote=vote)
    if request.form.get("scope") == WORDING:
        return _fix_wording(community, project, vote)
    form = _form(community, project)
    given = _settings(form) if form.validate_on_submit() else None
    if given is None:
        return _form_page(community, project, form, vote=vote, status=422)
    return _save(community, project, vote, form, given)


def _save(community, project, vote: Vote, form, given: dict):  # noqa: ANN001
    try:
        changed = setup.update_vote(vote, actor=current_user, now=utcnow(), **given)
        db.session.commit()
    except setup.SettingsFrozen as error:
        db.session.rollback()  # the refusal's audit entry is already committed by the service
        vote = db.session.get(Vote, vote.id)
        return _form_page(community, project, form, vote=vote, status=422, frozen_error=error.message)
    except RuleViolation as error:
        db.session.rollback()
        _refused(form, error)
        return _form_page(community, project, form, vote=db.session.get(Vote, vote.id), status=422)
    flash(_("Changes saved.") if changed else _("Nothing was changed."))
    return redirect(url_for("voting.edit_vote", slug=community.slug, vote_id=vote.id), code=303)


def _fix_wording(community, project, vote: Vote):  # noqa: ANN001
    """After the first ballot: the question's wording and explanation only."""
    form = _wording_form(vote, formdata=request.form)
    if not form.validate_on_submit():
        return _form_page(community, project, _form_for(community, project, vote), vote=vote, status=422,
                          wording_form=form)
    try:
        changed = setup.update_vote(vote, actor=current_user, now=utcnow(), title=form.title.data or "",
                                    explanation=form.explanation.data or "")
        db.session.commit()
    except RuleViolation as error:
        db.session.rollback()
        _refused(form, error)
        return _form_page(community, project, _form_for(community, project, vote), vote=db.session.get(Vote, vote.id),
                          status=422, wording_form=form)
    flash(_("The wording is corrected.") if changed else _("Nothing was changed."))
    return redirect(url_for("voting.edit_vote", slug=community.slug, vote_id=vote.id), code=303)


def _form_for(community, project, vote: Vote) -> VoteForm:  # noqa: ANN001
    form = _form(community, project, formdata=None)
    form.fill(vote)
    return form


@bp.post("/<slug>/votes/<int:vote_id>/announce", endpoint="announce")
@community_member
def announce(community, vote_id: int):
    vote = load_vote(community, vote_id)
    require(rules.can_manage_vote(g.standing, vote))
    try:
        opening.announce(vote, actor=current_user, now=utcnow())
        db.session.commit()
    except RuleViolation as error:
        db.session.rollback()
        vote = db.session.get(Vote, vote.id)
        project = load_project(community, vote.project_id)
        return _form_page(community, project, _form_for(community, project, vote), vote=vote, status=422,
                          announce_error=error.message)
    flash(_("The vote is open: every household that may vote has been told.") if vote.state.value == "open"
          else _("The vote is announced. It opens at the time you set."))
    return redirect(url_for("voting.show", slug=community.slug, vote_id=vote.id), code=303)
