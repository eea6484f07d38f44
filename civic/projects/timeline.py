"""A project's timeline: every module that does something to a project adds one event here."""
from __future__ import annotations

from datetime import datetime

from civic.extensions import db
from civic.projects.models import Project, ProjectEvent


def add(project: Project, kind: str, actor, now: datetime, **detail) -> ProjectEvent:  # noqa: ANN001
    """Kinds so far: created, stage_moved (from, to, reason), proposal_accepted / proposal_merged (proposal_id, title)."""
    event = ProjectEvent(project=project, kind=kind, actor_id=actor.id if actor else None, created_at=now,
                         detail=detail)
    db.session.add(event)
    project.last_activity_at = now
    return event
