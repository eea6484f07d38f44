"""Reading a member's notifications in one community: a page of them, one of them, the unread count."""
from __future__ import annotations

from sqlalchemy.orm import selectinload

from civic.extensions import db
from civic.notices.models import NoticeKind, NoticeOptOut, Notification

PAGE_SIZE = 50
BADGE_CAP = 100  # the badge says "99+" beyond this, so counting further is wasted work


def page_of(user_id: int, community_id: int, page: int) -> tuple[list[Notification], bool]:
    """Newest first; the actors come in one more query. Returns (notifications, has_more)."""
    rows = db.session.execute(
        db.select(Notification).where(Notification.user_id == user_id, Notification.community_id == community_id)
        .options(selectinload(Notification.actor))
        .order_by(Notification.id.desc()).limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)
    ).scalars().all()
    return list(rows[:PAGE_SIZE]), len(rows) > PAGE_SIZE


def own(user_id: int, community_id: int, notification_id: int) -> Notification | None:
    """The member's own notification in this community; anyone else's is None (→ 404)."""
    return db.session.execute(db.select(Notification).where(
        Notification.id == notification_id, Notification.user_id == user_id,
        Notification.community_id == community_id)).scalar_one_or_none()


def unread_count(user_id: int, community_id: int) -> int:
    """One indexed query (ix_notifications_user_unread), stopping at BADGE_CAP."""
    unread = (db.select(Notification.id)
              .where(Notification.user_id == user_id, Notification.community_id == community_id,
                     Notification.read_at.is_(None))
              .limit(BADGE_CAP).subquery())
    return db.session.execute(db.select(db.func.count()).select_from(unread)).scalar_one()


def is_opted_out(user_id: int, community_id: int, kind: NoticeKind) -> bool:
    return db.session.execute(db.select(NoticeOptOut.id).where(
        NoticeOptOut.user_id == user_id, NoticeOptOut.community_id == community_id,
        NoticeOptOut.kind == kind)).first() is not None
