"""Turning a page of search documents into what the result list shows: title, excerpt, link, date."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup

from civic.extensions import db
from civic.notices.links import item_url
from civic.projects.models import Project
from civic.proposals.models import Proposal
from civic.search.excerpts import excerpt, mark
from civic.search.queries import Page
from civic.threads.models import Comment
from civic.web.markdown import plain_text

TEXT_CHARS = 4000  # how far into a long text the excerpt looks for the match


@dataclass(frozen=True)
class Hit:
    kind: str
    title: Markup  # the owner's title for a comment
    excerpt: Markup
    url: str
    published_at: datetime


def _by_id(model, ids: set[int]) -> dict:  # noqa: ANN001
    if not ids:
        return {}
    return {o.id: o for o in db.session.execute(db.select(model).where(model.id.in_(ids))).scalars()}


def hits(community, page: Page) -> list[Hit]:  # noqa: ANN001
    """Three IN queries whatever the page size: the proposals, projects and comments it names."""
    docs = page.documents
    proposals = _by_id(Proposal, {d.proposal_id for d in docs if d.proposal_id})
    projects = _by_id(Project, {d.project_id for d in docs if d.project_id})
    comments = _by_id(Comment, {d.object_id for d in docs if d.kind == "comment"})
    found = []
    for doc in docs:
        owner = proposals.get(doc.proposal_id) or projects.get(doc.project_id)
        item = comments.get(doc.object_id) if doc.kind == "comment" else owner
        if owner is None or item is None:
            continue  # removed between the two queries
        body_md = item.body_md if doc.kind != "project" else item.description_md
        found.append(Hit(
            kind=doc.kind, title=mark(owner.title, page.terms),
            excerpt=excerpt(plain_text(body_md, limit=TEXT_CHARS), page.terms),
            url=item_url(community.slug, proposal_id=doc.proposal_id,
                         project_id=None if doc.proposal_id else doc.project_id,
                         comment_id=doc.object_id if doc.kind == "comment" else None),
            published_at=doc.published_at))
    return found
