"""Creating projects (by the committee, or when a proposal is accepted into a new one)."""
from __future__ import annotations

from datetime import datetime

from civic.audit.models import record
from civic.community.models import Building, Community
from civic.extensions import db
from civic.projects import timeline
from civic.projects.models import Category, Project
from civic.search import index
from civic.threads.models import ThreadKind
from civic.threads.services import new_thread
from civic.web.markdown import render


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
