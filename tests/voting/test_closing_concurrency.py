"""PostgreSQL only: 100 ballots with a committee close fired in the middle (20 runs); carriages signing at once."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from civic.accounts.models import User
from civic.audit.models import AuditEvent
from civic.clock import utcnow
from civic.community.models import Community
from civic.community.rules import standing_of
from civic.extensions import db
from civic.voting import casting, closing, signoff, tally
from civic.voting.casting import VoteNotOpen
from civic.voting.models import Answer, Ballot, Caster, SignAction, SignOff, State, Vote
from tests.concurrency import signed_in_clients
from tests.voting.closing_support import many_households

BALLOTS = 100
RUNS = 20
WORKERS = 12  # within the pool (5 + 10 overflow), leaving room for the close


@pytest.fixture
def crowd(vworld, is_postgres):
    if not is_postgres:
        pytest.skip("concurrency is tested on PostgreSQL (SQLite serialises writers; see test_closing.py)")
    return [u.id for u in many_households(vworld.b7, BALLOTS, "race")]


def _electors(vote: Vote, user_ids: list[int]) -> dict[int, int]:
    rows = db.session.execute(db.select(Caster.user_id, Caster.elector_id).where(
        Caster.vote_id == vote.id, Caster.user_id.in_(user_ids)))
    return dict(rows.all())


def _one_run(app, vote_id: int, electors: dict[int, int], closer_id: int) -> list[str]:  # noqa: ANN001
    """Every household casts at once; when half have been counted, the committee closes the vote."""
    counted, half = [], threading.Event()

    def cast(user_id: int) -> str:
        with app.app_context():
            try:
                casting.cast(vote_id, elector_id=electors[user_id], actor=db.session.get(User, user_id),
                             answer=Answer.FOR if user_id % 3 else Answer.AGAINST, marks={}, now=utcnow())
                db.session.commit()
            except VoteNotOpen:
                db.session.rollback()
                return "refused"
            counted.append(user_id)
            if len(counted) >= BALLOTS // 2:
                half.set()
            return "counted"

    def close() -> None:
        half.wait(30)
        with app.app_context():
            closing.close(vote_id, actor=db.session.get(User, closer_id), now=utcnow())
            db.session.commit()

    closer = threading.Thread(target=close)
    closer.start()
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        outcomes = list(pool.map(cast, electors))
    closer.join(60)
    return outcomes


def test_a_close_among_100_ballots_stores_exactly_the_counted_rows_in_20_runs(app, vworld, make_vote, crowd):
    committee_id = vworld.committee.id
    middles = 0
    for run in range(RUNS):
        vote = make_vote(title=f"第{run + 1}轮", buildings=[vworld.b7])
        outcomes = _one_run(app, vote.id, _electors(vote, crowd), committee_id)
        db.session.rollback()
        stored = db.session.get(Vote, vote.id)
        rows = db.session.query(Ballot).filter_by(vote_id=vote.id).count()
        assert stored.state is State.CLOSED
        assert outcomes.count("counted") + outcomes.count("refused") == BALLOTS, f"run {run}: a ballot was lost"
        assert outcomes.count("counted") == rows == stored.counted_ballots, f"run {run}"
        fresh = tally.compute(stored)
        assert stored.digest == fresh.digest and stored.tally == fresh.to_json(), f"run {run}"
        middles += 0 < outcomes.count("refused") < BALLOTS
    # The close lands among the ballots (not after the stream dries up: the lock queue is fair, see locks.py).
    assert middles >= RUNS // 2


def test_ballots_posted_during_the_close_are_counted_or_answered_409(app, vworld, make_vote, crowd):
    vote = make_vote(buildings=[vworld.b7], signoffs_required=1)
    users = db.session.execute(db.select(User).where(User.id.in_(crowd))).scalars().all()
    clients = signed_in_clients(app, users)
    committee = signed_in_clients(app, [vworld.committee])[0]
    base = f"/c/{vworld.community.slug}/votes/{vote.id}"
    done, half = [], threading.Event()

    def post(client) -> int:  # noqa: ANN001
        status = client.post(f"{base}/ballot", data={"answer": "for"}).status_code
        done.append(status)
        if len(done) >= BALLOTS // 2:
            half.set()
        return status

    def close() -> int:
        half.wait(30)
        return committee.post(f"{base}/sign/close").status_code

    closer_result = []
    closer = threading.Thread(target=lambda: closer_result.append(close()))
    closer.start()
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        statuses = list(pool.map(post, clients))
    closer.join(60)
    assert closer_result == [303]
    assert set(statuses) <= {200, 303, 409}, sorted(set(statuses))
    db.session.rollback()
    stored = db.session.get(Vote, vote.id)
    accepted = sum(1 for s in statuses if s != 409)
    assert accepted == db.session.query(Ballot).filter_by(vote_id=vote.id).count() == stored.counted_ballots


def test_three_carriages_signing_at_once_close_once(app, vworld, make_vote, is_postgres):
    if not is_postgres:
        pytest.skip("concurrency is tested on PostgreSQL")
    vote = make_vote(signoffs_required=2)
    signers = [vworld.committee.id, vworld.owners_committee.id, vworld.property_manager.id]
    start = threading.Barrier(len(signers))

    def sign(user_id: int) -> str:
        with app.app_context():
            user = db.session.get(User, user_id)
            st = standing_of(user, db.session.get(Community, vworld.community.id))
            start.wait(10)
            try:
                completed = signoff.sign(db.session.get(Vote, vote.id), SignAction.CLOSE, actor=user, standing=st,
                                         now=utcnow())
                db.session.commit()
            except signoff.Refused:
                db.session.rollback()
                return "refused"
            return "closed" if completed else "signed"

    with ThreadPoolExecutor(max_workers=len(signers)) as pool:
        outcomes = sorted(pool.map(sign, signers))
    assert outcomes == ["closed", "refused", "signed"]
    db.session.rollback()
    assert db.session.query(SignOff).filter_by(vote_id=vote.id).count() == 2
    assert db.session.query(AuditEvent).filter_by(action="vote.close").count() == 1
    assert db.session.get(Vote, vote.id).state is State.CLOSED
