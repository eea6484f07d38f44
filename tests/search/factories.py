"""Proposals, projects and comments made directly with the models, so these tests do not lean on other views;
and a query counter for "the number of queries does not grow with the number of items"."""
from __future__ import annotations

from sqlalchemy import event

from civic.clock import utcnow
from civic.extensions import db
from civic.projects.models import Category, Project
from civic.proposals.models import Proposal, ProposalStatus
from civic.search import index
from civic.threads.models import Comment, ThreadKind
from civic.threads.services import new_thread
from civic.web.markdown import render


def proposal(community, author, *, title="垃圾厢房夏天很臭", body="希望加装电梯", status=ProposalStatus.OPEN,
             indexed=True, **extra) -> Proposal:  # noqa: ANN001
    now = utcnow()
    row = Proposal(community_id=community.id, thread=new_thread(community.id, ThreadKind.PROPOSAL),
                   author_id=author.id if author else None, title=title, body_md=body, body_html=render(body),
                   category=Category.OTHER, status=status,
                   published_at=None if status is ProposalStatus.DRAFT else now, **extra)
    db.session.add(row)
    db.session.flush()
    if indexed:
        index.index_proposal(row)
    db.session.commit()
    return row


def project(community, *, title="一米会客厅", description="楼道改造", indexed=True) -> Project:  # noqa: ANN001
    row = Project(community_id=community.id, thread=new_thread(community.id, ThreadKind.PROJECT), title=title,
                  description_md=description, description_html=render(description), category=Category.COMMON_SPACE)
    db.session.add(row)
    db.session.flush()
    if indexed:
        index.index_project(row)
    db.session.commit()
    return row


def comment(owner, author, body="小区停车难，物业不管", *, indexed=True, parent=None, **extra) -> Comment:  # noqa: ANN001
    row = Comment(thread_id=owner.thread_id, author_id=author.id if author else None, body_md=body,
                  body_html=render(body), parent_id=parent.id if parent else None, **extra)
    db.session.add(row)
    db.session.flush()
    if indexed:
        is_proposal = isinstance(owner, Proposal)
        index.index_comment(row, proposal_id=owner.id if is_proposal else None,
                            project_id=None if is_proposal else owner.id)
    db.session.commit()
    return row


def count_queries(fn) -> int:  # noqa: ANN001
    seen = []

    def listener(*args):  # noqa: ANN002
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(seen)
