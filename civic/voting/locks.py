"""Serialising ballots against the close: a shared row lock per cast, an exclusive one for the close.

PostgreSQL: every cast reads the vote `FOR SHARE` (casts run side by side), the close reads it `FOR UPDATE`
(it waits until every cast in flight has committed, and casts that come later wait for the close, then
see it closed). SQLite has no row locks: both start their transaction with `BEGIN IMMEDIATE`, which takes
the database's write lock at once, so a cast and a close never interleave there either.
"""
from __future__ import annotations

from sqlalchemy import text

from civic.db_sqlite import begin_immediate
from civic.extensions import db
from civic.voting.models import Vote

LOCK_SPACE = 7007  # the first key of the votes' advisory locks (the second is the vote id)


def _is_sqlite() -> bool:
    return db.session.get_bind().dialect.name == "sqlite"


def _queue(vote_id: int, *, share: bool) -> None:
    """PostgreSQL: wait in a fair queue first. Row locks are not fair (new FOR SHARE lockers keep getting in
    while FOR UPDATE waits, so under a steady stream of ballots the close waited until the stream dried up);
    the lock manager queues transaction advisory locks in order, so the close gets in at the moment it asks."""
    function = "pg_advisory_xact_lock_shared" if share else "pg_advisory_xact_lock"
    db.session.execute(text(f"SELECT {function}(:space, :vote_id)"), {"space": LOCK_SPACE, "vote_id": vote_id})


def _locked(vote_id: int, *, share: bool) -> Vote:
    if _is_sqlite():
        begin_immediate(db.session)
    else:
        _queue(vote_id, share=share)
    return db.session.execute(
        db.select(Vote).where(Vote.id == vote_id).with_for_update(read=share)
        .execution_options(populate_existing=True)).scalar_one()


def for_cast(vote_id: int) -> Vote:
    """The vote, re-read under a shared lock; call it before writing anything (on SQLite it commits first)."""
    return _locked(vote_id, share=True)


def for_change(vote_id: int) -> Vote:
    """The vote, re-read under an exclusive lock: closing, and changing settings (no ballot may slip in)."""
    return _locked(vote_id, share=False)
