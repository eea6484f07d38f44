"""The search index: one row per visible proposal, project or comment, its text segmented by jieba.

SQLite keeps the tokens in an FTS5 table (rowid = search_documents.id); PostgreSQL in a generated
tsvector column with a GIN index. Both are created by DDL hooks here and by the migration.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column

from civic.clock import utcnow
from civic.extensions import db

SQLITE_CREATE = "CREATE VIRTUAL TABLE search_fts USING fts5(tokens, tokenize='unicode61')"
SQLITE_DROP = "DROP TABLE IF EXISTS search_fts"
PG_CREATE = ("ALTER TABLE search_documents ADD COLUMN tsv tsvector "
             "GENERATED ALWAYS AS (to_tsvector('simple', tokens)) STORED")
PG_INDEX = "CREATE INDEX ix_search_documents_tsv ON search_documents USING gin (tsv)"


class SearchDocument(db.Model):
    __tablename__ = "search_documents"
    __table_args__ = (
        UniqueConstraint("kind", "object_id"),
        Index("ix_search_documents_community", "community_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))  # "proposal", "project", "comment"
    object_id: Mapped[int]
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    tokens: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When the thing itself was published (not when it was indexed), so "newest first" survives a reindex.
    published_at: Mapped[datetime] = mapped_column(default=utcnow)


_table = SearchDocument.__table__
event.listen(_table, "after_create", DDL(SQLITE_CREATE).execute_if(dialect="sqlite"))
event.listen(_table, "after_drop", DDL(SQLITE_DROP).execute_if(dialect="sqlite"))
event.listen(_table, "after_create", DDL(PG_CREATE).execute_if(dialect="postgresql"))
event.listen(_table, "after_create", DDL(PG_INDEX).execute_if(dialect="postgresql"))


def is_engine_specific(obj, name, type_, reflected, compare_to) -> bool:  # noqa: ANN001
    """Alembic include_object hook: the FTS5 table (and its shadow tables), the tsv column and its index
    are made by the DDL above, not by the models, so autogenerate must not try to drop them."""
    if type_ == "table":
        return bool(name) and name.startswith("search_fts")
    return name in {"tsv", "ix_search_documents_tsv"}


def include_object(obj, name, type_, reflected, compare_to) -> bool:  # noqa: ANN001
    return not is_engine_specific(obj, name, type_, reflected, compare_to)
