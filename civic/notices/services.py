"""Sending notifications: one call per event, fanned out to the people who should hear of it."""
from __future__ import annotations

from datetime import datetime
from typing import Iterable

from civic.extensions import db
from civic.notices.models import OPTIONAL_KINDS, NoticeKind, NoticeOptOut, Notification

SUMMARY_MAX = 200


def notify(user_ids: Iterable[int], *, community_id: int, kind: NoticeKind, now: datetime, actor=None,  # noqa: ANN001
           proposal_id: int | None = None, project_id: int | None = None, comment_id: int | None = None,
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
         "summary": summary[:SUMMARY_MAX], "created_at": now}
        for uid in sorted(recipients)
    ]
    if rows:
        db.session.execute(db.insert(Notification), rows)
    return len(rows)
