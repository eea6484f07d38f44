"""Routes of projects: the list, writing one, the hub page, and stage moves."""
from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from civic.clock import utcnow
from civic.community import queries as community_queries
from civic.community.people import public_labels
from civic.errors import RuleViolation
from civic.extensions import db
from civic.projects import bp, queries, rules, services
from civic.projects.forms import ProjectForm, StageForm
from civic.projects.labels import event_sentence, stage_label
from civic.projects.models import STAGE_LINE, Category, Stage
from civic.proposals.rules import can_read_text
from civic.threads.display import thread_context
from civic.web.query_args import choice_arg, enum_arg, page_arg
from civic.web.access import community_member, require
from civic.web.rendering import page_or_block, wants_fragment

MEETINGS_SHOWN = 5  # upcoming and recent each, on the project page



def _list_filter(community) -> queries.ProjectFilter:  # noqa: ANN001
    return queries.ProjectFilter(
        stage=enum_arg(Stage, "stage"), category=enum_arg(Category, "category"),
        building=community_queries.building_in(community, request.args.get("building", type=int)),
        sort=choice_arg("sort", queries.SORTS, "newest"))


@bp.get("/<slug>/projects")
@community_member
def index(community):
    require(rules.can_list_projects(g.standing))
    flt, page = _list_filter(community), page_arg()
    projects, total = queries.projects_page(community, flt, page)
    return page_or_block(
        "projects/index.html", "project_list", community=community, projects=projects, total=total, page=page,
        page_size=queries.PAGE_SIZE, flt=flt, buildings=community_queries.buildings_of(community),
        proposal_counts=queries.proposal_counts([p.id for p in projects]), stages=list(Stage),
        categories=list(Category), can_manage=rules.can_manage_projects(g.standing))


def _project_form(community, form: ProjectForm | None = None) -> ProjectForm:  # noqa: ANN001
    form = form or ProjectForm()
    buildings = community_queries.buildings_of(community)
    form.set_buildings(buildings)
    form.grouped_buildings = queries.buildings_by_grid(buildings)
    return form


def _form_values(community, form: ProjectForm) -> dict:  # noqa: ANN001
    return {"title": form.title.data, "description_md": form.description.data or "",
            "category": Category(form.category.data),
            "buildings": community_queries.buildings_by_id(community, form.buildings.data or [])}


