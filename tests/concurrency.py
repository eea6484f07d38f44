"""Many signed-in test clients at once, for the PostgreSQL concurrency tests (sessions made directly: no logins)."""
from __future__ import annotations

from werkzeug.security import generate_password_hash

from civic.accounts.models import User, start_session
from civic.community.models import Membership
from civic.extensions import db


def household_crowd(household_id: int, count: int, prefix: str) -> list[User]:
    """`count` members of one household, with one password hash for all (scrypt is slow on purpose)."""
    password_hash = generate_password_hash("unused")
    users = [User(username=f"{prefix}{i}", display_name=f"邻居{i}", password_hash=password_hash) for i in range(count)]
    db.session.add_all(users)
    db.session.flush()
    db.session.add_all(Membership(user_id=u.id, household_id=household_id) for u in users)
    return users


def signed_in_clients(app, users) -> list:  # noqa: ANN001
    """One test client per user, each already signed in; commits the sessions."""
    keys = [start_session(u).key for u in users]
    db.session.commit()
    clients = []
    for key in keys:
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = key, True
        clients.append(client)
    return clients
