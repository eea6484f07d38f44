"""Routes of design options: list, create, edit, publish, the option page, new versions."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from civic.clock import utcnow
from civic.designs import bp, option_page, queries, rules, services, specs, visits
from civic.designs.forms import COMMON_UNITS, OptionForm, PublishForm, VersionForm
from civic.errors import RuleViolation
from civic.extensions import db
from civic.projects.models import Project
from civic.web import uploads
from civic.web.access import community_member, require
from civic.web.rendering import page_or_block, wants_fragment

# One version's files at once (several phone photos or PDFs); each file has its own cap in civic.web.uploads.
REQUEST_CAP = 60 * 1024 * 1024
ERRORS_AREA = "#version-form-errors"  # where a 413 is shown to htmx


@bp.url_value_preprocessor
def _allow_version_uploads(endpoint: str | None, values: dict | None) -> None:
    """Set before CSRFProtect's before_request hook reads (and so size-checks) the form."""
    if endpoint == "designs.new_version" and request.method == "POST":
        uploads.allow_request_bytes(REQUEST_CAP, error_target=ERRORS_AREA)


def load_project(community, project_id: int) -> Project:  # noqa: ANN001
    """The project, scoped to the community in the URL; 404 otherwise."""
    project = db.session.get(Project, project_id)
    if project is None or project.community_id != community.id:
        abort(404)
    return project


def load_option(community, option_id: int):  # noqa: ANN001
    """The option and its project; 404 (not 403) for a private option a resident may not see."""
    option = queries.option_in(community, option_id) or abort(404)
    if not rules.can_view_option(g.standing, option):
        abort(404)
    return option, db.session.get(Project, option.project_id)


def _option_url(community, option, anchor: str | None = None) -> str:  # noqa: ANN001
    url = url_for("designs.show_option", slug=community.slug, option_id=option.id)
    return f"{url}#{anchor}" if anchor else url


@bp.get("/<slug>/projects/<int:project_id>/designs")
@community_member
def index(community, project_id: int):
    project = load_project(community, project_id)
    require(rules.can_view_designs(g.standing, project))
    options = queries.options_of(project, g.standing)
    return render_template("designs/index.html", community=community, project=project, options=options,
                           current=queries.current_versions(options),
                           can_create=rules.can_create_option(g.standing, project))


@bp.route("/<slug>/projects/<int:project_id>/designs/new", methods=["GET", "POST"])
@community_member
def new_option(community, project_id: int):
    project = load_project(community, project_id)
    require(rules.can_create_option(g.standing, project))
    form = OptionForm()
    if form.validate_on_submit():
        try:
            option = services.create_option(project, actor=current_user, title=form.title.data,
                                             summary=form.summary.data or "", now=utcnow())
            db.session.commit()
        except RuleViolation as error:
            db.session.rollback()
            form.title.errors = [*form.title.errors, error.message]
        else:
            flash(_("%(name)s is created. Upload its first version: drawings, photos or PDFs.", name=option.name))
            return redirect(url_for("designs.new_version", slug=community.slug, option_id=option.id), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("designs/option_form.html", community=community, project=project, option=None,
                           form=form), status


@bp.route("/<slug>/designs/<int:option_id>/edit", methods=["GET", "POST"])
@community_member
def edit_option(community, option_id: int):
    option, project = load_option(community, option_id)
    require(rules.can_edit_option(g.standing, option, project))
    form = OptionForm(data={"title": option.title, "summary": option.summary_md} if request.method == "GET" else None)
    if form.validate_on_submit():
        services.edit_option(option, actor=current_user, title=form.title.data, summary=form.summary.data or "",
                             now=utcnow())
        db.session.commit()
        flash(_("Changes saved."))
        return redirect(_option_url(community, option), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("designs/option_form.html", community=community, project=project, option=option,
                           form=form), status


@bp.post("/<slug>/designs/<int:option_id>/publish")
@community_member
def publish(community, option_id: int):
    option, project = load_option(community, option_id)
    require(rules.can_add_version(g.standing, option, project))
    error = None
    if PublishForm().validate_on_submit():
        try:
            services.publish(option, project, actor=current_user, now=utcnow())
            db.session.commit()
        except RuleViolation as refused:
            db.session.rollback()
            error = refused.message
    else:
        error = _("The form expired. Please try again.")
    if error and wants_fragment():
        return page_or_block("designs/option.html", "option_head", status=422, publish_error=error,
                             **option_page.head_context(community, option, project))
    flash(error or _("%(name)s is published: every resident can see it and comment.", name=option.name))
    if wants_fragment():
        # The whole page changes (badge, discussion now open, notices): reload it rather than patch parts.
        return "", 200, {"HX-Redirect": _option_url(community, option), "Vary": "HX-Request"}
    return redirect(_option_url(community, option), code=303)


@bp.get("/<slug>/designs/<int:option_id>")
@community_member
def show_option(community, option_id: int):
    option, project = load_option(community, option_id)
    context = option_page.show_context(community, option, project, current_user.id)
    response = page_or_block("designs/option.html", "versions", **context)
    # Recorded only after the marks were rendered: this visit must still show what was new.
    visits.record_visit(current_user.id, option, utcnow())
    db.session.commit()
    return response


def _version_form(community, option, project, form: VersionForm, *, status: int = 200, problem: str | None = None):  # noqa: ANN001
    context = {"community": community, "option": option, "project": project, "form": form, "problem": problem,
               "units": COMMON_UNITS, "limits": uploads.client_limits(REQUEST_CAP),
               "max_files": rules.MAX_FILES_PER_VERSION,
               "reselect_files": status == 422 and request.method == "POST"}
    return page_or_block("designs/version_form.html", "version_panel", status=status, **context)


@bp.route("/<slug>/designs/<int:option_id>/versions/new", methods=["GET", "POST"])
@community_member
def new_version(community, option_id: int):
    option, project = load_option(community, option_id)
    require(rules.can_add_version(g.standing, option, project))
    form = VersionForm(previous=option.version_count, open_comments=option_page.open_comments(community, option))
    if request.method == "GET":
        form.fill_spec(specs.copy_spec(queries.version_of(option, option.version_count)))
        return _version_form(community, option, project, form)
    if not form.validate_on_submit():
        return _version_form(community, option, project, form, status=422)
    try:
        version = _save_version(option, project, form)
    except (uploads.UploadRejected, RuleViolation) as error:
        db.session.rollback()
        form.files.errors = [*form.files.errors, error.message]
        return _version_form(community, option, project, form, status=422, problem=error.message)
    target = _option_url(community, option, "versions")
    flash(_("%(name)s %(tag)s is uploaded.", name=option.name, tag=version.tag))
    if wants_fragment():
        return "", 200, {"HX-Redirect": target, "Vary": "HX-Request"}
    return redirect(target, code=303)


def _save_version(option, project, form: VersionForm):  # noqa: ANN001, ANN202
    """Files first (the service removes them again if anything fails), then one commit."""
    now = utcnow()
    version = services.add_version(option, project, actor=current_user, uploads=form.chosen_files(),
                                   change_note=form.change_note.data or "", spec=form.spec(),
                                   addresses=form.addresses.data or [], now=now)
    # The uploader has seen their own version: it is not "new" to them on the option page.
    visits.record_visit(current_user.id, option, now, seen_version=version.number)
    try:
        db.session.commit()
    except BaseException:
        services.discard_version(version)
        db.session.rollback()
        raise
    return version
