"""Benchmark (not a test): a vote with 15,000 household ballots in 200 buildings — the tally, one cast, a burst.

(a) `tally.compute` (the Art. 278 panel's figures, aggregated in SQL): median and p95 of 20 runs (target < 100 ms);
(b) casting one ballot through the test client with htmx: median/p95 server time, queries, fragment bytes
    (targets < 20 ms, < 3 KB);
(c) PostgreSQL only: 2,000 ballots from distinct households fired at gunicorn (4 workers) from a thread pool
    within a minute — errors (must be 0), throughput, latency percentiles, and the ballots in the database after.

Electors, users and ballots are inserted in bulk (executemany / INSERT … SELECT). The burst's residents sign in
through the real login form; their password hashes use a cheap PBKDF2 round count so that 2,000 sign-ins do not
take minutes of CPU (the login code path is the site's own). Run: `make bench` (SQLite: a and b) or
`DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/voting.py` (a fresh database; a–c).
"""
from __future__ import annotations

import argparse
import http.cookiejar
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Integer, cast, event, func, insert, literal, select  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from bench.requests import database_uri  # noqa: E402
from bench.threads import measure, report  # noqa: E402
from civic import create_app  # noqa: E402
from civic.accounts.models import User  # noqa: E402
from civic.clock import utcnow  # noqa: E402
from civic.community.models import Building, Community, Household, Membership, Role, RoleGrant  # noqa: E402
from civic.extensions import db  # noqa: E402
from civic.projects.models import Category, Stage  # noqa: E402
from civic.projects.services import create_project, move_stage  # noqa: E402
from civic.voting import electorate  # noqa: E402
from civic.voting.decision import apply_rule  # noqa: E402
from civic.voting.models import (Ballot, BallotMark, BallotRecord, Channel, Elector, Method, Preset,  # noqa: E402
                                 State, Vote, VoteChoice)

HOUSEHOLDS, BUILDINGS = 15_000, 200
BURST = 2_000  # distinct households casting through gunicorn (PostgreSQL only)
PASSWORD = "bench-password"
FRAGMENT_LIMIT = 3 * 1024
CHOICES = ("方案A：80个充电位", "方案B：60个充电位", "方案C：100个充电位")


def _area(index: int) -> Decimal:
    """Realistic spread: 50–180 m², two flat types per building."""
    return Decimal(50 + (index * 37) % 130) + Decimal(index % 100) / 100


