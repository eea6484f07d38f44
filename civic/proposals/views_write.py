"""Routes that write a proposal: raise (draft or publish), edit, publish a draft, withdraw."""
from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from civic.clock import utcnow
from civic.community import queries as community_queries
from civic.community.models import Household
from civic.errors import RuleViolation
from civic.extensions import db
from civic.projects.models import Category
from civic.proposals import bp, pages, photos, rules, services
from civic.proposals.forms import ProposalForm
from civic.proposals.models import MAX_PHOTOS, Proposal, ProposalStatus
from civic.web.access import community_member, require

UPLOAD_ENDPOINTS = frozenset({"proposals.new", "proposals.edit"})


@bp.url_value_preprocessor
def _allow_photo_uploads(endpoint: str | None, values: dict | None) -> None:
    """Nine photos need more than the app-wide body cap. Set here, not in the view: URL preprocessors run
    before every before_request hook, and CSRFProtect's hook reads (and so size-checks) the form first."""
    if endpoint in UPLOAD_ENDPOINTS and request.method == "POST":
        request.max_content_length = photos.request_cap()


def _text(community, form: ProposalForm) -> services.ProposalText:  # noqa: ANN001
    return services.ProposalText(title=form.title.data, body_md=form.body.data or "",
                                 category=Category(form.category.data),
                                 buildings=community_queries.buildings_by_id(community, form.buildings.data or []))


def _form_page(template: str, community, form: ProposalForm, *, status: int = 200, problems=(),  # noqa: ANN001
               proposal: Proposal | None = None):
    had_files = bool(photos.chosen(form.photos.data)) if request.method == "POST" else False
    return render_template(template, community=community, form=form, proposal=proposal, photo_problems=list(problems),
                           reselect_photos=had_files and status == 422, max_photos=MAX_PHOTOS), status


def _refused(template: str, community, form: ProposalForm, error: Exception, proposal=None):  # noqa: ANN001
    """A refused save: nothing kept (files were removed by photos.staged), the text returned with the reason."""
    db.session.rollback()
    if isinstance(error, photos.PhotosRejected):
        return _form_page(template, community, form, status=422, problems=error.problems, proposal=proposal)
    field = getattr(form, error.field or "title", form.title)
    field.errors = [*field.errors, error.message]
    return _form_page(template, community, form, status=422, proposal=proposal)


def _own_building_ids() -> list[int]:
    household_id = pages.first_household_id()
    return [db.session.get(Household, household_id).building_id] if household_id else []


@bp.route("/<slug>/proposals/new", methods=["GET", "POST"])
@community_member
def new(community):
    require(rules.can_raise(g.standing))
    form = ProposalForm(buildings=community_queries.buildings_of(community))
    if request.method == "GET":
        form.buildings.data = _own_building_ids()
        return _form_page("proposals/new.html", community, form)
    if not form.validate_on_submit():
        return _form_page("proposals/new.html", community, form, status=422)
    try:
        proposal = _save_new(community, form)
    except (photos.PhotosRejected, RuleViolation) as error:
        return _refused("proposals/new.html", community, form, error)
    flash(_("Your proposal is published.") if form.is_publishing else _("Draft saved. Only you can see it."))
    return redirect(url_for("proposals.show", slug=community.slug, proposal_id=proposal.id), code=303)


def _save_new(community, form: ProposalForm) -> Proposal:  # noqa: ANN001
    files = photos.chosen(form.photos.data)
    photos.check_count(0, len(files))
    now = utcnow()
    with photos.staged() as stored:
        proposal = services.raise_proposal(community, _text(community, form), household_id=pages.first_household_id(),
                                           actor=current_user, now=now)
        photos.add(proposal, files, stored)
        if form.is_publishing:
            services.publish(proposal, actor=current_user, now=now)
        db.session.commit()
    return proposal


def _edit_form(community, proposal: Proposal) -> ProposalForm:  # noqa: ANN001
    form = ProposalForm(buildings=community_queries.buildings_of(community), photos=proposal.photos,
                        body_required=proposal.status is not ProposalStatus.DRAFT)
    if request.method == "GET":
        form.title.data, form.body.data = proposal.title, proposal.body_md
        form.category.data, form.buildings.data = proposal.category.value, [b.id for b in proposal.buildings]
    return form


@bp.route("/<slug>/proposals/<int:proposal_id>/edit", methods=["GET", "POST"])
@community_member
def edit(community, proposal_id: int):
    proposal = pages.load(community, proposal_id)
    require(rules.can_edit_proposal(g.standing, proposal))
    form = _edit_form(community, proposal)
    if request.method == "GET":
        return _form_page("proposals/edit.html", community, form, proposal=proposal)
    if not form.validate_on_submit():
        return _form_page("proposals/edit.html", community, form, status=422, proposal=proposal)
    was_draft = proposal.status is ProposalStatus.DRAFT
    try:
        changed = _save_edit(community, proposal, form)
    except (photos.PhotosRejected, RuleViolation) as error:
        return _refused("proposals/edit.html", community, form, error, proposal=proposal)
    flash(_("Your proposal is published.") if was_draft and form.is_publishing else
          _("Changes saved.") if changed else _("Nothing was changed."))
    return redirect(url_for("proposals.show", slug=community.slug, proposal_id=proposal.id), code=303)


def _save_edit(community, proposal: Proposal, form: ProposalForm) -> bool:  # noqa: ANN001
    files = photos.chosen(form.photos.data)
    removing = [p.id for p in proposal.photos if p.id in set(form.remove_photos.data or [])]
    photos.check_count(len(proposal.photos), len(files), len(removing))
    now = utcnow()
    with photos.staged() as stored:
        removed = photos.remove(proposal, removing)
        photos.add(proposal, files, stored)
        changed = services.edit(proposal, _text(community, form), photos_changed=bool(files or removed),
                                actor=current_user, now=now)
        if form.is_publishing and proposal.status is ProposalStatus.DRAFT:
            services.publish(proposal, actor=current_user, now=now)
        db.session.commit()
    photos.delete_files(removed)  # only now: a failed commit must not lose the photos it kept
    return changed


@bp.post("/<slug>/proposals/<int:proposal_id>/publish")
@community_member
def publish(community, proposal_id: int):
    proposal = pages.load(community, proposal_id)
    require(rules.can_publish(g.standing, proposal))
    try:
        services.publish(proposal, actor=current_user, now=utcnow())
        db.session.commit()
    except RuleViolation as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("proposals.edit", slug=community.slug, proposal_id=proposal.id), code=303)
    flash(_("Your proposal is published."))
    return redirect(url_for("proposals.show", slug=community.slug, proposal_id=proposal.id), code=303)


@bp.post("/<slug>/proposals/<int:proposal_id>/withdraw")
@community_member
def withdraw(community, proposal_id: int):
    proposal = pages.load(community, proposal_id)
    require(rules.can_withdraw_proposal(g.standing, proposal))
    services.withdraw(proposal, actor=current_user, now=utcnow())
    db.session.commit()
    flash(_("You withdrew the proposal. Its page stays, marked as withdrawn."))
    return redirect(url_for("proposals.show", slug=community.slug, proposal_id=proposal.id), code=303)
