"""The append-only audit log of committee and administrator actions."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from civic.accounts.models import User
from civic.extensions import db


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str] = mapped_column(String(120), default="")
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime]

    actor: Mapped[User | None] = relationship()


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_change(mapper, connection, target):  # noqa: ANN001
    raise RuntimeError("The audit log is append-only.")


def record(community_id: int, actor: User | None, action: str, target: str, now: datetime, **detail) -> AuditEvent:
    entry = AuditEvent(
        community_id=community_id,
        actor_id=actor.id if actor else None,
        action=action,
        target=target,
        detail=detail,
        created_at=now,
    )
    db.session.add(entry)
    return entry