def _roster(community_id: int) -> list[int]:
    """BUILDINGS buildings × 75 households (25 floors × 3 units), in two executemany statements."""
    ids = list(db.session.scalars(insert(Building).returning(Building.id, sort_by_parameter_order=True), [
        {"community_id": community_id, "name": f"{b + 1}号楼", "sort_key": f"{b + 1:05d}"} for b in range(BUILDINGS)]))
    per = HOUSEHOLDS // BUILDINGS
    return list(db.session.scalars(insert(Household).returning(Household.id, sort_by_parameter_order=True), [
        {"building_id": ids[i // per], "room": f"{(i % per) // 3 + 1}{i % 3 + 1:02d}", "area_m2": _area(i)}
        for i in range(HOUSEHOLDS)]))


def _people(community_id: int, households: list[int]) -> list[int]:
    """u0 (committee) and u1 … u{BURST+1}: one owner per household, the first BURST + 2 households."""
    cheap = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1")
    users = list(db.session.scalars(insert(User).returning(User.id, sort_by_parameter_order=True), [
        {"username": f"u{i}", "display_name": f"居民{i}", "password_hash": cheap} for i in range(BURST + 2)]))
    db.session.execute(insert(Membership), [{"user_id": u, "household_id": households[i]} for i, u in enumerate(users)])
    db.session.add(RoleGrant(community_id=community_id, user_id=users[0], role=Role.RESIDENTS_COMMITTEE))
    return users


def _vote(community: Community, committee: User) -> Vote:
    """An open single-choice vote under Art. 278 (other matters) over the whole community, electorate frozen."""
    now = utcnow()
    project = create_project(community, title="电瓶车集中停车棚和充电桩", description_md="全小区表决。",
                             category=Category.PARKING_CHARGING, buildings=[], actor=committee, now=now)
    for stage in (Stage.DELIBERATING, Stage.VOTING):
        move_stage(project, stage, "议事会形成决议，进入下一阶段。", committee, now)
    vote = Vote(community_id=community.id, project_id=project.id, title="车棚方案表决", method=Method.SINGLE,
                opens_at=now - timedelta(days=2), closes_at=now + timedelta(days=5), state=State.OPEN, opened_at=now,
                results_live=True, created_by_id=committee.id,
                choices=[VoteChoice(position=i, label=label) for i, label in enumerate(CHOICES, 1)])
    apply_rule(vote, Preset.ART278_OTHER)
    db.session.add(vote)
    db.session.flush()
    electorate.snapshot(vote)
    return vote


def _ballots(vote: Vote, skip_households: set[int]) -> int:
    """A ballot for every elector except the burst's households: Ballot and BallotRecord rows, then the marks."""
    choice_ids = [c.id for c in vote.choices]
    electors = db.session.execute(select(Elector.id, Elector.household_id, Elector.building_id, Elector.area_m2)
                                  .where(Elector.vote_id == vote.id).order_by(Elector.id)).all()
    now, rows = utcnow(), []
    for i, (elector_id, household_id, building_id, area) in enumerate(electors):
        if household_id in skip_households:
            continue
        choice = choice_ids[(i * 7) % 10 % 3]  # roughly 40 / 30 / 30
        rows.append({"vote_id": vote.id, "elector_id": elector_id, "household_id": household_id,
                     "building_id": building_id, "area_m2": area, "marks_key": str(choice), "receipt": f"R{i:015d}",
                     "cast_at": now - timedelta(minutes=i % 2000), "channel": Channel.ONLINE, "revision": 1})
    db.session.execute(insert(Ballot), rows)
    db.session.execute(insert(BallotRecord), [{k: r[k] for k in ("vote_id", "elector_id", "receipt", "marks_key",
                                                                 "cast_at", "channel")} for r in rows])
    db.session.execute(insert(BallotMark).from_select(
        ["ballot_id", "choice_id", "vote_id", "value"],
        select(Ballot.id, cast(Ballot.marks_key, Integer), Ballot.vote_id, literal(1))
        .where(Ballot.vote_id == vote.id)))
    return len(rows)


def build(app, burst: bool) -> dict:  # noqa: ANN001
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        community = Community(slug="bench", name="康城社区", street="莘庄镇", district="闵行区")
        db.session.add(community)
        db.session.flush()
        households = _roster(community.id)
        users = _people(community.id, households)
        vote = _vote(community, db.session.get(User, users[0]))
        skip = set(households[2:BURST + 2]) if burst else set()
        count = _ballots(vote, skip)
        db.session.commit()
        print(f"generated {HOUSEHOLDS} households in {BUILDINGS} buildings, {len(users)} users and {count} ballots "
              f"in {time.perf_counter() - started:.1f} s")
        return {"vote": vote.id, "choices": [c.id for c in vote.choices], "burst_users": users[2:BURST + 2]}


def _tally_times(app, vote_id: int, runs: int) -> tuple[float, float, int]:  # noqa: ANN001
    from civic.voting import tally

    with app.app_context():
        timings, cpu = [], []
        for _ in range(runs):
            db.session.expire_all()
            vote = db.session.get(Vote, vote_id)
            started, started_cpu = time.perf_counter(), time.process_time()
            result = tally.compute(vote)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        counted = db.session.scalar(select(func.count()).select_from(Ballot).where(Ballot.vote_id == vote_id))
    timings.sort()
    print(f"  (tally of {result.counted:,} counted ballots, {counted:,} in the database; median CPU of this process "
          f"{statistics.median(cpu):.1f} ms — the wall time includes waiting for a busy machine)")
    return statistics.median(timings), timings[max(int(len(timings) * 0.95) - 1, 0)], counted


# --- (c) the burst through gunicorn -----------------------------------------------------------------------------

def gunicorn_app():  # noqa: ANN201
    """The app gunicorn serves in the burst: the environment's database; no rate limit, no CSRF (as in every bench)."""
    return create_app({"RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "bench"})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start_gunicorn(uri: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": uri, "SECRET_KEY": "bench"}
    gunicorn = Path(sys.executable).with_name("gunicorn")
    proc = subprocess.Popen([str(gunicorn), "-w", "4", "-b", f"127.0.0.1:{port}", "--log-level", "warning",
                             "bench.voting:gunicorn_app()"], cwd=ROOT, env=env)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=10).read()
            return proc
        except OSError:  # not listening yet (URLError), or a cold worker still importing (timeout)
            time.sleep(0.3)
    _stop(proc)
    raise RuntimeError("gunicorn did not start")


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=40)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        return None


def _opener():  # noqa: ANN202
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect)


