"""Benchmark (not a test): proposal threads at scale — 15,000 households, 5,000 proposals, a 5,000-comment thread.

Prints median and p95 milliseconds of server time (in-process WSGI calls), SQL queries per request and
fragment sizes. Run: `make bench` (SQLite) or
`DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/threads.py` (a fresh database).
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, insert  # noqa: E402

from bench.requests import HOUSEHOLDS, database_uri, scale_roster  # noqa: E402
from civic import create_app  # noqa: E402
from civic.accounts.models import User  # noqa: E402
from civic.clock import utcnow  # noqa: E402
from civic.community import roster  # noqa: E402
from civic.community.models import Community, Household, Membership, Role, RoleGrant  # noqa: E402
from civic.extensions import db  # noqa: E402
from civic.projects.models import Category  # noqa: E402
from civic.proposals.models import Proposal, ProposalStatus, Second, proposal_buildings  # noqa: E402
from civic.search.cli import rebuild  # noqa: E402
from civic.threads.models import Comment, Opinion, Thread, ThreadKind  # noqa: E402
from civic.web.markdown import render  # noqa: E402

PROPOSALS = 5_000
HOT_COMMENTS = 5_000
SMALL_COMMENTS = 50
PEOPLE = 300
PASSWORD = "bench-password"
WORDS = ["电梯", "停车", "物业", "垃圾厢房", "充电桩", "绿化", "路灯", "楼道", "会客厅", "漏水", "噪音", "消防通道"]
CATEGORIES = list(Category)


def _people(community: Community) -> list[tuple[int, int]]:
    """PEOPLE residents, one per household spread over the buildings; returns (user id, household id)."""
    households = db.session.execute(db.select(Household.id).order_by(Household.id)).scalars().all()
    step = len(households) // PEOPLE
    users = [User(username=f"b{i}", display_name=f"居民{i}", password_hash="x") for i in range(PEOPLE)]
    db.session.add_all(users)
    db.session.flush()
    db.session.add_all(Membership(user_id=u.id, household_id=households[i * step]) for i, u in enumerate(users))
    users[0].set_password(PASSWORD)
    db.session.add(RoleGrant(community=community, user=users[0], role=Role.RESIDENTS_COMMITTEE))
    return [(u.id, households[i * step]) for i, u in enumerate(users)]


def _threads(community_id: int, count: int) -> list[int]:
    return list(db.session.scalars(insert(Thread).returning(Thread.id),
                                   [{"community_id": community_id, "kind": ThreadKind.PROPOSAL}] * count))


def _proposals(community_id: int, people, building_ids, rng) -> list[int]:
    now, thread_ids, rows = utcnow(), _threads(community_id, PROPOSALS), []
    for i, thread_id in enumerate(thread_ids):
        uid, hid = people[i % len(people)]
        word = WORDS[i % len(WORDS)]
        body = f"关于{word}的问题：第{i}号提议，希望大家一起商量解决。"
        at = now - timedelta(minutes=PROPOSALS - i)
        rows.append({"community_id": community_id, "thread_id": thread_id, "author_id": uid, "household_id": hid,
                     "title": f"{word}改造提议 {i}", "body_md": body, "body_html": render(body),
                     "category": CATEGORIES[i % len(CATEGORIES)], "status": ProposalStatus.OPEN,
                     "created_at": at, "published_at": at, "last_activity_at": at,
                     "second_count": rng.randint(0, 40)})
    ids = list(db.session.scalars(insert(Proposal).returning(Proposal.id), rows))
    db.session.execute(insert(proposal_buildings),
                       [{"proposal_id": pid, "building_id": building_ids[i % len(building_ids)]}
                        for i, pid in enumerate(ids)])
    db.session.execute(insert(Second), [{"proposal_id": pid, "household_id": people[j][1], "user_id": people[j][0]}
                                        for pid in ids[:500] for j in range(20)])
    return ids


def _comments(thread_id: int, count: int, people, rng, crowded: bool = False) -> None:
    """count comments: four in five top-level; the rest are replies, one under every fourth top-level comment
    (`--crowded`: all of them under the first 200, the worst case for the first page)."""
    now, top_count = utcnow(), count * 4 // 5
    opinions = [None, None, Opinion.FOR, Opinion.AGAINST, Opinion.QUESTION]

    def row(i, parent_id=None):
        uid, hid = people[i % len(people)]
        body = f"第{i}楼：{WORDS[i % len(WORDS)]}的事情我{rng.choice(['支持', '有疑问', '不太同意'])}，**请物业**看看。"
        return {"thread_id": thread_id, "author_id": uid, "household_id": hid, "parent_id": parent_id,
                "opinion": opinions[i % len(opinions)], "body_md": body, "body_html": render(body),
                "created_at": now - timedelta(seconds=count - i), "changed_version": i + 1}

    top_ids = list(db.session.scalars(insert(Comment).returning(Comment.id), [row(i) for i in range(top_count)]))
    parents = [top_ids[i % 200] if crowded else top_ids[(i * 4) % len(top_ids)] for i in range(count - top_count)]
    db.session.execute(insert(Comment), [row(top_count + i, parent) for i, parent in enumerate(parents)])
    db.session.execute(db.update(Thread).where(Thread.id == thread_id)
                       .values(comment_count=count, version=count, last_comment_at=now))


def build(app, crowded: bool = False) -> dict:  # noqa: ANN001
    rng = random.Random(5000)
    with app.app_context():
        db.create_all()
        community = Community(slug="bench", name="康城社区", street="莘庄镇", district="闵行区")
        db.session.add(community)
        db.session.flush()
        roster.import_rows(community, scale_roster(HOUSEHOLDS), None, utcnow())
        people = _people(community)
        building_ids = db.session.execute(db.text("select id from buildings order by id")).scalars().all()
        started = time.perf_counter()
        ids = _proposals(community.id, people, building_ids, rng)
        hot, small = db.session.get(Proposal, ids[-1]), db.session.get(Proposal, ids[-2])
        _comments(hot.thread_id, HOT_COMMENTS, people, rng, crowded)
        _comments(small.thread_id, SMALL_COMMENTS, people, rng)
        db.session.commit()
        print(f"generated {PROPOSALS} proposals and {HOT_COMMENTS + SMALL_COMMENTS} comments "
              f"in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        rebuild(community)
        db.session.commit()
        print(f"search index rebuilt in {time.perf_counter() - started:.1f} s")
        thread = db.session.get(Thread, hot.thread_id)
        return {"hot": hot.id, "small": small.id, "thread": thread.id, "version": thread.version,
                "building": building_ids[0]}


def measure(client, method: str, url: str, runs: int, counter: list[int], *, status: int = 200,
            headers=None, data=None):  # noqa: ANN001
    timings, queries, sizes = [], [], []
    for _ in range(runs):
        counter[0] = 0
        started = time.perf_counter()
        response = client.open(url, method=method, headers=headers or {}, data=data)
        timings.append((time.perf_counter() - started) * 1000)
        queries.append(counter[0])
        sizes.append(len(response.get_data()))
        assert response.status_code == status, (url, response.status_code, response.get_data(as_text=True)[:300])
    timings.sort()
    return statistics.median(timings), timings[max(int(len(timings) * 0.95) - 1, 0)], statistics.median(queries), \
        statistics.median(sizes)


def report(rows) -> None:  # noqa: ANN001
    print(f"{'request':46} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'bytes':>8}")
    for name, (median, p95, queries, size) in rows:
        print(f"{name:46} {median:10.2f} {p95:8.2f} {queries:8.0f} {size:8.0f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--crowded", action="store_true", help="put all 1,000 replies under the first 200 comments")
    args = parser.parse_args()
    uri, drop = database_uri(bool(os.environ.get("DATABASE_URL")))
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "bench",
                          "RATELIMIT_ENABLED": False})
        ids = build(app, args.crowded)
        counter = [0]
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", lambda *a: counter.__setitem__(0, counter[0] + 1))
        client = app.test_client()
        client.post("/login", data={"username": "b0", "password": PASSWORD})
        htmx = {"HX-Request": "true"}
        n, c = args.runs, counter
        hot, small, thread = ids["hot"], ids["small"], ids["thread"]
        rows = [
            ("proposal + thread of 5,000, first page", measure(client, "GET", f"/c/bench/proposals/{hot}", n, c)),
            ("proposal + thread of 50, first page", measure(client, "GET", f"/c/bench/proposals/{small}", n, c)),
            ("thread of 5,000, newest first",
             measure(client, "GET", f"/c/bench/proposals/{hot}?order=newest", n, c)),
            ("proposal list of 5,000, newest", measure(client, "GET", "/c/bench/proposals", n, c)),
            ("proposal list, most seconded", measure(client, "GET", "/c/bench/proposals?sort=seconded", n, c)),
            ("proposal list, most active, page 40 (htmx)",
             measure(client, "GET", "/c/bench/proposals?sort=active&page=40", n, c, headers=htmx)),
            ("proposal list, one building",
             measure(client, "GET", f"/c/bench/proposals?building={ids['building']}", n, c)),
            ("poll, nothing new (204)", measure(client, "GET", f"/c/bench/threads/{thread}/updates?v={ids['version']}",
                                                n * 5, c, status=204, headers=htmx)),
            ("search 电梯 (5,000 proposals + comments)", measure(client, "GET", "/c/bench/search?q=电梯", n, c)),
            ("post a comment (htmx fragment)",
             measure(client, "POST", f"/c/bench/threads/{thread}/comments", max(n // 4, 5), c, headers=htmx,
                     data={"body": "我同意，**尽快**落实。", "opinion": "for"})),
        ]
        print(f"\n{uri.split(':')[0]}, {HOUSEHOLDS} households, {PROPOSALS} proposals, runs={n}")
        report(rows)
    finally:
        drop()


if __name__ == "__main__":
    main()
