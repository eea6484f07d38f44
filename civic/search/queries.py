"""Searching a community's index: SQLite FTS5 MATCH or PostgreSQL tsquery, newest first, 20 a page."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, column, func, literal_column, or_, table

from civic.extensions import db
from civic.proposals.models import Proposal
from civic.search import segment
from civic.search.index import KINDS, hidden_statuses, is_sqlite
from civic.search.models import SearchDocument
from civic.threads.models import Comment

PAGE_SIZE = 20
COUNT_CAP = 1000  # counting stops here ("more than 1,000"): a common word would otherwise check every match
_fts = table("search_fts", column("rowid"))  # the FTS5 virtual table (SQLite only; not an ORM model)


@dataclass(frozen=True)
class Page:
    terms: list[str]
    documents: list[SearchDocument]
    total: int  # at most COUNT_CAP
    is_capped: bool = False


def fts5_query(terms: list[str]) -> str:
    """Each term a quoted FTS5 string (quotes doubled), ANDed: nothing the user types is read as syntax."""
    return " AND ".join('"' + term.replace('"', '""') + '"' for term in terms)


def _matching(community_id: int, kind: str | None, terms: list[str]) -> list:
    """Conditions: the community's documents (of one kind, if given) containing every term."""
    if is_sqlite():
        # SQLite's unary "+" keeps the planner off the community and kind indexes, so it starts from the FTS5
        # matches and looks each document up by id, rather than walking every document of the community.
        match = db.select(_fts.c.rowid).where(literal_column("search_fts").op("MATCH")(fts5_query(terms)))
        return [SearchDocument.id.in_(match), literal_column("+search_documents.community_id") == community_id,
                *([literal_column("+search_documents.kind") == kind] if kind else [])]
    # plainto_tsquery reads its argument as words ANDed together, never as tsquery operators.
    return [literal_column("search_documents.tsv").op("@@")(func.plainto_tsquery("simple", " ".join(terms))),
            SearchDocument.community_id == community_id, *([SearchDocument.kind == kind] if kind else [])]


def _still_visible():
    """Belt and braces: the owning proposal and the comment are re-checked at query time."""
    owner_ok = or_(SearchDocument.proposal_id.is_(None),
                   db.select(Proposal.id).where(Proposal.id == SearchDocument.proposal_id,
                                                Proposal.status.not_in(hidden_statuses()),
                                                Proposal.hidden_at.is_(None)).exists())
    comment_ok = or_(SearchDocument.kind != "comment",
                     db.select(Comment.id).where(Comment.id == SearchDocument.object_id, Comment.withdrawn_at.is_(None),
                                                 Comment.hidden_at.is_(None)).exists())
    return and_(owner_ok, comment_ok)


def search(community, q: str, *, kind: str | None = None, page: int = 1) -> Page:  # noqa: ANN001
    """One page of the community's documents containing every word of `q`, and how many there are in all."""
    terms = segment.query_terms(q)
    if not terms:
        return Page(terms, [], 0)
    where = [*_matching(community.id, kind if kind in KINDS else None, terms), _still_visible()]
    counted = db.select(SearchDocument.id).where(*where).limit(COUNT_CAP + 1).subquery()
    total = db.session.execute(db.select(func.count()).select_from(counted)).scalar_one()
    documents = db.session.execute(
        db.select(SearchDocument).where(*where)
        .order_by(SearchDocument.published_at.desc(), SearchDocument.id.desc())
        .limit(PAGE_SIZE).offset((max(page, 1) - 1) * PAGE_SIZE)).scalars().all()
    return Page(terms, list(documents), min(total, COUNT_CAP), total > COUNT_CAP)