def _post(opener, url: str, data: dict, headers=None) -> tuple[int, float]:  # noqa: ANN001
    request = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode(), headers=headers or {})
    started = time.perf_counter()
    try:
        with opener.open(request, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, (time.perf_counter() - started) * 1000


def _sign_in(base: str, index: int):  # noqa: ANN202
    opener = _opener()
    try:
        status, _ms = _post(opener, f"{base}/login", {"username": f"u{index}", "password": PASSWORD})
    except OSError as error:  # a timeout or a refused connection: a failed sign-in, reported below
        print(f"  sign-in u{index}: {error!r}")
        return None
    return opener if status == 303 else None


def burst(uri: str, ids: dict, threads: int) -> None:
    port = _free_port()
    proc = _start_gunicorn(uri, port)
    base = f"http://127.0.0.1:{port}"
    try:
        started = time.perf_counter()
        with ThreadPoolExecutor(threads) as pool:
            openers = list(pool.map(lambda i: _sign_in(base, i), range(2, BURST + 2)))
        failed_logins = sum(o is None for o in openers)
        print(f"\nsigned in {BURST - failed_logins} of {BURST} residents through the login form in "
              f"{time.perf_counter() - started:.1f} s")
        url, htmx = f"{base}/c/bench/votes/{ids['vote']}/ballot", {"HX-Request": "true"}
        choices = ids["choices"]

        def fire(i: int) -> tuple[int, float]:
            if openers[i] is None:
                return 0, 0.0
            try:
                return _post(openers[i], url, {"choice": choices[i % 3]}, htmx)
            except OSError as error:  # counted as an error (status 1), never silently dropped
                print(f"  cast {i}: {error!r}")
                return 1, 0.0

        started = time.perf_counter()
        with ThreadPoolExecutor(threads) as pool:
            results = list(pool.map(fire, range(BURST)))
        elapsed = time.perf_counter() - started
    finally:
        _stop(proc)
    _burst_report(results, elapsed, threads)


def _burst_report(results: list[tuple[int, float]], elapsed: float, threads: int) -> None:
    errors = [status for status, _ms in results if status != 200]
    latencies = sorted(ms for status, ms in results if status == 200)
    pct = lambda p: latencies[max(int(len(latencies) * p) - 1, 0)] if latencies else 0  # noqa: E731
    print(f"burst of {BURST} ballots (distinct households), gunicorn -w 4, {threads} client threads:")
    print(f"  {len(results) - len(errors)} ok, {len(errors)} errors {sorted(set(errors)) if errors else ''}; "
          f"{elapsed:.1f} s ({len(results) / elapsed:.0f} ballots/s; target: all within 60 s)")
    if latencies:
        print(f"  latency ms: median {statistics.median(latencies):.1f}, p90 {pct(0.9):.1f}, p95 {pct(0.95):.1f}, "
              f"p99 {pct(0.99):.1f}, max {latencies[-1]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40, help="casts through the test client")
    parser.add_argument("--tally-runs", type=int, default=20)
    parser.add_argument("--threads", type=int, default=32, help="client threads of the burst")
    args = parser.parse_args()
    on_pg = bool(os.environ.get("DATABASE_URL"))
    uri, drop = database_uri(on_pg)
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "bench",
                          "RATELIMIT_ENABLED": False})
        ids = build(app, burst=on_pg)
        counter = [0]
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", lambda *a: counter.__setitem__(0, counter[0] + 1))
        client = app.test_client()
        assert client.post("/login", data={"username": "u1", "password": PASSWORD}).status_code == 303
        cast_url = f"/c/bench/votes/{ids['vote']}/ballot"
        sample = client.post(cast_url, headers={"HX-Request": "true"}, data={"choice": ids["choices"][0]})
        assert sample.status_code == 200 and b"receipt-code" in sample.data, sample.data[:400]
        started_cpu = time.process_time()
        rows = [(f"cast a ballot (htmx), household of {HOUSEHOLDS:,}",
                 measure(client, "POST", cast_url, args.runs, counter, headers={"HX-Request": "true"},
                         data={"choice": ids["choices"][1]})),
                ("cast a ballot (plain, 303)",
                 measure(client, "POST", cast_url, max(args.runs // 4, 5), counter, status=303,
                         data={"choice": ids["choices"][2]}))]
        cpu = (time.process_time() - started_cpu) * 1000 / (args.runs + max(args.runs // 4, 5))
        print(f"\n{uri.split(':')[0]}, a vote of {HOUSEHOLDS:,} households in {BUILDINGS} buildings, runs={args.runs}")
        report(rows)
        fragment = rows[0][1][3]
        print(f"cast fragment: {fragment:.0f} bytes ({'under' if fragment < FRAGMENT_LIMIT else 'OVER'} the "
              f"{FRAGMENT_LIMIT}-byte target); median {rows[0][1][0]:.1f} ms (target < 20 ms); "
              f"CPU of this process per cast {cpu:.1f} ms")
        if on_pg:
            burst(uri, ids, args.threads)
        median, p95, counted = _tally_times(app, ids["vote"], args.tally_runs)
        print(f"tally.compute over {counted:,} ballots: median {median:.1f} ms, p95 {p95:.1f} ms "
              f"({args.tally_runs} runs; target < 100 ms)")
        if on_pg and counted != HOUSEHOLDS:
            print(f"  LOST OR EXTRA BALLOTS: expected {HOUSEHOLDS}, found {counted}")
    finally:
        drop()


if __name__ == "__main__":
    main()
