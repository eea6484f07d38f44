"""What a thread hangs under (a proposal or a project): its page, and whether it can be seen and discussed."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from flask import url_for
from flask_babel import gettext as _

from civic.community.models import Community
from civic.community.rules import Standing
from civic.extensions import db
from civic.threads.models import Thread, ThreadKind

# Proposals and projects import civic.threads.models (their thread), so they are imported here only inside
# functions: importing them at the top would start a cycle through this package's views.
if TYPE_CHECKING:
    from civic.designs.models import DesignOption
    from civic.projects.models import Project
    from civic.proposals.models import Proposal


@dataclass(frozen=True)
class Owner:
    """The proposal, project or design option a thread belongs to."""

    kind: ThreadKind
    item: Proposal | Project | DesignOption

    @property
    def title(self) -> str:
        if self.kind is ThreadKind.DESIGN:
            return f"{self.item.name} {self.item.title}"
        return self.item.title

    @property
    def option_id(self) -> int | None:
        return self.item.id if self.kind is ThreadKind.DESIGN else None

    @property
    def is_searchable(self) -> bool:
        """Design options may be private to their designers: their comments stay out of the search index."""
        return self.kind is not ThreadKind.DESIGN

    @property
    def proposal_id(self) -> int | None:
        return self.item.id if self.kind is ThreadKind.PROPOSAL else None

    @property
    def project_id(self) -> int | None:
        return self.item.id if self.kind is ThreadKind.PROJECT else None

    @property
    def author_id(self) -> int | None:
        """Who hears of new comments: a proposal's author, a design option's designer (projects have none)."""
        if self.kind is ThreadKind.DESIGN:
            return self.item.created_by_id
        return self.item.author_id if self.kind is ThreadKind.PROPOSAL else None


def owner_of(thread: Thread) -> Owner | None:
    """One query: the proposal, project or design option whose thread this is (None for an orphan thread)."""
    from civic.designs.models import DesignOption
    from civic.projects.models import Project
    from civic.proposals.models import Proposal

    model = {ThreadKind.PROPOSAL: Proposal, ThreadKind.PROJECT: Project, ThreadKind.DESIGN: DesignOption}[thread.kind]
    item = db.session.execute(db.select(model).where(model.thread_id == thread.id)).scalar_one_or_none()
    return Owner(thread.kind, item) if item is not None else None


def owner_url(owner: Owner, community: Community, *, anchor: str | None = None, **args) -> str:
    if owner.kind is ThreadKind.PROPOSAL:
        url = url_for("proposals.show", slug=community.slug, proposal_id=owner.item.id, **args)
    elif owner.kind is ThreadKind.DESIGN:
        url = url_for("designs.show_option", slug=community.slug, option_id=owner.item.id, **args)
    else:
        url = url_for("projects.show", slug=community.slug, project_id=owner.item.id, **args)
    return f"{url}#{anchor}" if anchor else url


def can_view_owner(st: Standing, owner: Owner) -> bool:
    from civic.designs import rules as design_rules
    from civic.projects import rules as project_rules
    from civic.proposals import rules as proposal_rules

    if owner.kind is ThreadKind.PROPOSAL:
        return proposal_rules.can_view_proposal(st, owner.item)
    if owner.kind is ThreadKind.DESIGN:
        return design_rules.can_view_option(st, owner.item)
    return project_rules.can_view_project(st, owner.item)


def is_discussable(owner: Owner) -> bool:
    """Projects are always open for discussion; design options once published; proposals only while published
    and not withdrawn or hidden."""
    from civic.proposals import rules as proposal_rules

    if owner.kind is ThreadKind.DESIGN:
        return owner.item.is_published
    return owner.kind is ThreadKind.PROJECT or proposal_rules.is_discussable(owner.item)


def closed_reason(owner: Owner) -> str | None:
    """Why new comments are refused on this owner, in words a resident understands (None when open)."""
    from civic.proposals.models import ProposalStatus

    if is_discussable(owner):
        return None
    if owner.kind is ThreadKind.DESIGN:
        return _("This option is not published yet; residents can comment once it is.")
    proposal = owner.item
    if proposal.status is ProposalStatus.DRAFT:
        return _("This proposal is still a draft; it can be discussed once it is published.")
    if proposal.status is ProposalStatus.WITHDRAWN:
        return _("The author withdrew this proposal; the discussion is closed.")
    return _("The committee hid this proposal; the discussion is closed.")


def touch(owner: Owner, now: datetime) -> None:
    """A new comment makes the owner "recently active" in its list."""
    owner.item.last_activity_at = now
