"""Raising, publishing, editing and withdrawing a proposal (photos: photos.py; seconds: seconds.py)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from civic.community.models import Building, Community
from civic.errors import RuleViolation
from civic.extensions import db
from civic.notices.models import NoticeKind
from civic.notices.services import notify
from civic.projects.models import Category
from civic.proposals import queries
from civic.proposals.models import Proposal, ProposalRevision, ProposalStatus
from civic.search import index
from civic.threads.models import ThreadKind
from civic.threads.services import new_thread
from civic.web.markdown import render


@dataclass(frozen=True)
class ProposalText:
    """What the author writes: the same for raising and editing."""

    title: str
    body_md: str
    category: Category
    buildings: list[Building]


def raise_proposal(community: Community, text: ProposalText, *, household_id: int | None, actor,  # noqa: ANN001
                   now: datetime) -> Proposal:
    """A new draft (publish() makes it public). household_id is None for committee staff living elsewhere."""
    proposal = Proposal(community_id=community.id, thread=new_thread(community.id, ThreadKind.PROPOSAL),
                        author_id=actor.id, household_id=household_id, status=ProposalStatus.DRAFT,
                        created_at=now, last_activity_at=now)
    _apply(proposal, text)
    db.session.add(proposal)
    db.session.flush()
    return proposal


def _apply(proposal: Proposal, text: ProposalText) -> None:
    proposal.title = text.title.strip()
    if proposal.body_md != text.body_md or not proposal.body_html:
        proposal.body_md, proposal.body_html = text.body_md, render(text.body_md)
    proposal.category = text.category
    proposal.buildings = list(text.buildings)


def publish(proposal: Proposal, *, actor, now: datetime) -> None:  # noqa: ANN001
    """Make a draft public: indexed for search, and the affected buildings' residents hear of it."""
    if proposal.status is not ProposalStatus.DRAFT:
        raise RuleViolation(_("This proposal is already published."))
    if not proposal.title.strip() or not proposal.body_md.strip():
        raise RuleViolation(_("Describe the problem before publishing; a draft may stay empty."), "body")
    proposal.status, proposal.published_at, proposal.last_activity_at = ProposalStatus.OPEN, now, now
    db.session.flush()
    index.index_proposal(proposal)
    # No buildings chosen means the whole community: nobody's "my building" list fills up with it.
    residents = queries.member_ids_in_buildings(b.id for b in proposal.buildings)
    notify(residents, community_id=proposal.community_id, kind=NoticeKind.NEW_IN_BUILDING, now=now, actor=actor,
           proposal_id=proposal.id, summary=proposal.title)


def _is_changed(proposal: Proposal, text: ProposalText) -> bool:
    return (proposal.title != text.title.strip() or proposal.body_md != text.body_md
            or proposal.category is not text.category
            or {b.id for b in proposal.buildings} != {b.id for b in text.buildings})


def edit(proposal: Proposal, text: ProposalText, *, photos_changed: bool, actor, now: datetime) -> bool:  # noqa: ANN001
    """Change what the author wrote. A published proposal keeps the version it replaced ("edited" → history).

    Returns False when nothing changed (no revision, no "edited" mark).
    """
    if proposal.status not in (ProposalStatus.DRAFT, ProposalStatus.OPEN):
        raise RuleViolation(_("A proposal can no longer be edited once it is answered or withdrawn."))
    if not (_is_changed(proposal, text) or photos_changed):
        return False
    if proposal.status is ProposalStatus.OPEN:
        if not text.body_md.strip():
            raise RuleViolation(_("A published proposal needs its description."), "body")
        _keep_revision(proposal, actor, now)
        proposal.edited_at = proposal.last_activity_at = now
    _apply(proposal, text)
    if proposal.status is ProposalStatus.OPEN:
        index.index_proposal(proposal)
    return True


def _keep_revision(proposal: Proposal, actor, now: datetime) -> None:  # noqa: ANN001
    db.session.add(ProposalRevision(
        proposal=proposal, title=proposal.title, body_md=proposal.body_md, body_html=proposal.body_html,
        category=proposal.category, written_at=proposal.edited_at or proposal.published_at or proposal.created_at,
        replaced_at=now, editor_id=actor.id))


def withdraw(proposal: Proposal, *, actor, now: datetime) -> None:  # noqa: ANN001
    """The author takes a published proposal back; its page stays (marked), search no longer finds it."""
    if proposal.status is not ProposalStatus.OPEN:
        raise RuleViolation(_("Only an open proposal can be withdrawn."))
    proposal.status, proposal.withdrawn_at = ProposalStatus.WITHDRAWN, now
    index.remove("proposal", proposal.id)
