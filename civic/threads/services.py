"""Creating threads; comment writing lives beside it (filled in by the threads work)."""
from __future__ import annotations

from civic.extensions import db
from civic.threads.models import Thread, ThreadKind


def new_thread(community_id: int, kind: ThreadKind) -> Thread:
    thread = Thread(community_id=community_id, kind=kind)
    db.session.add(thread)
    return thread
