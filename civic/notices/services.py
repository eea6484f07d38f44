"""Sending notifications: one call per event, fanned out to the people who should hear of it."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable

from sqlalchemy.exc import IntegrityError

from civic.extensions import db
from civic.notices.models import OPTIONAL_KINDS, NoticeKind, NoticeOptOut, Notification

SUMMARY_MAX = 200


def notify(user_ids: Iterable[int], *, community_id: int, kind: NoticeKind, now: datetime, actor=None,  # noqa: ANN001
           proposal_id: int | None = None, project_id: int | None = None, comment_id: int | None = None,
           meeting_id: int | None = None, option_id: int | None = None, vote_id: int | None = None,
           summary: str = "") -> int:
    """Add one notification for each user (never the actor themself; opt-outs respected). Returns how many."""
    recipients = set(user_ids) - ({actor.id} if actor is not None else set())
    if kind in OPTIONAL_KINDS and recipients:
        opted_out = set(db.session.execute(
            db.select(NoticeOptOut.user_id).where(NoticeOptOut.community_id == community_id,
                                                  NoticeOptOut.kind == kind,
                                                  NoticeOptOut.user_id.in_(recipients))
        ).scalars())
        recipients -= opted_out
    rows = [
        {"user_id": uid, "community_id": community_id, "kind": kind, "actor_id": actor.id if actor else None,
         "proposal_id": proposal_id, "project_id": project_id, "comment_id": comment_id,
         "meeting_id": meeting_id, "option_id": option_id, "vote_id": vote_id, "summary": summary[:SUMMARY_MAX], "created_at": now}
        for uid in sorted(recipients)
    ]
    if rows:
        db.session.execute(db.insert(Notification), rows)
    return len(rows)


def mark_read(notification: Notification, now: datetime) -> None:
    if notification.read_at is None:
        notification.read_at = now


def mark_all_read(user_id: int, community_id: int, now: datetime) -> int:
    """One UPDATE over the member's unread notices in this community. Returns how many."""
    return db.session.execute(
        db.update(Notification).where(Notification.user_id == user_id, Notification.community_id == community_id,
                                      Notification.read_at.is_(None))
        .values(read_at=now).execution_options(synchronize_session=False)).rowcount


def set_wanted(user_id: int, community_id: int, kind: NoticeKind, wanted: bool) -> None:
    """Switch an optional kind on (no opt-out row) or off (one row; the UNIQUE constraint keeps it one)."""
    if kind not in OPTIONAL_KINDS:
        raise ValueError(f"{kind} cannot be switched off")
    row = db.session.execute(db.select(NoticeOptOut).where(
        NoticeOptOut.user_id == user_id, NoticeOptOut.community_id == community_id,
        NoticeOptOut.kind == kind)).scalar_one_or_none()
    if wanted and row is not None:
        db.session.delete(row)
    elif not wanted and row is None:
        try:
            with db.session.begin_nested():
                db.session.add(NoticeOptOut(user_id=user_id, community_id=community_id, kind=kind))
        except IntegrityError:
            pass  # a double click: the other request switched it off already
