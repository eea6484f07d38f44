"""Keeping the search index in step with what residents can see. Called on write by the owning modules.

A document exists only for what every member may read: a published, not withdrawn, not hidden proposal;
a project; a comment that is neither withdrawn nor hidden. Each call adds, refreshes or removes one.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import text

from civic.clock import utcnow
from civic.extensions import db
from civic.search import segment
from civic.search.models import SearchDocument
from civic.web.markdown import MAX_SOURCE_CHARS, plain_text

# Proposal statuses by value: this module is imported by the proposals and projects packages while they
# load, so it must not import their models at the top.
HIDDEN_STATUS_VALUES = frozenset({"draft", "withdrawn"})
KINDS = ("proposal", "project", "comment")


def document_text(title: str, body_md: str) -> str:
    return f"{title}\n{plain_text(body_md, limit=MAX_SOURCE_CHARS)}"


def hidden_statuses() -> list:
    from civic.proposals.models import ProposalStatus

    return [ProposalStatus(v) for v in sorted(HIDDEN_STATUS_VALUES)]


def is_public_proposal(proposal) -> bool:  # noqa: ANN001
    return proposal.status.value not in HIDDEN_STATUS_VALUES and proposal.hidden_at is None


def is_public_comment(comment) -> bool:  # noqa: ANN001
    return comment.withdrawn_at is None and comment.hidden_at is None


def _ensure_id(obj) -> None:  # noqa: ANN001
    if obj.id is None:  # a caller may index before its own flush
        db.session.flush()


def index_proposal(proposal) -> None:  # noqa: ANN001
    """Add or refresh a proposal; remove it when it is not publicly visible (draft, withdrawn, hidden)."""
    _ensure_id(proposal)
    if not is_public_proposal(proposal):
        remove("proposal", proposal.id)
        return
    _upsert("proposal", proposal.id, proposal.community_id, document_text(proposal.title, proposal.body_md),
            proposal.published_at or proposal.created_at, proposal_id=proposal.id)


def index_project(project) -> None:  # noqa: ANN001
    _ensure_id(project)
    _upsert("project", project.id, project.community_id, document_text(project.title, project.description_md),
            project.created_at, project_id=project.id)


def index_comment(comment, *, proposal_id: int | None = None, project_id: int | None = None) -> None:  # noqa: ANN001
    """Add or refresh a comment; remove it when withdrawn or hidden. The owner is looked up when not given."""
    _ensure_id(comment)
    if not is_public_comment(comment):
        remove("comment", comment.id)
        return
    community_id, owner_proposal, owner_project = _thread_facts(comment.thread_id)
    if community_id is None:  # a design option's thread: options may be private, so never indexed
        remove("comment", comment.id)
        return
    if proposal_id is None and project_id is None:
        proposal_id, project_id = owner_proposal, owner_project
    _upsert("comment", comment.id, community_id, document_text("", comment.body_md), comment.created_at,
            proposal_id=proposal_id, project_id=project_id)


def remove(kind: str, object_id: int) -> None:
    doc_id = _document_id(kind, object_id)
    if doc_id is None:
        return
    _fts_delete(doc_id)
    db.session.execute(db.delete(SearchDocument).where(SearchDocument.id == doc_id))


def _thread_facts(thread_id: int) -> tuple[int | None, int | None, int | None]:
    """The thread's community and owner; community None for a thread that is never indexed (design options)."""
    from civic.notices.links import thread_owners
    from civic.threads.models import Thread, ThreadKind

    community_id, kind = db.session.execute(
        db.select(Thread.community_id, Thread.kind).where(Thread.id == thread_id)).one()
    if kind is ThreadKind.DESIGN:
        return None, None, None
    owner = thread_owners([thread_id]).get(thread_id)
    return community_id, owner.proposal_id if owner else None, owner.project_id if owner else None


def _document_id(kind: str, object_id: int) -> int | None:
    return db.session.execute(db.select(SearchDocument.id).where(
        SearchDocument.kind == kind, SearchDocument.object_id == object_id)).scalar_one_or_none()


def _upsert(kind: str, object_id: int, community_id: int, body: str, published_at: datetime | None, *,
            proposal_id: int | None = None, project_id: int | None = None) -> None:
    values = {"community_id": community_id, "proposal_id": proposal_id, "project_id": project_id,
              "tokens": segment.tokens(body), "updated_at": utcnow(), "published_at": published_at or utcnow()}
    doc_id = _document_id(kind, object_id)
    if doc_id is None:
        doc_id = db.session.execute(db.insert(SearchDocument).values(kind=kind, object_id=object_id, **values)
                                    .returning(SearchDocument.id)).scalar_one()
    else:
        db.session.execute(db.update(SearchDocument).where(SearchDocument.id == doc_id).values(**values))
    _fts_delete(doc_id)
    _fts_insert(doc_id, values["tokens"])


def is_sqlite() -> bool:
    return db.session.get_bind().dialect.name == "sqlite"


def _fts_delete(doc_id: int) -> None:
    # PostgreSQL's tsvector is a generated column; only SQLite keeps a separate FTS5 table in step.
    if is_sqlite():
        db.session.execute(text("DELETE FROM search_fts WHERE rowid = :id"), {"id": doc_id})


def _fts_insert(doc_id: int, tokens: str) -> None:
    if is_sqlite():
        db.session.execute(text("INSERT INTO search_fts (rowid, tokens) VALUES (:id, :tokens)"),
                           {"id": doc_id, "tokens": tokens})
