"""Where a proposal, project or comment lives on the site: for notifications, search results, the moderation queue."""
from __future__ import annotations

from typing import Iterable, NamedTuple

from flask import url_for
from werkzeug.routing import BuildError

from civic.extensions import db


class Owner(NamedTuple):
    """The proposal, project or design option whose thread holds a comment (exactly one is set)."""

    proposal_id: int | None
    project_id: int | None
    option_id: int | None = None


def _page(endpoint: str, slug: str, noun: str, **ids: int) -> str:
    try:
        return url_for(endpoint, slug=slug, **ids)
    except BuildError:
        # The documented address, for as long as the owning package names its route differently.
        return url_for("community.home", slug=slug) + f"{noun}/{next(iter(ids.values()))}"


def item_url(slug: str, *, proposal_id: int | None = None, project_id: int | None = None,
             comment_id: int | None = None, meeting_id: int | None = None, option_id: int | None = None,
             vote_id: int | None = None) -> str:
    """The proposal, project, meeting, design option or vote page; a comment is an anchor on its owner's page."""
    if vote_id is not None:
        base = _page("voting.show", slug, "votes", vote_id=vote_id)
    elif meeting_id is not None:
        base = _page("meetings.show", slug, "meetings", meeting_id=meeting_id)
    elif option_id is not None:
        base = _page("designs.show_option", slug, "designs", option_id=option_id)
    elif proposal_id is not None:
        base = _page("proposals.show", slug, "proposals", proposal_id=proposal_id)
    elif project_id is not None:
        base = _page("projects.show", slug, "projects", project_id=project_id)
    else:
        base = url_for("community.home", slug=slug)
    return base + (f"#comment-{comment_id}" if comment_id is not None else "")


def notice_url(notification, slug: str) -> str:  # noqa: ANN001
    """Where a notification leads: the moderation queue for reports, else the thing it is about."""
    from civic.notices.models import NoticeKind

    if notification.kind is NoticeKind.REPORT:
        return url_for("moderation.queue", slug=slug)
    return item_url(slug, proposal_id=notification.proposal_id, project_id=notification.project_id,
                    comment_id=notification.comment_id, meeting_id=notification.meeting_id,
                    option_id=notification.option_id, vote_id=notification.vote_id)


def thread_owners(thread_ids: Iterable[int]) -> dict[int, Owner]:
    """thread id → its owner, two IN queries for any number of threads."""
    from civic.designs.models import DesignOption
    from civic.projects.models import Project  # here, not at the top: links are used while packages load
    from civic.proposals.models import Proposal

    ids = set(thread_ids)
    if not ids:
        return {}
    owners = {tid: Owner(pid, None) for pid, tid in db.session.execute(
        db.select(Proposal.id, Proposal.thread_id).where(Proposal.thread_id.in_(ids)))}
    owners.update({tid: Owner(None, pid) for pid, tid in db.session.execute(
        db.select(Project.id, Project.thread_id).where(Project.thread_id.in_(ids)))})
    owners.update({tid: Owner(None, None, oid) for oid, tid in db.session.execute(
        db.select(DesignOption.id, DesignOption.thread_id).where(DesignOption.thread_id.in_(ids)))})
    return owners
