"""Read-side queries for project pages: the filtered list, one project, its proposals and timeline."""
from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from sqlalchemy import func
from sqlalchemy.orm import joinedload, selectinload

from civic.community.models import Building, Community
from civic.extensions import db
from civic.projects.models import Category, Project, ProjectEvent, Stage, project_buildings
from civic.proposals.models import Proposal, ProposalStatus

PAGE_SIZE = 50
TIMELINE_LIMIT = 50
# id breaks ties so that pages never overlap or skip a project.
SORTS = {
    "newest": (Project.created_at.desc(), Project.id.desc()),
    "active": (Project.last_activity_at.desc(), Project.id.desc()),
}


@dataclass(frozen=True)
class ProjectFilter:
    stage: Stage | None = None
    category: Category | None = None
    building: Building | None = None
    sort: str = "newest"

    def args(self) -> dict:
        """Query-string arguments that reproduce this filter (for pager links)."""
        return {"stage": self.stage.value if self.stage else None,
                "category": self.category.value if self.category else None,
                "building": self.building.id if self.building else None,
                "sort": self.sort if self.sort != "newest" else None}


def projects_page(community: Community, flt: ProjectFilter, page: int) -> tuple[list[Project], int]:
    """One page of the community's projects with buildings and thread loaded: a fixed number of queries."""
    query = db.select(Project).where(Project.community_id == community.id)
    if flt.stage is not None:
        query = query.where(Project.stage == flt.stage)
    if flt.category is not None:
        query = query.where(Project.category == flt.category)
    if flt.building is not None:
        query = query.where(Project.id.in_(
            db.select(project_buildings.c.project_id).where(project_buildings.c.building_id == flt.building.id)))
    total = db.session.scalar(db.select(func.count()).select_from(query.subquery()))
    rows = db.session.execute(
        query.options(joinedload(Project.thread), selectinload(Project.buildings))
        .order_by(*SORTS.get(flt.sort, SORTS["newest"])).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).scalars().all()
    return list(rows), total


def proposal_counts(project_ids: list[int]) -> dict[int, int]:
    """Published proposals per project (drafts are private), in one grouped query."""
    if not project_ids:
        return {}
    rows = db.session.execute(
        db.select(Proposal.project_id, func.count()).where(Proposal.project_id.in_(project_ids),
                                                           Proposal.status != ProposalStatus.DRAFT)
        .group_by(Proposal.project_id))
    return {project_id: n for project_id, n in rows}


def project_in(community: Community, project_id: int) -> Project | None:
    """A project of *this* community, or None: never one from another community."""
    return db.session.execute(
        db.select(Project).where(Project.id == project_id, Project.community_id == community.id)
        .options(joinedload(Project.thread), selectinload(Project.buildings))
    ).scalar_one_or_none()


def proposals_of(project: Project) -> list[Proposal]:
    return list(db.session.execute(
        db.select(Proposal).where(Proposal.project_id == project.id, Proposal.status != ProposalStatus.DRAFT)
        .order_by(Proposal.published_at, Proposal.id)
    ).scalars())


def timeline_of(project: Project, limit: int = TIMELINE_LIMIT) -> tuple[list[ProjectEvent], int]:
    """The newest events first, with their actors loaded, and how many there are in all."""
    total = db.session.scalar(db.select(func.count()).where(ProjectEvent.project_id == project.id))
    events = db.session.execute(
        db.select(ProjectEvent).where(ProjectEvent.project_id == project.id)
        .options(joinedload(ProjectEvent.actor)).order_by(ProjectEvent.id.desc()).limit(limit)
    ).scalars().all()
    return list(events), total


def buildings_by_grid(buildings: list[Building]) -> list[tuple[str | None, list[Building]]]:
    """Buildings grouped by micro-grid (微网格) in the order given; buildings without a grid come as one group."""
    ordered = sorted(buildings, key=lambda b: (b.grid is None, b.grid or "", b.sort_key))
    return [(grid, list(group)) for grid, group in groupby(ordered, key=lambda b: b.grid)]
