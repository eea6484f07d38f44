"""PostgreSQL only: many simultaneous clicks on "accept" or "make it a proposal" leave one version / one proposal."""
from concurrent.futures import ThreadPoolExecutor

import pytest

from civic.clock import utcnow
from civic.extensions import db
from civic.meetings import minutes, notes
from civic.meetings.models import MinutesVersion
from civic.proposals.models import Proposal
from tests.meetings.minutes_support import held_meeting, publish, sign_in
from tests.concurrency import signed_in_clients

CLICKS = 12


@pytest.fixture
def clients(app, world, is_postgres):
    """Signed-in clients of the organiser and the committee (sessions made directly: no logins)."""
    if not is_postgres:
        pytest.skip("concurrency is tested on PostgreSQL (SQLite serialises writers)")

    return lambda users: signed_in_clients(app, users)


def _press_all(clients, url):
    def press(index: int) -> int:
        headers = {"HX-Request": "true"} if index % 2 else {}
        return clients[index].post(url, headers=headers).status_code

    with ThreadPoolExecutor(max_workers=CLICKS) as pool:
        statuses = list(pool.map(press, range(len(clients))))
    db.session.rollback()
    return statuses


def test_simultaneous_accepts_make_one_version(world, make_meeting, clients):
    meeting = held_meeting(make_meeting)
    sign_in(meeting, world.organiser, world.neighbour)
    publish(meeting, world.organiser)
    amendment = minutes.propose_amendment(meeting, proposer=world.neighbour, body_md="改过的纪要", reason="漏了",
                                          now=utcnow())
    db.session.commit()
    crowd = clients([world.organiser, world.committee] * (CLICKS // 2))
    statuses = _press_all(crowd, f"/c/{world.community.slug}/meetings/{meeting.id}/minutes/amendments/"
                                 f"{amendment.id}/accept")
    assert 500 not in statuses and set(statuses) <= {200, 303}, statuses
    numbers = db.session.execute(db.select(MinutesVersion.number).where(MinutesVersion.meeting_id == meeting.id)
                                 .order_by(MinutesVersion.number)).scalars().all()
    assert numbers == [1, 2]


def test_simultaneous_promotions_make_one_proposal(world, make_meeting, clients):
    meeting = held_meeting(make_meeting)
    sign_in(meeting, world.organiser, world.neighbour)
    note = notes.add(meeting, text="路灯太暗\n希望加装", upload=None, actor=world.neighbour, now=utcnow())
    db.session.commit()
    crowd = clients([world.neighbour, world.organiser, world.committee] * (CLICKS // 3))
    statuses = _press_all(crowd, f"/c/{world.community.slug}/meetings/{meeting.id}/notes/{note.id}/promote")
    assert 500 not in statuses and set(statuses) == {303}, statuses
    assert db.session.scalar(db.select(db.func.count()).select_from(Proposal)) == 1
