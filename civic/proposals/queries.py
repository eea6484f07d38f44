"""Read-side queries about proposals: the filtered list, one proposal, drafts, answer targets, who hears of what."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from sqlalchemy import or_, union
from sqlalchemy.orm import joinedload, selectinload

from civic.community.models import COMMITTEE_ROLES, Building, Community, Household, Membership, Role, RoleGrant
from civic.extensions import db
from civic.projects.models import Category, Project, Stage
from civic.proposals.models import Proposal, ProposalPhoto, ProposalStatus, Second, proposal_buildings
from civic.threads.models import Thread

PAGE_SIZE = 50
TARGETS_LIMIT = 200  # answer form choices: enough for any real committee session, bounded for the page
# id breaks ties so that pages never overlap or skip a proposal.
SORTS = {
    "newest": (Proposal.published_at.desc(), Proposal.id.desc()),
    "seconded": (Proposal.second_count.desc(), Proposal.id.desc()),
    "active": (Proposal.last_activity_at.desc(), Proposal.id.desc()),
}
# What a resident expects under "all": every published proposal still on the table or answered; withdrawn
# ones only when asked for (their authors took them back), drafts never.
LISTED_BY_DEFAULT = (ProposalStatus.OPEN, ProposalStatus.ACCEPTED, ProposalStatus.MERGED, ProposalStatus.DECLINED)
LISTABLE = (*LISTED_BY_DEFAULT, ProposalStatus.WITHDRAWN)


@dataclass(frozen=True)
class ProposalFilter:
    status: ProposalStatus | None = None
    category: Category | None = None
    building: Building | None = None
    sort: str = "newest"

    def args(self) -> dict:
        """Query-string arguments that reproduce this filter (for pager links)."""
        return {"status": self.status.value if self.status else None,
                "category": self.category.value if self.category else None,
                "building": self.building.id if self.building else None,
                "sort": self.sort if self.sort != "newest" else None}


@dataclass(frozen=True)
class ListRow:
    proposal: Proposal
    comment_count: int


def _filtered(community: Community, flt: ProposalFilter):  # noqa: ANN202
    statuses = (flt.status,) if flt.status in LISTABLE else LISTED_BY_DEFAULT
    query = db.select(Proposal, Thread.comment_count).join(Thread, Thread.id == Proposal.thread_id).where(
        Proposal.community_id == community.id, Proposal.status.in_(statuses))
    if flt.category is not None:
        query = query.where(Proposal.category == flt.category)
    if flt.building is not None:
        query = query.where(Proposal.id.in_(
            db.select(proposal_buildings.c.proposal_id).where(proposal_buildings.c.building_id == flt.building.id)))
    return query


def proposals_page(community: Community, flt: ProposalFilter, page: int) -> tuple[list[ListRow], bool]:
    """One page and whether another follows: two queries whatever the page size (no total COUNT over 5,000 rows)."""
    rows = db.session.execute(
        _filtered(community, flt).options(joinedload(Proposal.author), selectinload(Proposal.buildings))
        .order_by(*SORTS.get(flt.sort, SORTS["newest"])).limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)
    ).all()
    return [ListRow(p, count) for p, count in rows[:PAGE_SIZE]], len(rows) > PAGE_SIZE


def proposal_in(community: Community, proposal_id: int) -> Proposal | None:
    """A proposal of *this* community with what its page shows, or None: never one from another community."""
    return db.session.execute(
        db.select(Proposal).where(Proposal.id == proposal_id, Proposal.community_id == community.id)
        .options(joinedload(Proposal.thread), joinedload(Proposal.author), selectinload(Proposal.buildings),
                 selectinload(Proposal.photos))
    ).scalar_one_or_none()


def drafts_of(user_id: int, community: Community) -> list[Proposal]:
    return list(db.session.execute(
        db.select(Proposal).where(Proposal.community_id == community.id, Proposal.author_id == user_id,
                                  Proposal.status == ProposalStatus.DRAFT)
        .order_by(Proposal.created_at.desc(), Proposal.id.desc())
    ).scalars())


def photo_named(community: Community, name: str) -> ProposalPhoto | None:
    """The photo row a stored file belongs to (full size or either thumbnail), in this community only."""
    return db.session.execute(
        db.select(ProposalPhoto).join(Proposal, Proposal.id == ProposalPhoto.proposal_id)
        .where(or_(ProposalPhoto.name == name, ProposalPhoto.phone_name == name, ProposalPhoto.desktop_name == name),
               Proposal.community_id == community.id)
        .options(joinedload(ProposalPhoto.proposal))
    ).scalars().first()


def open_projects(community: Community) -> list[Project]:
    """Projects a proposal may be accepted into: not finished and not shelved."""
    return list(db.session.execute(
        db.select(Project).where(Project.community_id == community.id, Project.stage.not_in([Stage.DONE, Stage.SHELVED]))
        .order_by(Project.last_activity_at.desc(), Project.id.desc()).limit(TARGETS_LIMIT)
    ).scalars())


def merge_targets(community: Community, proposal: Proposal) -> list[Proposal]:
    """Proposals a duplicate may point to: open or accepted ones of this community, most recently active first."""
    return list(db.session.execute(
        db.select(Proposal).where(Proposal.community_id == community.id, Proposal.id != proposal.id,
                                  Proposal.status.in_([ProposalStatus.OPEN, ProposalStatus.ACCEPTED]),
                                  Proposal.hidden_at.is_(None))
        .order_by(Proposal.last_activity_at.desc(), Proposal.id.desc()).limit(TARGETS_LIMIT)
    ).scalars())


def member_ids_in_buildings(building_ids: Iterable[int]) -> set[int]:
    """Everyone living in an active household of these buildings, in one query."""
    ids = list(building_ids)
    if not ids:
        return set()
    return set(db.session.execute(
        db.select(Membership.user_id).join(Household, Household.id == Membership.household_id)
        .where(Household.building_id.in_(ids), Household.is_active)
    ).scalars())


def committee_user_ids(community: Community) -> set[int]:
    """The three carriages and the administrators of this community."""
    return set(db.session.execute(
        db.select(RoleGrant.user_id).where(RoleGrant.community_id == community.id,
                                           RoleGrant.role.in_([*COMMITTEE_ROLES, Role.ADMIN]))
    ).scalars())


def supporter_user_ids(proposal_ids: Iterable[int]) -> set[int]:
    """Authors of these proposals and every member of a household that seconded one: who hears of answers and stages."""
    ids = list(proposal_ids)
    if not ids:
        return set()
    authors = db.select(Proposal.author_id.label("uid")).where(Proposal.id.in_(ids), Proposal.author_id.is_not(None))
    seconders = (db.select(Membership.user_id.label("uid"))
                 .join(Second, Second.household_id == Membership.household_id)
                 .where(Second.proposal_id.in_(ids)))
    return set(db.session.execute(union(authors, seconders)).scalars())
