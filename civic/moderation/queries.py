"""The moderation queue: open reports grouped by item, recently hidden items, the open count for the nav."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, or_
from sqlalchemy.orm import selectinload

from civic.community.people import public_labels
from civic.extensions import db
from civic.moderation.models import Report
from civic.moderation.targets import Target
from civic.notices.links import Owner, thread_owners
from civic.proposals.models import Proposal
from civic.threads.models import Comment, Thread
from civic.web.markdown import plain_text

PAGE_SIZE = 50
HIDDEN_SHOWN = 20
REASONS_SHOWN = 5


@dataclass
class QueueItem:
    target: Target
    author: str
    excerpt: str
    when: datetime  # latest report, or when it was hidden
    count: int = 0
    reasons: list[str] = field(default_factory=list)


def open_report_count(community_id: int) -> int:
    """Open reports (not items) in the community: one count on ix_reports_community_open."""
    return db.session.execute(db.select(func.count()).select_from(Report).where(
        Report.community_id == community_id, Report.resolved_at.is_(None))).scalar_one()


def _comments(ids: set[int]) -> dict[int, Comment]:
    if not ids:
        return {}
    rows = db.session.execute(db.select(Comment).where(Comment.id.in_(ids)).options(selectinload(Comment.author)))
    return {c.id: c for c in rows.scalars()}


def _proposals(ids: set[int]) -> dict[int, Proposal]:
    if not ids:
        return {}
    rows = db.session.execute(db.select(Proposal).where(Proposal.id.in_(ids)).options(selectinload(Proposal.author)))
    return {p.id: p for p in rows.scalars()}


def _items(community, comments: list[Comment], proposals: list[Proposal]) -> dict[tuple, QueueItem]:  # noqa: ANN001
    """Queue items keyed by (kind, id), with public author labels and owners fetched in bulk."""
    owners = thread_owners({c.thread_id for c in comments})
    authors = {a.id: a for a in [*(c.author for c in comments), *(p.author for p in proposals)] if a is not None}
    labels = public_labels(list(authors.values()), community) if authors else {}
    items = {}
    for c in comments:
        target = Target("comment", c, community.id, owners.get(c.thread_id, Owner(None, None)))
        items["comment", c.id] = QueueItem(target, labels.get(c.author_id, ""), plain_text(c.body_md), c.created_at)
    for p in proposals:
        target = Target("proposal", p, community.id, Owner(p.id, None))
        text = f"{p.title} — {plain_text(p.body_md, limit=100)}"
        items["proposal", p.id] = QueueItem(target, labels.get(p.author_id, ""), text, p.created_at)
    return items


def open_reports(community, page: int) -> tuple[list[QueueItem], bool]:  # noqa: ANN001
    """Items with open reports, the most recently reported first; a constant number of queries per page."""
    groups = db.session.execute(
        db.select(Report.comment_id, Report.proposal_id, func.count().label("n"),
                  func.max(Report.created_at).label("latest"))
        .where(Report.community_id == community.id, Report.resolved_at.is_(None))
        .group_by(Report.comment_id, Report.proposal_id)
        .order_by(func.max(Report.created_at).desc(), func.max(Report.id).desc())
        .limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)).all()
    has_more, groups = len(groups) > PAGE_SIZE, groups[:PAGE_SIZE]
    comment_ids = {g.comment_id for g in groups if g.comment_id}
    proposal_ids = {g.proposal_id for g in groups if g.proposal_id}
    items = _items(community, list(_comments(comment_ids).values()), list(_proposals(proposal_ids).values()))
    _add_reasons(community.id, items, comment_ids, proposal_ids)
    found = []
    for g in groups:
        item = items.get(("comment", g.comment_id) if g.comment_id else ("proposal", g.proposal_id))
        if item is not None:
            item.count, item.when = g.n, g.latest
            found.append(item)
    return found, has_more


def _add_reasons(community_id: int, items: dict, comment_ids: set[int], proposal_ids: set[int]) -> None:
    if not items:
        return
    rows = db.session.execute(
        db.select(Report.comment_id, Report.proposal_id, Report.reason)
        .where(Report.community_id == community_id, Report.resolved_at.is_(None),
               or_(Report.comment_id.in_(comment_ids), Report.proposal_id.in_(proposal_ids)))
        .order_by(Report.id.desc()))
    for r in rows:
        item = items.get(("comment", r.comment_id) if r.comment_id else ("proposal", r.proposal_id))
        if item is not None and r.reason not in item.reasons and len(item.reasons) < REASONS_SHOWN:
            item.reasons.append(r.reason)


def recently_hidden(community) -> list[QueueItem]:  # noqa: ANN001
    """The last twenty hidden comments and proposals, newest first, so a hide can be reviewed or undone."""
    comments = db.session.execute(
        db.select(Comment).join(Thread, Thread.id == Comment.thread_id)
        .where(Thread.community_id == community.id, Comment.hidden_at.is_not(None))
        .options(selectinload(Comment.author)).order_by(Comment.hidden_at.desc()).limit(HIDDEN_SHOWN)).scalars().all()
    proposals = db.session.execute(
        db.select(Proposal).where(Proposal.community_id == community.id, Proposal.hidden_at.is_not(None))
        .options(selectinload(Proposal.author)).order_by(Proposal.hidden_at.desc()).limit(HIDDEN_SHOWN)).scalars().all()
    items = list(_items(community, list(comments), list(proposals)).values())
    for item in items:
        item.when, item.reasons = item.target.item.hidden_at, [item.target.item.hidden_reason]
    return sorted(items, key=lambda i: i.when, reverse=True)[:HIDDEN_SHOWN]
