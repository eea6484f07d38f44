"""Reading threads: a page of top-level comments, their replies, and what changed since a version.

Every function is one query whatever the thread's length, plus one IN query for quoted comments when the
page quotes some that are not on it; the people shown are loaded once per page (people_of).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from sqlalchemy import func
from sqlalchemy.orm import joinedload, selectinload

from civic.accounts.models import User
from civic.community.models import Community
from civic.extensions import db
from civic.threads.models import Comment, Thread

PAGE_SIZE = 50
MAX_CHANGES = 200  # a poll further behind than this asks the reader to reload instead


@dataclass(frozen=True)
class ThreadState:
    """A thread's version and highest comment id, read in one statement so they describe one moment."""

    version: int
    comment_count: int
    last_id: int


@dataclass(frozen=True)
class Page:
    comments: list[Comment]
    has_more: bool  # further comments in reading order (a "load more" link)
    has_earlier: bool  # comments before this page in reading order (a "previous" link)


def _with_quoted(stmt):  # noqa: ANN001
    """Quoted comments (whether they are still shown, who wrote them) by one IN query, not a join on every row."""
    return stmt.options(selectinload(Comment.quoted))


def people_of(comments: Iterable[Comment]) -> list[User]:
    """The authors of these comments and of the comments they quote: one query for the whole page."""
    ids = set()
    for comment in comments:
        ids.update(i for i in (comment.author_id, comment.quoted.author_id if comment.quoted else None) if i)
    return list(db.session.execute(db.select(User).where(User.id.in_(ids))).scalars()) if ids else []


def thread_in(community: Community, thread_id: int) -> Thread | None:
    return db.session.execute(
        db.select(Thread).where(Thread.id == thread_id, Thread.community_id == community.id)
    ).scalar_one_or_none()


def comment_in(community: Community, comment_id: int) -> Comment | None:
    """A comment, only if its thread belongs to this community (another community's → None → 404)."""
    return db.session.execute(
        _with_quoted(db.select(Comment).join(Comment.thread)
                     .where(Comment.id == comment_id, Thread.community_id == community.id)
                     .options(joinedload(Comment.thread)))
    ).unique().scalar_one_or_none()


def state_of(thread_id: int) -> ThreadState:
    last = db.select(func.max(Comment.id)).where(Comment.thread_id == thread_id).scalar_subquery()
    row = db.session.execute(
        db.select(Thread.version, Thread.comment_count, last).where(Thread.id == thread_id)
    ).one()
    return ThreadState(row[0], row[1], row[2] or 0)


def top_level_page(thread_id: int, *, newest: bool, after: int | None = None, before: int | None = None) -> Page:
    """Keyset pagination in reading order: `after` continues past a comment, `before` goes back from one."""
    stmt = db.select(Comment).where(Comment.thread_id == thread_id, Comment.parent_id.is_(None))
    backwards = before is not None
    if backwards:
        stmt = stmt.where(Comment.id > before if newest else Comment.id < before)
    elif after is not None:
        stmt = stmt.where(Comment.id < after if newest else Comment.id > after)
    descending = newest != backwards
    stmt = stmt.order_by(Comment.id.desc() if descending else Comment.id.asc()).limit(PAGE_SIZE + 1)
    rows = list(db.session.execute(_with_quoted(stmt)).unique().scalars())
    overflow = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    if backwards:
        return Page(rows[::-1], has_more=True, has_earlier=overflow)
    return Page(rows, has_more=overflow, has_earlier=after is not None)


def is_on_first_page(thread_id: int, top_id: int, *, newest: bool) -> bool:
    """Whether fewer than a page of top-level comments come before this one in reading order."""
    ahead = Comment.id > top_id if newest else Comment.id < top_id
    stmt = (db.select(Comment.id).where(Comment.thread_id == thread_id, Comment.parent_id.is_(None), ahead)
            .order_by(Comment.id.desc() if newest else Comment.id.asc()).limit(1).offset(PAGE_SIZE - 1))
    return db.session.execute(stmt).first() is None


def replies_of(thread_id: int, parent_ids: Iterable[int]) -> dict[int, list[Comment]]:
    """All replies of these top-level comments, oldest first, grouped by parent: one query."""
    ids = list(parent_ids)
    grouped: dict[int, list[Comment]] = {i: [] for i in ids}
    if not ids:
        return grouped
    # No ORDER BY: SQLite would then walk the whole thread in id order instead of using (thread, parent, id).
    rows = db.session.execute(_with_quoted(
        db.select(Comment).where(Comment.thread_id == thread_id, Comment.parent_id.in_(ids))
    )).scalars()
    for reply in sorted(rows, key=lambda r: r.id):
        grouped[reply.parent_id].append(reply)
    return grouped


def changed_since(thread_id: int, version: int) -> list[Comment]:
    """Comments written or changed after `version`, in id order (a parent always before its replies)."""
    return list(db.session.execute(_with_quoted(
        db.select(Comment).where(Comment.thread_id == thread_id, Comment.changed_version > version)
        .order_by(Comment.id).limit(MAX_CHANGES + 1)
    )).unique().scalars())
