"""`flask search reindex [SLUG]`: rebuild a community's search index from its proposals, projects and comments."""
from __future__ import annotations

from typing import Iterator

import click
from flask.cli import AppGroup
from sqlalchemy import text

from civic.clock import utcnow
from civic.community.models import Community
from civic.extensions import db
from civic.projects.models import Project
from civic.proposals.models import Proposal
from civic.search import segment
from civic.search.index import document_text, hidden_statuses, is_sqlite
from civic.search.models import SearchDocument
from civic.threads.models import Comment, Thread

BATCH = 500

search_cli = AppGroup("search", help="The full-text search index.")


def _proposal_rows(community_id: int) -> Iterator[dict]:
    rows = db.session.execute(
        db.select(Proposal.id, Proposal.title, Proposal.body_md, Proposal.published_at, Proposal.created_at)
        .where(Proposal.community_id == community_id, Proposal.status.not_in(hidden_statuses()),
               Proposal.hidden_at.is_(None)).execution_options(yield_per=BATCH))
    for r in rows:
        yield {"kind": "proposal", "object_id": r.id, "proposal_id": r.id, "project_id": None,
               "text": document_text(r.title, r.body_md), "published_at": r.published_at or r.created_at}


def _project_rows(community_id: int) -> Iterator[dict]:
    rows = db.session.execute(
        db.select(Project.id, Project.title, Project.description_md, Project.created_at)
        .where(Project.community_id == community_id).execution_options(yield_per=BATCH))
    for r in rows:
        yield {"kind": "project", "object_id": r.id, "proposal_id": None, "project_id": r.id,
               "text": document_text(r.title, r.description_md), "published_at": r.created_at}


def _comment_rows(community_id: int) -> Iterator[dict]:
    rows = db.session.execute(
        db.select(Comment.id, Comment.body_md, Comment.created_at, Proposal.id.label("proposal_id"),
                  Project.id.label("project_id"))
        .join(Thread, Thread.id == Comment.thread_id)
        .outerjoin(Proposal, Proposal.thread_id == Thread.id).outerjoin(Project, Project.thread_id == Thread.id)
        .where(Thread.community_id == community_id, Comment.withdrawn_at.is_(None), Comment.hidden_at.is_(None))
        .execution_options(yield_per=BATCH))
    for r in rows:
        yield {"kind": "comment", "object_id": r.id, "proposal_id": r.proposal_id, "project_id": r.project_id,
               "text": document_text("", r.body_md), "published_at": r.created_at}


def _clear_fts(community_id: int) -> None:
    db.session.execute(text("DELETE FROM search_fts WHERE rowid IN "
                            "(SELECT id FROM search_documents WHERE community_id = :c)"), {"c": community_id})


def _clear(community_id: int) -> None:
    if is_sqlite():
        _clear_fts(community_id)
    db.session.execute(db.delete(SearchDocument).where(SearchDocument.community_id == community_id))


def _insert(community_id: int, batch: list[dict]) -> None:
    now = utcnow()
    for row in batch:
        row.update(community_id=community_id, tokens=segment.tokens(row.pop("text")), updated_at=now)
    db.session.execute(db.insert(SearchDocument), batch)


def rebuild(community: Community) -> int:
    """Replace the community's documents; returns how many were written. One transaction, committed by the caller."""
    _clear(community.id)
    count, batch = 0, []
    for source in (_proposal_rows, _project_rows, _comment_rows):
        for row in list(source(community.id)):  # read fully before writing: SQLite cannot interleave both
            batch.append(row)
            if len(batch) >= BATCH:
                _insert(community.id, batch)
                count, batch = count + len(batch), []
    if batch:
        _insert(community.id, batch)
        count += len(batch)
    if is_sqlite():
        _clear_fts(community.id)  # rows left behind by documents deleted in a cascade may hold the new ids
        db.session.execute(text("INSERT INTO search_fts (rowid, tokens) "
                                "SELECT id, tokens FROM search_documents WHERE community_id = :c"),
                           {"c": community.id})
    return count


@search_cli.command("reindex")
@click.argument("slug", required=False)
def reindex_command(slug: str | None) -> None:
    """Rebuild the search index of one community (SLUG) or of every community."""
    query = db.select(Community).order_by(Community.id)
    if slug:
        query = query.where(Community.slug == slug)
    communities = db.session.execute(query).scalars().all()
    if slug and not communities:
        raise click.ClickException(f"No community with the slug {slug!r}.")
    for community in communities:
        count = rebuild(community)
        db.session.commit()
        click.echo(f"{community.slug}: {count} documents indexed.")
