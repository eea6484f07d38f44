"""Races: 200 members of one household cast at once (PostgreSQL); two interleaved casts on SQLite never hit SQLITE_BUSY."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from civic.clock import utcnow
from civic.extensions import db
from civic.voting import casting, electorate
from civic.voting.models import Answer, Ballot, BallotRecord, Elector
from tests.concurrency import household_crowd, signed_in_clients

MEMBERS = 200
WORKERS = 20


def test_two_hundred_members_of_one_household_leave_exactly_one_ballot(app, vworld, make_vote, is_postgres):
    if not is_postgres:
        pytest.skip("concurrency is tested on PostgreSQL (SQLite serialises writers)")
    users = household_crowd(vworld.h703.id, MEMBERS, "voter")
    clients = signed_in_clients(app, users)
    vote = make_vote(owners_only=False)
    url = f"/c/{vworld.community.slug}/votes/{vote.id}/ballot"

    def press(index: int) -> int:
        headers = {"HX-Request": "true"} if index % 2 else {}
        answer = ("for", "against", "abstain")[index % 3]
        return clients[index].post(url, data={"answer": answer}, headers=headers).status_code

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        statuses = list(pool.map(press, range(MEMBERS)))
    assert 500 not in statuses and set(statuses) <= {200, 303}, sorted(set(statuses))
    db.session.rollback()
    elector = db.session.query(Elector).filter_by(vote_id=vote.id, household_id=vworld.h703.id).one()
    ballots = db.session.query(Ballot).filter_by(vote_id=vote.id).all()
    assert len(ballots) == 1 and ballots[0].elector_id == elector.id and ballots[0].revision == MEMBERS
    records = db.session.query(BallotRecord).filter_by(vote_id=vote.id).order_by(BallotRecord.id).all()
    assert len(records) == MEMBERS
    assert records[-1].receipt == ballots[0].receipt  # the latest cast is the one that counts


def test_two_interleaved_casts_on_sqlite_wait_instead_of_failing(app, vworld, make_vote, is_postgres):
    """Each thread reads first (a deferred read transaction), then both cast: BEGIN IMMEDIATE makes the second wait."""
    if is_postgres:
        pytest.skip("SQLite's write lock is what this tests")
    vote = make_vote(owners_only=False)
    plan = [(vworld.resident.id, Answer.FOR), (vworld.neighbour.id, Answer.AGAINST),
            (vworld.family.id, Answer.ABSTAIN), (vworld.leader.id, Answer.FOR)]
    both_read = threading.Barrier(len(plan))
    errors: list[BaseException] = []

    def run(user_id: int, answer: Answer) -> None:
        with app.app_context():
            try:
                from civic.accounts.models import User
                actor = db.session.get(User, user_id)
                v = db.session.get(type(vote), vote.id)
                elector = electorate.electors_of(v, user_id)[0]  # the read that opens a deferred transaction
                both_read.wait(timeout=10)
                casting.cast(vote.id, elector_id=elector.id, actor=actor, answer=answer, marks={}, now=utcnow())
                db.session.commit()
            except BaseException as error:  # noqa: BLE001 - reported below
                errors.append(error)
                db.session.rollback()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=item) for item in plan]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    db.session.rollback()
    ballots = db.session.query(Ballot).filter_by(vote_id=vote.id).all()
    assert len(ballots) == 3  # 王阿姨 and 王叔叔 share h701: one ballot, the later one
    assert db.session.query(BallotRecord).filter_by(vote_id=vote.id).count() == 4
