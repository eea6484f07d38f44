"""PostgreSQL only: 200 members of one household seconding at once leave exactly one second, and no 500."""
from concurrent.futures import ThreadPoolExecutor

import pytest

from civic.extensions import db
from civic.proposals.models import Proposal, Second
from tests.concurrency import household_crowd, signed_in_clients

MEMBERS = 200
WORKERS = 24  # under the pool's 5 + 10 connections per worker process would queue; each request is short


@pytest.fixture
def crowd(app, world, is_postgres):
    """200 signed-in clients, all members of the neighbour's household (sessions made directly: no 200 logins)."""
    if not is_postgres:
        pytest.skip("concurrency is tested on PostgreSQL (SQLite serialises writers)")
    return signed_in_clients(app, household_crowd(world.neighbour_home.id, MEMBERS, "crowd"))


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
