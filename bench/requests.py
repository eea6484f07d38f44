"""Benchmark (not a test): build a 15,000-household community, then time the registry pages.

Prints median and p95 milliseconds and SQL queries per request. Run: `make bench`
(or `DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/requests.py --fresh-db`).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event  # noqa: E402

from civic import create_app  # noqa: E402
from civic.clock import utcnow  # noqa: E402
from civic.community import roster  # noqa: E402
from civic.community.models import Community, Household, Membership, Role, RoleGrant  # noqa: E402
from civic.extensions import db  # noqa: E402
from civic.accounts.models import User  # noqa: E402

HOUSEHOLDS = 15_000


def scale_roster(count: int) -> list[roster.RosterRow]:
    """count households: 30 floors × 4 units a building (125 buildings for 15,000)."""
    rows = []
    for index in range(count):
        building, rest = divmod(index, 120)
        floor, unit = divmod(rest, 4)
        area = Decimal(55 + (index * 37) % 125) + Decimal(index % 100) / 100
        rows.append(roster.RosterRow(index + 2, f"{building + 1}号楼", f"{floor + 1}{unit + 1:02d}", area, None))
    return rows


def database_uri(fresh_pg: bool) -> tuple[str, callable]:
    url = os.environ.get("DATABASE_URL")
    if url and fresh_pg:
        import psycopg
        from sqlalchemy.engine import make_url

        from civic.config import database_url

        base = make_url(database_url("."))
        name = f"civic_bench_{uuid.uuid4().hex[:8]}"
        admin = dict(host=base.host, port=base.port or 5432, user=base.username, dbname=base.database, autocommit=True)
        with psycopg.connect(**admin) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

        def drop():
            with psycopg.connect(**admin) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return base.set(database=name).render_as_string(hide_password=False), drop
    path = Path(tempfile.mkdtemp()) / "bench.sqlite"
    return f"sqlite:///{path}", lambda: None


def build(app) -> tuple[Community, User]:
    with app.app_context():
        db.create_all()
        community = Community(slug="bench", name="康城社区", street="莘庄镇", district="闵行区")
        db.session.add(community)
        db.session.flush()
        started = time.perf_counter()
        roster.import_rows(community, scale_roster(HOUSEHOLDS), None, utcnow())
        db.session.commit()
        print(f"roster import of {HOUSEHOLDS} households: {time.perf_counter() - started:.2f} s")
        started = time.perf_counter()
        roster.import_rows(community, scale_roster(HOUSEHOLDS), None, utcnow())
        db.session.commit()
        print(f"re-import of the same {HOUSEHOLDS} rows (no changes): {time.perf_counter() - started:.2f} s")
        admin = User(username="bench", display_name="测量员")
        admin.set_password("bench-password")
        household = db.session.execute(db.select(Household).limit(1)).scalar_one()
        db.session.add_all([admin, Membership(user=admin, household=household),
                            RoleGrant(community=community, user=admin, role=Role.ADMIN)])
        db.session.commit()
        return community.id


def measure(client, url: str, runs: int, counter: list[int], headers=None) -> tuple[float, float, float]:
    timings, queries = [], []
    for _ in range(runs):
        counter[0] = 0
        started = time.perf_counter()
        response = client.get(url, headers=headers or {})
        timings.append((time.perf_counter() - started) * 1000)
        queries.append(counter[0])
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1], statistics.median(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--fresh-db", action="store_true", help="with DATABASE_URL: use a new PostgreSQL database")
    args = parser.parse_args()
    uri, drop = database_uri(args.fresh_db or bool(os.environ.get("DATABASE_URL")))
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "bench",
                          "RATELIMIT_ENABLED": False})
        build(app)
        counter = [0]
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", lambda *a: counter.__setitem__(0, counter[0] + 1))
            building_id = db.session.execute(db.text("select min(id) from buildings")).scalar()
        client = app.test_client()
        client.post("/login", data={"username": "bench", "password": "bench-password"})
        pages = [
            ("community home", "/c/bench/", None),
            ("households, page 1 of 300", "/c/bench/households", None),
            ("households, page 150 (htmx)", "/c/bench/households?page=150", {"HX-Request": "true"}),
            ("households of one building", f"/c/bench/households?building={building_id}", None),
            ("invite slips, 120 QR codes", f"/c/bench/invites/slips?building={building_id}", None),
            ("audit log", "/c/bench/audit", None),
        ]
        engine = uri.split(":")[0]
        print(f"\n{engine}, {HOUSEHOLDS} households, {args.runs} runs each")
        print(f"{'page':34} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
        for name, url, headers in pages:
            runs = max(args.runs // 4, 5) if "slips" in name else args.runs
            median, p95, queries = measure(client, url, runs, counter, headers)
            print(f"{name:34} {median:10.1f} {p95:8.1f} {queries:8.0f}")
    finally:
        drop()


if __name__ == "__main__":
    main()
