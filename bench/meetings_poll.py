"""Benchmark (not a test): a time poll with 20 slots × 300 answers — the meeting page, answering one slot, who answered.

Prints median and p95 milliseconds of server time (in-process WSGI calls), SQL queries per request and response
sizes (answering one slot with htmx must return under 3 KB). Run: `make bench` (SQLite) or
`DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/meetings_poll.py` (a fresh database).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from datetime import time as clock_time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, insert  # noqa: E402

from bench.requests import database_uri, scale_roster  # noqa: E402
from bench.threads import measure, report  # noqa: E402
from civic import create_app  # noqa: E402
from civic.accounts.models import User  # noqa: E402
from civic.clock import utcnow  # noqa: E402
from civic.community import roster  # noqa: E402
from civic.community.models import Community, Household, Membership, Role, RoleGrant  # noqa: E402
from civic.extensions import db  # noqa: E402
from civic.meetings.localtime import combine, local_date  # noqa: E402
from civic.meetings.models import (Meeting, MeetingKind, MeetingStatus, PollAnswer, PollAnswerKind,  # noqa: E402
                                   PollSlot)
from civic.meetings.services import new_signin_code  # noqa: E402

PEOPLE = 300  # one per household, every one answers every slot
SLOTS = 20
PASSWORD = "bench-password"
FRAGMENT_LIMIT = 3 * 1024


def _people(community: Community) -> list[int]:
    """PEOPLE residents: the first organises (committee), the second is a plain resident who answers in the bench."""
    households = db.session.execute(db.select(Household.id).order_by(Household.id)).scalars().all()
    users = [User(username=f"p{i}", display_name=f"居民{i}", password_hash="x") for i in range(PEOPLE)]
    db.session.add_all(users)
    db.session.flush()
    db.session.add_all(Membership(user_id=u.id, household_id=households[i]) for i, u in enumerate(users))
    for user in users[:2]:
        user.set_password(PASSWORD)
    db.session.add(RoleGrant(community=community, user=users[0], role=Role.RESIDENTS_COMMITTEE))
    return [u.id for u in users]


def _poll(community: Community, people: list[int]) -> tuple[int, list[int]]:
    """A POLLING meeting with SLOTS candidate times (two a day, from next week) and PEOPLE answers on each."""
    now, first_day = utcnow(), local_date(utcnow()) + timedelta(days=7)
    meeting = Meeting(community_id=community.id, kind=MeetingKind.DELIBERATION, status=MeetingStatus.POLLING,
                      title="电瓶车棚改造议事会", place="居委会二楼议事厅", organiser_id=people[0],
                      signin_code=new_signin_code(), created_at=now, updated_at=now,
                      poll_deadline_at=now + timedelta(days=5))
    db.session.add(meeting)
    db.session.flush()
    starts = [combine(first_day + timedelta(days=i // 2), clock_time(9 if i % 2 == 0 else 14, 0)) for i in range(SLOTS)]
    slot_ids = list(db.session.scalars(insert(PollSlot).returning(PollSlot.id), [
        {"meeting_id": meeting.id, "starts_at": s, "ends_at": s + timedelta(hours=2)} for s in starts]))
    kinds = list(PollAnswerKind)
    db.session.execute(insert(PollAnswer), [
        {"meeting_id": meeting.id, "slot_id": slot_id, "user_id": uid, "answer": kinds[(i * 7 + j) % 3],
         "answered_at": now}
        for i, slot_id in enumerate(slot_ids) for j, uid in enumerate(people)])
    return meeting.id, slot_ids


def _scheduled(community: Community, organiser_id: int) -> int:
    """The same kind of meeting with its time fixed (no poll): the baseline the poll's cost is read against."""
    now, starts = utcnow(), combine(local_date(utcnow()) + timedelta(days=7), clock_time(14, 0))
    meeting = Meeting(community_id=community.id, kind=MeetingKind.DELIBERATION, status=MeetingStatus.SCHEDULED,
                      title="电瓶车棚改造议事会", place="居委会二楼议事厅", organiser_id=organiser_id,
                      starts_at=starts, ends_at=starts + timedelta(hours=2), signin_code=new_signin_code(),
                      created_at=now, updated_at=now)
    db.session.add(meeting)
    db.session.flush()
    return meeting.id


def build(app) -> tuple[int, list[int], int]:  # noqa: ANN001
    with app.app_context():
        db.create_all()
        community = Community(slug="bench", name="康城社区", street="莘庄镇", district="闵行区")
        db.session.add(community)
        db.session.flush()
        roster.import_rows(community, scale_roster(PEOPLE), None, utcnow())
        started = time.perf_counter()
        people = _people(community)
        meeting_id, slot_ids = _poll(community, people)
        baseline_id = _scheduled(community, people[0])
        db.session.commit()
        print(f"generated a poll of {SLOTS} slots × {PEOPLE} answers in {time.perf_counter() - started:.1f} s")
        return meeting_id, slot_ids, baseline_id


def _client(app, username: str):  # noqa: ANN001, ANN202
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 303, "login failed"
    return client


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    uri, drop = database_uri(bool(os.environ.get("DATABASE_URL")))
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "bench",
                          "RATELIMIT_ENABLED": False})
        meeting_id, slot_ids, baseline_id = build(app)
        counter = [0]
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", lambda *a: counter.__setitem__(0, counter[0] + 1))
        organiser, resident = _client(app, "p0"), _client(app, "p1")
        n, c, htmx = args.runs, counter, {"HX-Request": "true"}
        page, slot = f"/c/bench/meetings/{meeting_id}", f"/c/bench/meetings/{meeting_id}/slots/{slot_ids[3]}"
        rows = [
            ("baseline: a meeting with its time fixed",
             measure(resident, "GET", f"/c/bench/meetings/{baseline_id}", n, c)),
            ("meeting page, resident (20 slots × 300)", measure(resident, "GET", page, n, c)),
            ("meeting page, organiser (+ ranking)", measure(organiser, "GET", page, n, c)),
            ("answer one slot (htmx fragment)",
             measure(resident, "POST", f"{slot}/answer", n, c, headers=htmx, data={"answer": "maybe"})),
            ("answer one slot (plain, 303)",
             measure(resident, "POST", f"{slot}/answer", max(n // 4, 5), c, status=303, data={"answer": "yes"})),
            ("who answered, page 1 of 6", measure(resident, "GET", f"{slot}/answers", n, c)),
            ("who answered, page 4 (htmx block)", measure(resident, "GET", f"{slot}/answers?page=4", n, c,
                                                         headers=htmx)),
        ]
        print(f"\n{uri.split(':')[0]}, a poll of {SLOTS} slots × {PEOPLE} answers, runs={n}")
        report(rows)
        fragment = rows[3][1][3]
        verdict = "under" if fragment < FRAGMENT_LIMIT else "OVER"
        print(f"answer fragment: {fragment:.0f} bytes ({verdict} the {FRAGMENT_LIMIT}-byte target)")
    finally:
        drop()


if __name__ == "__main__":
    main()
