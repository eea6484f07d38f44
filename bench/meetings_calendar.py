"""Benchmark (not a test): the meeting calendar — a month with 200 meetings, the upcoming/past lists, .ics, print.

Prints median and p95 milliseconds of server time (in-process WSGI calls) and SQL queries per request. Run:
`make bench` (SQLite) or
`DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/meetings_calendar.py` (a fresh database).
"""
from __future__ import annotations

import argparse
import os
import sys
from calendar import monthrange
from datetime import date, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event  # noqa: E402

from bench.requests import database_uri, measure, scale_roster  # noqa: E402
from civic import create_app  # noqa: E402
from civic.accounts.models import User  # noqa: E402
from civic.clock import utcnow  # noqa: E402
from civic.community import roster  # noqa: E402
from civic.community.models import Community, Household, Membership, Role, RoleGrant  # noqa: E402
from civic.extensions import db  # noqa: E402
from civic.meetings.localtime import combine, local_date  # noqa: E402
from civic.meetings.models import (AgendaItem, Meeting, MeetingKind, MeetingStatus, Rsvp,  # noqa: E402
                                   RsvpStatus)
from civic.meetings.services import new_signin_code  # noqa: E402

HOUSEHOLDS = 1_200
IN_MONTH = 200
ELSEWHERE = 120  # spread over the three months before and after
POLLING = 20
PASSWORD = "bench-password"
PLACES = ["一米会客厅", "7号楼架空层", "居委会二楼议事厅", "北门凉亭", "四期5号楼大堂"]
TOPICS = ["垃圾厢房选址", "电瓶车停车棚", "加装电梯意向", "楼道堆物清理", "路灯维修", "会客厅布置"]


def target_month() -> tuple[int, int]:
    """Next month (local): every one of its 200 meetings is upcoming, so the list pages are full too."""
    today = local_date(utcnow())
    return (today.year + today.month // 12, today.month % 12 + 1)


def _meeting(community_id: int, organiser_id: int, i: int, day: date, at: time, now) -> Meeting:  # noqa: ANN001
    starts = combine(day, at)
    return Meeting(community_id=community_id, kind=list(MeetingKind)[i % 3], title=f"{TOPICS[i % len(TOPICS)]} {i}",
                   place=PLACES[i % len(PLACES)], starts_at=starts, ends_at=starts + timedelta(minutes=90),
                   status=MeetingStatus.CANCELLED if i % 10 == 9 else MeetingStatus.SCHEDULED,
                   organiser_id=organiser_id, signin_code=new_signin_code(), created_at=now, updated_at=now)


def _meetings(community_id: int, organiser_id: int) -> list[Meeting]:
    now, (year, month) = utcnow(), target_month()
    days = monthrange(year, month)[1]
    made = [_meeting(community_id, organiser_id, i, date(year, month, 1 + i % days), time(8 + i // days % 13, 0), now)
            for i in range(IN_MONTH)]
    anchor = date(year, month, 15)
    for i in range(ELSEWHERE):
        made.append(_meeting(community_id, organiser_id, IN_MONTH + i, anchor + timedelta(days=30 * (i % 7 - 3) + i % 5),
                             time(9 + i % 10, 30), now))
    made += [Meeting(community_id=community_id, kind=MeetingKind.ROUND_TABLE, status=MeetingStatus.POLLING,
                     title=f"约时间 {i}", place=PLACES[i % len(PLACES)], organiser_id=organiser_id,
                     signin_code=new_signin_code(), created_at=now, updated_at=now) for i in range(POLLING)]
    return made


def build(app) -> dict:  # noqa: ANN001
    with app.app_context():
        db.create_all()
        community = Community(slug="bench", name="康城社区", street="莘庄镇", district="闵行区")
        db.session.add(community)
        db.session.flush()
        roster.import_rows(community, scale_roster(HOUSEHOLDS), None, utcnow())
        user = User(username="bench", display_name="测量员")
        user.set_password(PASSWORD)
        household = db.session.execute(db.select(Household).limit(1)).scalar_one()
        db.session.add_all([user, Membership(user=user, household=household),
                            RoleGrant(community=community, user=user, role=Role.RESIDENTS_COMMITTEE)])
        db.session.flush()
        meetings = _meetings(community.id, user.id)
        db.session.add_all(meetings)
        db.session.flush()
        db.session.add_all(Rsvp(meeting_id=m.id, user_id=user.id, household_id=household.id, status=RsvpStatus.GOING)
                           for m in meetings[:IN_MONTH:4])
        first = meetings[0]
        first.going_count = 1
        db.session.add_all(AgendaItem(meeting_id=first.id, position=i, title=f"议题 {i + 1}", minutes=15)
                           for i in range(8))
        db.session.commit()
        return {"first": first.id}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--fresh-db", action="store_true", help="with DATABASE_URL: use a new PostgreSQL database")
    args = parser.parse_args()
    uri, drop = database_uri(args.fresh_db or bool(os.environ.get("DATABASE_URL")))
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "bench",
                          "RATELIMIT_ENABLED": False})
        made = build(app)
        counter = [0]
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", lambda *a: counter.__setitem__(0, counter[0] + 1))
        client = app.test_client()
        client.post("/login", data={"username": "bench", "password": PASSWORD})
        year, month = target_month()
        base = "/c/bench/meetings"
        pages = [
            (f"month, {IN_MONTH} meetings", f"{base}/month?year={year}&month={month}", None),
            ("month, one kind", f"{base}/month?year={year}&month={month}&kind=deliberation", None),
            ("upcoming list, page 1 + polls", base, None),
            ("upcoming list, page 3 (htmx)", f"{base}?page=3", {"HX-Request": "true"}),
            ("past list", f"{base}?when=past", None),
            ("meeting .ics", f"{base}/{made['first']}/calendar.ics", None),
            ("printable notice (QR)", f"{base}/{made['first']}/print", None),
            ("community home (next 3)", "/c/bench/", None),
        ]
        engine = uri.split(":")[0]
        print(f"\n{engine}, {IN_MONTH} meetings in {year}-{month:02d} + {ELSEWHERE} in other months + {POLLING} polls, "
              f"{args.runs} runs each")
        print(f"{'page':34} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
        for name, url, headers in pages:
            median, p95, queries = measure(client, url, args.runs, counter, headers)
            print(f"{name:34} {median:10.1f} {p95:8.1f} {queries:8.0f}")
    finally:
        drop()


if __name__ == "__main__":
    main()
