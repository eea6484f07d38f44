"""PostgreSQL only: 200 members of one household seconding at once leave exactly one second, and no 500."""
from concurrent.futures import ThreadPoolExecutor

import pytest
from werkzeug.security import generate_password_hash

from civic.accounts.models import User, start_session
from civic.community.models import Membership
from civic.extensions import db
from civic.proposals.models import Proposal, Second

MEMBERS = 200
WORKERS = 24  # under the pool's 5 + 10 connections per worker process would queue; each request is short


@pytest.fixture
def crowd(app, world, is_postgres):
    """200 signed-in clients, all members of the neighbour's household (sessions made directly: no 200 logins)."""
    if not is_postgres:
        pytest.skip("concurrency is tested on PostgreSQL (SQLite serialises writers)")
    password_hash = generate_password_hash("unused")
    users = [User(username=f"crowd{i}", display_name=f"家人{i}", password_hash=password_hash) for i in range(MEMBERS)]
    db.session.add_all(users)
    db.session.flush()
    db.session.add_all(Membership(user_id=u.id, household_id=world.neighbour_home.id) for u in users)
    keys = [start_session(u).key for u in users]
    db.session.commit()
    clients = []
    for key in keys:
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = key, True
        clients.append(client)
    return clients


def test_two_hundred_concurrent_seconds_leave_one(app, world, make_proposal, crowd):
    proposal = make_proposal()
    url = f"/c/{world.community.slug}/proposals/{proposal.id}/second"

    def press(index: int) -> int:
        headers = {"HX-Request": "true"} if index % 2 else {}
        return crowd[index].post(url, headers=headers).status_code

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        statuses = list(pool.map(press, range(MEMBERS)))
    assert 500 not in statuses
    assert set(statuses) <= {200, 303}, sorted(set(statuses))
    db.session.rollback()
    rows = db.session.execute(db.select(Second).where(Second.proposal_id == proposal.id)).scalars().all()
    assert len(rows) == 1 and rows[0].household_id == world.neighbour_home.id
    assert db.session.execute(db.select(Proposal.second_count).where(Proposal.id == proposal.id)).scalar_one() == 1
