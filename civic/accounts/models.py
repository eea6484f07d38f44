"""User accounts and their server-side sessions."""
from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, String, func, update
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from civic.clock import utcnow
from civic.extensions import db

class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(32), unique=True)
    display_name: Mapped[str] = mapped_column(String(20))
    phone: Mapped[str | None] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str | None] = mapped_column(String(16))
    is_elder_mode: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    memberships: Mapped[list["Membership"]] = relationship(  # noqa: F821
        back_populates="user", cascade="all, delete-orphan"
    )
    role_grants: Mapped[list["RoleGrant"]] = relationship(  # noqa: F821
        back_populates="user", cascade="all, delete-orphan", foreign_keys="RoleGrant.user_id"
    )

    # Flask-Login: the id in the cookie is the *session* key, not the user id, so that a
    # session revoked on logout or password change cannot be replayed.
    session_key = None  # set per request by load_session_user/start_session
    is_active = True
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str | None:
        return self.session_key

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class UserSession(db.Model):
    """One signed-in device. Logging out revokes it; a replayed cookie then finds nothing."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True, default=lambda: secrets.token_urlsafe(32))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    def revoke(self, now: datetime) -> None:
        if self.revoked_at is None:
            self.revoked_at = now


def find_by_username(username: str) -> User | None:
    """Login names are unique regardless of case: 'Wang' and 'wang' are one account."""
    return db.session.execute(
        db.select(User).where(func.lower(User.username) == username.strip().lower())
    ).scalar_one_or_none()


def start_session(user: User) -> UserSession:
    session = UserSession(user=user)
    db.session.add(session)
    db.session.flush()
    user.session_key = session.key
    return session


def load_session_user(key: str) -> User | None:
    row = db.session.execute(
        db.select(UserSession).where(UserSession.key == key, UserSession.revoked_at.is_(None))
    ).scalar_one_or_none()
    if row is None:
        return None
    row.user.session_key = key
    return row.user


def revoke_sessions(user: User, now: datetime, *, keep: str | None = None) -> int:
    """Revoke every open session of `user` except `keep`; returns how many were revoked."""
    result = db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None), UserSession.key != (keep or ""))
        .values(revoked_at=now)
    )
    return result.rowcount


def revoke_session_key(key: str | None, now: datetime) -> None:
    row = db.session.execute(db.select(UserSession).where(UserSession.key == (key or ""))).scalar_one_or_none()
    if row is not None:
        row.revoke(now)
