"""Creating, editing and moving projects between stages (by the committee, or on accepting a proposal)."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from civic.audit.models import record
from civic.community.models import Building, Community
from civic.errors import RuleViolation
from civic.extensions import db
from civic.notices.models import NoticeKind
from civic.notices.services import notify
from civic.projects import timeline
from civic.projects.labels import stage_label
from civic.projects.models import Category, Project, Stage
from civic.projects.rules import allowed_moves
from civic.proposals.models import Proposal
from civic.proposals.queries import supporter_user_ids
from civic.search import index
from civic.threads.models import ThreadKind
from civic.threads.services import new_thread
from civic.web.markdown import render

REASON_MIN, REASON_MAX = 2, 200


def create_project(community: Community, *, title: str, description_md: str, category: Category,
                   buildings: list[Building], actor, now: datetime) -> Project:  # noqa: ANN001
    project = Project(community_id=community.id, title=title.strip(), description_md=description_md,
                      description_html=render(description_md), category=category, buildings=list(buildings),
                      thread=new_thread(community.id, ThreadKind.PROJECT), created_by_id=actor.id,
                      created_at=now, stage_changed_at=now, last_activity_at=now)
    db.session.add(project)
    db.session.flush()
    timeline.add(project, "created", actor, now)
    record(community.id, actor, "project.create", f"project:{project.id}", now, title=project.title)
    index.index_project(project)
    return project


def edit_project(project: Project, *, title: str, description_md: str, category: Category,
                 buildings: list[Building], actor, now: datetime) -> bool:  # noqa: ANN001
    """Change what the committee wrote; audited and on the timeline. Returns False when nothing changed."""
    changed = _changed_fields(project, title.strip(), description_md, category, buildings)
    if not changed:
        return False
    project.title = title.strip()
    if "description" in changed:
        project.description_md, project.description_html = description_md, render(description_md)
    project.category = category
    project.buildings = list(buildings)
    timeline.add(project, "edited", actor, now, fields=changed)
    record(project.community_id, actor, "project.edit", f"project:{project.id}", now, fields=changed,
           title=project.title)
    index.index_project(project)
    return True


def _changed_fields(project: Project, title: str, description_md: str, category: Category,
                    buildings: list[Building]) -> list[str]:
    checks = {
        "title": project.title != title,
        "description": project.description_md != description_md,
        "category": project.category is not category,
        "buildings": {b.id for b in project.buildings} != {b.id for b in buildings},
    }
    return [name for name, is_changed in checks.items() if is_changed]


def move_stage(project: Project, to: Stage, reason: str, actor, now: datetime) -> None:  # noqa: ANN001
    """Move a project to another stage with a reason; audited, on the timeline, supporters notified."""
    reason = (reason or "").strip()
    if not REASON_MIN <= len(reason) <= REASON_MAX:
        raise RuleViolation(_("Give a reason of %(min)d to %(max)d characters.", min=REASON_MIN, max=REASON_MAX),
                            "reason")
    old = project.stage
    if to not in allowed_moves(old):
        raise RuleViolation(_("A project cannot move from %(old)s to %(new)s.", old=stage_label(old),
                              new=stage_label(to)), "to")
    if old is Stage.PUBLICITY and to is Stage.IMPLEMENTING:
        _check_publicity(project, now)
    _compare_and_set_stage(project, old, to, now)
    timeline.add(project, "stage_moved", actor, now, **{"from": old.value, "to": to.value, "reason": reason})
    record(project.community_id, actor, "project.stage", f"project:{project.id}", now,
           **{"from": old.value, "to": to.value, "reason": reason})
    _notify_supporters(project, actor, now)


def _check_publicity(project: Project, now: datetime) -> None:
    """公示 → 实施 only once every published vote's publicity period has ended and its objections are answered."""
    from civic.voting.publicity import check_project_may_proceed  # voting builds on projects: import late

    check_project_may_proceed(project, now)


def _compare_and_set_stage(project: Project, old: Stage, to: Stage, now: datetime) -> None:
    """One conditional UPDATE: of two committee members moving the same project at once, only one wins."""
    result = db.session.execute(
        db.update(Project).where(Project.id == project.id, Project.stage == old)
        .values(stage=to, stage_changed_at=now).execution_options(synchronize_session=False))
    if result.rowcount != 1:
        raise RuleViolation(_("Someone else moved this project meanwhile; reload the page and try again."), "to")
    project.stage, project.stage_changed_at = to, now


def _notify_supporters(project: Project, actor, now: datetime) -> None:  # noqa: ANN001
    proposal_ids = db.session.execute(db.select(Proposal.id).where(Proposal.project_id == project.id)).scalars()
    notify(supporter_user_ids(proposal_ids), community_id=project.community_id, kind=NoticeKind.STAGE, now=now,
           actor=actor, project_id=project.id, summary=project.title)