@bp.route("/<slug>/projects/new", methods=["GET", "POST"])
@community_member
def new(community):
    require(rules.can_manage_projects(g.standing))
    form = _project_form(community)
    if form.validate_on_submit():
        project = services.create_project(community, **_form_values(community, form), actor=current_user,
                                          now=utcnow())
        db.session.commit()
        flash(_("Project created."))
        return redirect(url_for("projects.show", slug=community.slug, project_id=project.id), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("projects/form.html", community=community, form=form, project=None), status


def _load(community, project_id: int):  # noqa: ANN001, ANN202
    project = queries.project_in(community, project_id) or abort(404)
    require(rules.can_view_project(g.standing, project))
    return project


@bp.route("/<slug>/projects/<int:project_id>/edit", methods=["GET", "POST"])
@community_member
def edit(community, project_id: int):
    project = _load(community, project_id)
    require(rules.can_edit_project(g.standing, project))
    form = _project_form(community)
    if request.method == "GET":
        form.fill_from(project)
    elif form.validate_on_submit():
        if services.edit_project(project, **_form_values(community, form), actor=current_user, now=utcnow()):
            db.session.commit()
            flash(_("Project updated."))
        return redirect(url_for("projects.show", slug=community.slug, project_id=project.id), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("projects/form.html", community=community, form=form, project=project), status


def _show_context(community, project, stage_form: StageForm | None = None) -> dict:  # noqa: ANN001
    events, event_total = queries.timeline_of(project)
    actors = public_labels(list({e.actor.id: e.actor for e in events if e.actor}.values()), community)
    timeline = [(e, event_sentence(e.kind, e.detail, actors.get(e.actor_id))) for e in events]
    if stage_form is None:
        stage_form = StageForm(formdata=None)
    stage_form.offer_moves_from(project.stage)
    return {
        "community": community, "project": project, "stage_line": STAGE_LINE, "timeline": timeline,
        "event_total": event_total, "stage_form": stage_form, "can_manage": rules.can_manage_projects(g.standing),
        "proposals": [(p, can_read_text(g.standing, p)) for p in queries.proposals_of(project)],
        # An htmx response carries only the status block: no need to load the thread's comments for it.
        "thread_ctx": None if wants_fragment() else thread_context(community, project.thread, is_discussable=True),
        **({} if wants_fragment() else _meetings_context(project)),
        **({} if wants_fragment() else _designs_context(project)),
        **({} if wants_fragment() else _votes_context(project)),
    }


def _meetings_context(project) -> dict:  # noqa: ANN001
    """The "Meetings" section: upcoming and recent meetings about the project (two queries)."""
    # Imported here: the meetings package imports the projects' models, so a module-level import would be circular.
    from civic.meetings import rules as meeting_rules
    from civic.meetings.models import MeetingKind
    from civic.meetings.queries import meetings_of_project

    return {"project_meetings": meetings_of_project(project, utcnow(), limit=MEETINGS_SHOWN),
            "can_schedule_meeting": meeting_rules.can_create(g.standing, MeetingKind.ROUND_TABLE)}


def _designs_context(project) -> dict:  # noqa: ANN001
    """The "Design options" section: the options this member may see with their current versions (two queries)."""
    from civic.designs import queries as design_queries
    from civic.designs import rules as design_rules

    options = design_queries.options_of(project, g.standing)
    return {"design_options": options, "design_current": design_queries.current_versions(options),
            "can_create_option": design_rules.can_create_option(g.standing, project),
            "shows_designs": bool(options) or design_rules.is_drawing_stage(project)}


def _votes_context(project) -> dict:  # noqa: ANN001
    """The "Votes" (表决) section: the project's votes this member may see (drafts only for the committee)."""
    # Imported here: the voting package imports the projects' models (circular at module level).
    from civic.voting import queries as vote_queries
    from civic.voting import rules as vote_rules

    votes = vote_queries.votes_of(project, g.standing)
    can_create = vote_rules.can_create_vote(g.standing, project)
    return {"project_votes": votes, "can_create_vote": can_create, "shows_votes": bool(votes) or can_create}


@bp.get("/<slug>/projects/<int:project_id>")
@community_member
def show(community, project_id: int):
    project = _load(community, project_id)
    return page_or_block("projects/show.html", "project_status", **_show_context(community, project))


@bp.post("/<slug>/projects/<int:project_id>/stage")
@community_member
def move_stage(community, project_id: int):
    project = _load(community, project_id)
    require(rules.can_manage_projects(g.standing))
    form = StageForm()
    form.offer_moves_from(project.stage)
    if form.validate_on_submit():
        to = Stage(form.to.data)
        require(rules.can_move_project(g.standing, project, to))
        try:
            services.move_stage(project, to, form.reason.data, current_user, utcnow())
            db.session.commit()
        except RuleViolation as error:
            db.session.rollback()
            getattr(form, error.field or "reason").errors = [error.message]
        else:
            return _moved(community, project)
    return page_or_block("projects/show.html", "project_status", status=422,
                         **_show_context(community, project, form))


def _moved(community, project):  # noqa: ANN001, ANN202
    if not request.htmx:
        flash(_("The project is now at the stage: %(stage)s.", stage=stage_label(project.stage)))
        return redirect(url_for("projects.show", slug=community.slug, project_id=project.id), code=303)
    return page_or_block("projects/show.html", "project_status", headers={"HX-Trigger": "stage-moved"},
                         is_just_moved=True, **_show_context(community, project))
