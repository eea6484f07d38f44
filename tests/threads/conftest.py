"""Thread fixtures: proposals and projects inserted directly (each with its thread), members, and helpers."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest

from civic.clock import utcnow
from civic.extensions import db
from civic.projects.models import Category, Project
from civic.proposals.models import Proposal, ProposalStatus
from civic.threads.models import Comment, Thread, ThreadKind
from civic.threads.services import new_thread
from civic.web.markdown import render

HTMX = {"HX-Request": "true"}


@pytest.fixture
def place(make_household, make_member):
    """A community with three neighbours (author of the proposal, a neighbour, a third) and an outsider elsewhere."""
    home = make_household()
    community = home.building.community
    author = make_member(home, display_name="王阿姨")
    neighbour = make_member(make_household(home.building), display_name="李师傅")
    third = make_member(make_household(home.building), display_name="赵老师")
    outsider = make_member(make_household(), display_name="外人")
    return {"community": community, "building": home.building, "author": author, "neighbour": neighbour,
            "third": third, "outsider": outsider}


@pytest.fixture
def make_proposal(app):
    def make(community, author, *, status: ProposalStatus = ProposalStatus.OPEN, hidden: bool = False,
             title: str = "垃圾厢房夏天太臭") -> Proposal:
        now = utcnow()
        proposal = Proposal(community_id=community.id, thread=new_thread(community.id, ThreadKind.PROPOSAL),
                            author_id=author.id, title=title, body_md="请大家商量", body_html=render("请大家商量"),
                            category=Category.GARBAGE_ROOM, status=status, created_at=now,
                            published_at=None if status is ProposalStatus.DRAFT else now, last_activity_at=now,
                            hidden_at=now if hidden else None, hidden_reason="广告" if hidden else "")
        db.session.add(proposal)
        db.session.commit()
        return proposal

    return make


@pytest.fixture
def make_project(app):
    def make(community, *, title: str = "一米会客厅") -> Project:
        now = utcnow()
        project = Project(community_id=community.id, thread=new_thread(community.id, ThreadKind.PROJECT),
                          title=title, category=Category.COMMON_SPACE, created_at=now, stage_changed_at=now,
                          last_activity_at=now)
        db.session.add(project)
        db.session.commit()
        return project

    return make


@pytest.fixture
def add_comments(app):
    """Insert n comments straight into a thread (for pagination and query-count tests)."""

    def add(thread: Thread, author, n: int, *, parent: Comment | None = None, start: int = 0) -> list[Comment]:
        base = utcnow() - timedelta(hours=1)
        rows = [Comment(thread_id=thread.id, author_id=author.id, parent_id=parent.id if parent else None,
                        body_md=f"第{start + i}条", body_html=render(f"第{start + i}条"),
                        created_at=base + timedelta(seconds=start + i)) for i in range(n)]
        db.session.add_all(rows)
        db.session.flush()
        thread.comment_count += n
        thread.version += 1
        for row in rows:
            row.changed_version = thread.version
        db.session.commit()
        return rows

    return add


def english(client):
    client.set_cookie("civic_lang", "en")
    return client


def comment_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<article class="comment[^"]*" id="comment-(\d+)"', html)]


def thread_url(proposal_or_project, community, tail: str = "comments") -> str:
    return f"/c/{community.slug}/threads/{proposal_or_project.thread_id}/{tail}"
