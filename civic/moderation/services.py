"""Moderation actions: report, hide, unhide, dismiss, lock, unlock. Each takes the actor and the clock."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from civic.audit.models import record
from civic.community.models import Community
from civic.errors import RuleViolation
from civic.extensions import db
from civic.moderation.models import Report
from civic.moderation.targets import Target
from civic.notices.models import NoticeKind
from civic.notices.services import notify
from civic.proposals.queries import committee_user_ids
from civic.search import index
from civic.threads.models import Thread
from civic.threads.services import mark_changed
from civic.web.markdown import plain_text

REASON_MAX = 200


class AlreadyReported(RuleViolation):
    """The reporter has a report on this item already (the UNIQUE constraint said so)."""


def clean_reason(reason: str | None) -> str:
    reason = " ".join((reason or "").split())
    if not reason:
        raise RuleViolation(_("Please give a reason."), "reason")
    if len(reason) > REASON_MAX:
        raise RuleViolation(_("Please keep the reason under %(n)d characters.", n=REASON_MAX), "reason")
    return reason


def summary_of(target: Target) -> str:
    item = target.item
    return item.title if target.kind == "proposal" else plain_text(item.body_md, limit=80)


def _open_reports(target: Target):
    column = Report.comment_id if target.kind == "comment" else Report.proposal_id
    return (column == target.item.id, Report.resolved_at.is_(None))


def file_report(target: Target, reason: str, *, actor, now: datetime) -> Report:  # noqa: ANN001
    """One report per reporter per item (UNIQUE); the committee hears of an item's first open report."""
    report = Report(community_id=target.community_id, reporter_id=actor.id, reason=clean_reason(reason),
                    created_at=now, **{f"{target.kind}_id": target.item.id})
    try:
        with db.session.begin_nested():
            db.session.add(report)
    except IntegrityError:
        raise AlreadyReported(_("You have already reported this. Thank you — the committee will look at it."))
    open_count = db.session.execute(
        db.select(db.func.count()).select_from(Report).where(*_open_reports(target))).scalar_one()
    if open_count == 1:
        community = db.session.get(Community, target.community_id)  # already in the session: no query
        notify(committee_user_ids(community), community_id=target.community_id, kind=NoticeKind.REPORT, now=now,
               actor=actor, proposal_id=target.owner.proposal_id, project_id=target.owner.project_id,
               option_id=target.owner.option_id,
               comment_id=target.item.id if target.kind == "comment" else None, summary=summary_of(target))
    return report


def _resolve(target: Target, resolution: str, actor, now: datetime) -> int:  # noqa: ANN001
    return db.session.execute(
        db.update(Report).where(*_open_reports(target))
        .values(resolved_at=now, resolved_by_id=actor.id, resolution=resolution)
        .execution_options(synchronize_session=False)).rowcount


def _reindex(target: Target) -> None:
    if target.kind == "comment":
        index.index_comment(target.item, proposal_id=target.owner.proposal_id, project_id=target.owner.project_id)
    else:
        index.index_proposal(target.item)  # its comments follow: search re-checks the owner at query time


def _changed(target: Target) -> None:
    """Open pages poll the thread's version; bump it so they show the change within one poll."""
    mark_changed(target.thread_id, target.item if target.kind == "comment" else None)


def hide(target: Target, reason: str, *, actor, now: datetime) -> int:  # noqa: ANN001
    """Hide with a reason; the item's open reports are resolved as "hidden". Returns how many."""
    reason = clean_reason(reason)
    item = target.item
    if item.hidden_at is not None:
        raise RuleViolation(_("This is already hidden."))
    item.hidden_at, item.hidden_reason, item.hidden_by_id = now, reason, actor.id
    resolved = _resolve(target, "hidden", actor, now)
    index.remove(target.kind, item.id)
    _changed(target)
    record(target.community_id, actor, "moderation.hide", target.label, now, reason=reason, reports=resolved)
    return resolved


def unhide(target: Target, *, actor, now: datetime) -> None:  # noqa: ANN001
    item = target.item
    if item.hidden_at is None:
        raise RuleViolation(_("This is not hidden."))
    reason = item.hidden_reason
    item.hidden_at, item.hidden_reason, item.hidden_by_id = None, "", None
    _reindex(target)
    _changed(target)
    record(target.community_id, actor, "moderation.unhide", target.label, now, hidden_reason=reason)


def dismiss(target: Target, *, actor, now: datetime) -> int:  # noqa: ANN001
    """The reports were unfounded: resolve them as "dismissed" without hiding anything."""
    resolved = _resolve(target, "dismissed", actor, now)
    if not resolved:
        raise RuleViolation(_("There are no open reports on this."))
    record(target.community_id, actor, "moderation.dismiss", target.label, now, reports=resolved)
    return resolved


def lock(thread: Thread, reason: str, *, actor, now: datetime) -> None:  # noqa: ANN001
    reason = clean_reason(reason)
    if thread.is_locked:
        raise RuleViolation(_("This discussion is already locked."))
    thread.is_locked, thread.locked_at, thread.locked_by_id, thread.locked_reason = True, now, actor.id, reason
    mark_changed(thread.id)
    record(thread.community_id, actor, "moderation.lock", f"thread:{thread.id}", now, reason=reason)


def unlock(thread: Thread, *, actor, now: datetime) -> None:  # noqa: ANN001
    if not thread.is_locked:
        raise RuleViolation(_("This discussion is not locked."))
    reason = thread.locked_reason
    thread.is_locked, thread.locked_at, thread.locked_by_id, thread.locked_reason = False, None, None, ""
    mark_changed(thread.id)
    record(thread.community_id, actor, "moderation.unlock", f"thread:{thread.id}", now, locked_reason=reason)
