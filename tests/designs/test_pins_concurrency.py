"""PostgreSQL only: twelve neighbours pin the same version at once; pins are numbered 1…12, no gaps, no 500."""
from concurrent.futures import ThreadPoolExecutor

import pytest

from civic.designs.models import Pin
from civic.extensions import db
from tests.concurrency import household_crowd, signed_in_clients

MEMBERS = 12


def test_pins_at_once_get_distinct_numbers(app, dworld, make_option, is_postgres):
    if not is_postgres:
        pytest.skip("concurrency is tested on PostgreSQL (SQLite serialises writers)")
    option = make_option(versions=1)
    clients = signed_in_clients(app, household_crowd(dworld.home.id, MEMBERS, "pin"))
    url = f"/c/{dworld.community.slug}/designs/{option.id}/v1/pins"

    def press(index: int) -> int:
        return clients[index].post(url, data={"x": str(index), "y": "50", "body": f"第{index}个"}).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(press, range(MEMBERS)))
    assert set(statuses) == {303}, statuses
    db.session.rollback()
    numbers = sorted(db.session.execute(db.select(Pin.number).where(Pin.version_id == option.versions[0].id)).scalars())
    assert numbers == list(range(1, MEMBERS + 1))
