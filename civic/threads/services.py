"""Writing threads: creating them, posting, editing and withdrawing comments, and telling people about it."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _

from civic.community.rules import Standing
from civic.errors import RuleViolation
from civic.extensions import db
from civic.threads import owners, rules
from civic.threads.models import Comment, Opinion, Thread, ThreadKind
from civic.web.markdown import plain_text, render

SUMMARY_CHARS = 100

# civic.search and civic.notices read proposals and projects, which import this package's models: they are
# imported inside the functions below, never at the top (that would start an import cycle).


def new_thread(community_id: int, kind: ThreadKind) -> Thread:
    thread = Thread(community_id=community_id, kind=kind)
    db.session.add(thread)
    return thread


def mark_changed(thread_id: int, comment=None) -> int:  # noqa: ANN001
    """Bump the thread's version (atomically, in SQL) so open pages' polls see the change; stamp the comment."""
    version = db.session.execute(
        db.update(Thread).where(Thread.id == thread_id).values(version=Thread.version + 1).returning(Thread.version)
    ).scalar_one()
    if comment is not None:
        comment.changed_version = version
    return version


def check_open(thread: Thread, owner: owners.Owner) -> None:
    """Refuse new comments on a locked thread or on an owner that is not open for discussion."""
    if thread.is_locked:
        reason = thread.locked_reason or _("no reason given")
        raise RuleViolation(_("The committee locked this discussion (%(reason)s); no new comments are taken.",
                              reason=reason))
    if not owners.is_discussable(owner):
        raise RuleViolation(owners.closed_reason(owner))


def _in_thread(thread: Thread, comment_id: int | None) -> Comment | None:
    comment = db.session.get(Comment, comment_id) if comment_id else None
    return comment if comment is not None and comment.thread_id == thread.id else None


def post_comment(thread: Thread, owner: owners.Owner, *, author, standing: Standing, body: str,  # noqa: ANN001
                 opinion: Opinion | None, now: datetime, parent_id: int | None = None,
                 quote_id: int | None = None) -> Comment:
    """Post a comment or a reply (a reply to a reply hangs under the same top-level comment)."""
    check_open(thread, owner)
    replied_to = _in_thread(thread, parent_id)
    if parent_id and replied_to is None:
        raise RuleViolation(_("The comment you are replying to no longer exists."))
    quoted = _in_thread(thread, quote_id)
    quoted = quoted if quoted is not None and rules.is_quotable(quoted) else None
    # Take the thread's row lock first, so comment ids grow in the order the posts commit (the poll relies on it).
    db.session.execute(db.update(Thread).where(Thread.id == thread.id)
                       .values(comment_count=Thread.comment_count + 1, last_comment_at=now))
    comment = Comment(
        thread_id=thread.id, author_id=author.id, household_id=next(iter(standing.household_ids), None),
        parent_id=replied_to.top_level_id if replied_to else None, opinion=opinion, body_md=body,
        body_html=render(body), created_at=now, quoted_id=quoted.id if quoted else None,
        quote_text=plain_text(quoted.body_md, rules.QUOTE_MAX) if quoted else "",
    )
    mark_changed(thread.id, comment)
    db.session.add(comment)
    db.session.flush()
    owners.touch(owner, now)
    from civic.search import index

    if owner.is_searchable:
        index.index_comment(comment, proposal_id=owner.proposal_id, project_id=owner.project_id)
    _notify(comment, owner, replied_to, community_id=thread.community_id, author=author, now=now)
    return comment


def _notify(comment: Comment, owner: owners.Owner, replied_to: Comment | None, *, community_id: int,  # noqa: ANN001
            author, now: datetime) -> None:
    """A reply tells the people replied to; any comment on a proposal tells its author (once, never oneself)."""
    from civic.notices.models import NoticeKind
    from civic.notices.services import notify

    about = {"community_id": community_id, "now": now, "actor": author, "proposal_id": owner.proposal_id,
             "project_id": owner.project_id, "option_id": owner.option_id, "comment_id": comment.id,
             "summary": plain_text(comment.body_md, SUMMARY_CHARS)}
    replied_authors = set()
    if replied_to is not None:
        top = replied_to if replied_to.parent_id is None else db.session.get(Comment, replied_to.parent_id)
        replied_authors = {c.author_id for c in (replied_to, top) if c is not None and c.author_id}
        notify(replied_authors, kind=NoticeKind.REPLY, **about)
    if owner.author_id and owner.author_id not in replied_authors:
        notify([owner.author_id], kind=NoticeKind.COMMENT, **about)


def edit_comment(comment: Comment, owner: owners.Owner, *, standing: Standing, body: str, now: datetime) -> None:
    if not rules.can_edit_comment(standing, comment, now):
        if comment.is_withdrawn or comment.is_hidden:
            raise RuleViolation(_("This comment can no longer be edited."))
        raise RuleViolation(_("Comments can be edited for 15 minutes after posting; that time has passed. "
                              "Your text is kept below: copy it into a new comment if you like."))
    comment.body_md, comment.body_html, comment.edited_at = body, render(body), now
    mark_changed(comment.thread_id, comment)
    from civic.search import index

    if owner.is_searchable:
        index.index_comment(comment, proposal_id=owner.proposal_id, project_id=owner.project_id)


def withdraw_comment(comment: Comment, *, standing: Standing, now: datetime) -> None:
    """The text disappears for everyone (replies stay); the row stays for the record."""
    if not rules.can_withdraw_comment(standing, comment):
        raise RuleViolation(_("This comment has already been withdrawn."))
    comment.withdrawn_at = now
    mark_changed(comment.thread_id, comment)
    from civic.search import index

    index.remove("comment", comment.id)
