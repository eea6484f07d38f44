"""What changed since I last looked: the newest version a member had seen of an option, read and recorded."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from babel.dates import format_skeleton
from flask_babel import get_locale, to_user_timezone
from sqlalchemy import case
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from civic.designs.models import DesignOption, OptionVisit
from civic.extensions import db


@dataclass(frozen=True)
class WhatsNew:
    """Versions newer than the one seen at the last visit. A first visit marks nothing: all of it is new."""

    seen_version: int | None  # None: never visited
    seen_at: datetime | None
    current: int

    @property
    def count(self) -> int:
        return 0 if self.seen_version is None else max(0, self.current - self.seen_version)

    def is_new(self, number: int) -> bool:
        return self.seen_version is not None and number > self.seen_version

    def seen_on(self) -> str:
        """The last visit's day as a reader says it ("11月20日", "Nov 20"), in Asia/Shanghai."""
        if self.seen_at is None:
            return ""
        return format_skeleton("MMMd", to_user_timezone(self.seen_at), locale=get_locale())


def whats_new(user_id: int, option: DesignOption) -> WhatsNew:
    visit = db.session.get(OptionVisit, (user_id, option.id))
    if visit is None:
        return WhatsNew(None, None, option.version_count)
    return WhatsNew(visit.seen_version, visit.seen_at, option.version_count)


def _insert():  # noqa: ANN202
    return pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert


def record_visit(user_id: int, option: DesignOption, now: datetime, *, seen_version: int | None = None) -> None:
    """Upsert in one statement (two tabs at once cannot collide); the seen number never goes backwards."""
    number = option.version_count if seen_version is None else seen_version
    table = OptionVisit.__table__
    statement = _insert()(table).values(user_id=user_id, option_id=option.id, seen_version=number, seen_at=now)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.user_id, table.c.option_id],
        set_={"seen_at": statement.excluded.seen_at,
              "seen_version": case((statement.excluded.seen_version > table.c.seen_version,
                                    statement.excluded.seen_version), else_=table.c.seen_version)})
    db.session.execute(statement)
