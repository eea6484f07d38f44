"""What can be reported and moderated: a comment or a proposal, loaded only within the community in the URL."""
from __future__ import annotations

from dataclasses import dataclass

from civic.extensions import db
from civic.notices.links import Owner, item_url, thread_owners
from civic.proposals.models import Proposal
from civic.threads.models import Comment, Thread

KINDS = ("comment", "proposal")


@dataclass(frozen=True)
class Target:
    kind: str  # "comment" | "proposal"
    item: Proposal | Comment
    community_id: int
    owner: Owner  # for a comment: the proposal or project whose thread holds it

    @property
    def label(self) -> str:
        """How the audit log names it: "comment:12"."""
        return f"{self.kind}:{self.item.id}"

    @property
    def thread_id(self) -> int:
        return self.item.thread_id

    def url(self, slug: str) -> str:
        return item_url(slug, proposal_id=self.owner.proposal_id, project_id=self.owner.project_id,
                        option_id=self.owner.option_id, comment_id=self.item.id if self.kind == "comment" else None)


def load(community, kind: str, object_id: int | None) -> Target | None:  # noqa: ANN001
    """The item if it belongs to this community, else None (the view answers 404)."""
    if object_id is None or kind not in KINDS:
        return None
    if kind == "proposal":
        proposal = db.session.execute(db.select(Proposal).where(
            Proposal.id == object_id, Proposal.community_id == community.id)).scalar_one_or_none()
        return Target(kind, proposal, community.id, Owner(proposal.id, None)) if proposal else None
    comment = db.session.execute(db.select(Comment).join(Thread, Thread.id == Comment.thread_id).where(
        Comment.id == object_id, Thread.community_id == community.id)).scalar_one_or_none()
    if comment is None:
        return None
    return Target(kind, comment, community.id, thread_owners([comment.thread_id]).get(comment.thread_id,
                                                                                      Owner(None, None)))


def from_args(community, args) -> Target | None:  # noqa: ANN001
    """`?comment=<id>` or `?proposal=<id>` (exactly one)."""
    given = [(kind, args.get(kind, type=int)) for kind in KINDS if kind in args]
    return load(community, *given[0]) if len(given) == 1 else None


def load_thread(community, thread_id: int) -> Thread | None:  # noqa: ANN001
    return db.session.execute(db.select(Thread).where(
        Thread.id == thread_id, Thread.community_id == community.id)).scalar_one_or_none()
