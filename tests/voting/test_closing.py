"""Closing: the stored tally, the deadline command (due, not due, twice), ballots after the close, SQLite threads."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from civic.accounts.models import User
from civic.audit.models import AuditEvent
from civic.clock import utcnow
from civic.extensions import db
from civic.projects.models import ProjectEvent
from civic.voting import closing, tally
from civic.voting.casting import VoteNotOpen
from civic.voting.models import Answer, Ballot, State, Vote
from tests.voting.closing_support import cast_for, many_households


def _close_due_vote(make_vote, minutes: int = 5) -> Vote:
    """An open vote whose deadline passed `minutes` ago (opened an hour before it)."""
    now = utcnow()
    vote = make_vote(opens_at=now - timedelta(hours=1), closes_at=now + timedelta(minutes=30))
    vote.closes_at = now - timedelta(minutes=minutes)
    db.session.commit()
    return vote


def test_a_committee_close_stores_the_tally_of_the_ballot_rows(vworld, make_vote):
    vote = make_vote()
    cast_for(vote, vworld.resident, Answer.FOR)
    cast_for(vote, vworld.neighbour, Answer.AGAINST)
    now = utcnow()
    closing.close(vote.id, actor=vworld.committee, now=now)
    db.session.commit()
    db.session.refresh(vote)
    assert vote.state is State.CLOSED and vote.closed_at == now and vote.closed_by_id == vworld.committee.id
    assert vote.counted_ballots == 2 and len(vote.digest) == 64
    fresh = tally.compute(vote)
    assert vote.tally == fresh.to_json() and vote.digest == fresh.digest
    assert tally.recount(vote.id).matches
    event = db.session.execute(db.select(ProjectEvent).where(ProjectEvent.kind == "vote_closed")).scalar_one()
    assert event.detail["vote_id"] == vote.id and event.detail["how"] == "committee"
    audit = db.session.execute(db.select(AuditEvent).where(AuditEvent.action == "vote.close")).scalar_one()
    assert audit.actor_id == vworld.committee.id and audit.detail["counted"] == 2


def test_a_closed_vote_cannot_be_closed_again_and_refuses_ballots(vworld, make_vote):
    vote = make_vote()
    cast_for(vote, vworld.resident)
    closing.close(vote.id, actor=vworld.committee, now=utcnow())
    db.session.commit()
    with pytest.raises(closing.NotClosable):
        closing.close(vote.id, actor=vworld.owners_committee, now=utcnow())
    db.session.rollback()
    with pytest.raises(VoteNotOpen):
        cast_for(vote, vworld.neighbour)
    db.session.rollback()
    assert db.session.query(Ballot).filter_by(vote_id=vote.id).count() == 1 == vote.counted_ballots


def test_the_deadline_close_has_no_actor_and_is_not_early(vworld, make_vote):
    vote = make_vote()
    with pytest.raises(closing.NotClosable):
        closing.close(vote.id, actor=None, now=utcnow())  # the deadline has not come
    db.session.rollback()
    assert db.session.get(Vote, vote.id).state is State.OPEN


def test_close_due_closes_due_votes_only_and_twice_is_harmless(vworld, make_vote):
    due = _close_due_vote(make_vote)
    not_due = make_vote(title="还没到期")
    cast_for(not_due, vworld.resident)
    now = utcnow()
    assert closing.close_due(now) == [due.id]
    assert closing.close_due(now) == []
    db.session.expire_all()
    assert db.session.get(Vote, due.id).state is State.CLOSED and db.session.get(Vote, due.id).closed_by_id is None
    assert db.session.get(Vote, due.id).counted_ballots == 0
    assert db.session.get(Vote, not_due.id).state is State.OPEN
    assert db.session.query(AuditEvent).filter_by(action="vote.close").count() == 1


def test_the_command_closes_due_votes(vworld, make_vote, runner):
    due = _close_due_vote(make_vote)
    result = runner.invoke(args=["votes", "close-due"])
    assert result.exit_code == 0, result.output
    assert "closed 1 vote(s)" in result.output
    again = runner.invoke(args=["votes", "close-due"])
    assert "closed 0 vote(s)" in again.output
    db.session.expire_all()
    assert db.session.get(Vote, due.id).state is State.CLOSED


def test_two_runs_at_once_close_each_vote_once(app, vworld, make_vote, is_postgres):
    votes = [_close_due_vote(make_vote) for _i in range(3)]
    now = utcnow()

    def run(_index: int) -> list[int]:
        with app.app_context():
            return closing.close_due(now)

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(run, range(2)))
    assert sorted(results[0] + results[1]) == sorted(v.id for v in votes)
    db.session.rollback()
    assert db.session.query(AuditEvent).filter_by(action="vote.close").count() == 3


@pytest.fixture
def sqlite_only(is_postgres):
    if is_postgres:
        pytest.skip("the PostgreSQL race is tested in test_closing_concurrency.py")


def test_on_sqlite_casts_and_a_close_do_not_interleave(app, vworld, make_vote, sqlite_only):
    """Threads casting while a close runs: the stored tally equals the rows; later casts are refused, none lost."""
    users = many_households(vworld.b7, 24, "t")
    vote = make_vote(buildings=[vworld.b7])
    ids = [u.id for u in users]
    done, half = [], threading.Event()

    def cast(user_id: int) -> str:
        with app.app_context():
            user = db.session.get(User, user_id)
            try:
                cast_for(db.session.get(Vote, vote.id), user)
            except VoteNotOpen:
                db.session.rollback()
                return "refused"
            done.append(user_id)
            if len(done) >= len(ids) // 2:
                half.set()
            return "counted"

    def close() -> None:
        half.wait(30)
        with app.app_context():
            closing.close(vote.id, actor=db.session.get(User, vworld.committee.id), now=utcnow())
            db.session.commit()

    with ThreadPoolExecutor(max_workers=6) as pool:
        closer = pool.submit(close)
        outcomes = list(pool.map(cast, ids))
        closer.result()
    db.session.rollback()
    stored = db.session.get(Vote, vote.id)
    rows = db.session.query(Ballot).filter_by(vote_id=vote.id).count()
    assert outcomes.count("counted") == rows == stored.counted_ballots
    assert outcomes.count("counted") + outcomes.count("refused") == len(ids)
    assert rows >= len(ids) // 2 and tally.recount(vote.id).matches
