"""Creating threads; comment writing lives beside it (filled in by the threads work)."""
from __future__ import annotations

from civic.extensions import db
from civic.threads.models import Thread, ThreadKind


def new_thread(community_id: int, kind: ThreadKind) -> Thread:
    thread = Thread(community_id=community_id, kind=kind)
    db.session.add(thread)
    return thread


def mark_changed(thread_id: int, comment=None) -> int:  # noqa: ANN001
    """Bump the thread's version (atomically, in SQL) so open pages' polls see the change; stamp the comment."""
    version = db.session.execute(
        db.update(Thread).where(Thread.id == thread_id).values(version=Thread.version + 1).returning(Thread.version)
    ).scalar_one()
    if comment is not None:
        comment.changed_version = version
    return version
