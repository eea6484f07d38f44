"""SQLite as an embedded production-worthy engine: WAL, foreign keys, a busy timeout, BEGIN IMMEDIATE on demand."""
from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

_IMMEDIATE: ContextVar[bool] = ContextVar("sqlite_begin_immediate", default=False)


def configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, connection_record):  # noqa: ANN001
        # Let SQLAlchemy, not pysqlite, emit BEGIN, so that `BEGIN IMMEDIATE` can be used where needed.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):  # noqa: ANN001
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _IMMEDIATE.get() else "BEGIN")


def begin_immediate(session: Session) -> None:
    """End the session's (read) transaction and start the next one holding SQLite's write lock.

    A deferred transaction that has read and then writes fails at once with SQLITE_BUSY when another
    connection wrote meanwhile (WAL snapshots); BEGIN IMMEDIATE waits (busy_timeout) and then holds the
    lock, so a check-then-write in it cannot interleave with another writer. Nothing may be pending.
    """
    session.commit()
    token = _IMMEDIATE.set(True)
    try:
        session.connection()
    finally:
        _IMMEDIATE.reset(token)
