"""Benchmark (not a test): design options — the matrix of 5 options, an option page with 7 versions, a version page,
compare, a thumbnail (and its Cache-Control).

Prints median and p95 milliseconds of server time (in-process WSGI calls), median CPU milliseconds of this process
and SQL queries per request. Run:
`make bench` (SQLite) or
`DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/designs.py` (a fresh database).
Target (issue 6): matrix and option page under 30 ms median.
"""
from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event  # noqa: E402
from werkzeug.datastructures import FileStorage  # noqa: E402

from bench.requests import database_uri, scale_roster  # noqa: E402
from civic import create_app  # noqa: E402
from civic.accounts.models import User  # noqa: E402
from civic.clock import utcnow  # noqa: E402
from civic.community import roster  # noqa: E402
from civic.community.models import Community, Household, Membership, Role, RoleGrant  # noqa: E402
from civic.community.rules import standing_of  # noqa: E402
from civic.designs import pins, services  # noqa: E402
from civic.designs.drawings import RoomPlan, room_plan  # noqa: E402
from civic.extensions import db  # noqa: E402
from civic.projects.models import Category, Project, Stage  # noqa: E402
from civic.threads import owners  # noqa: E402
from civic.threads.services import new_thread, post_comment  # noqa: E402
from civic.threads.models import ThreadKind  # noqa: E402

HOUSEHOLDS = 600
OPTIONS = 5
VERSIONS = 7  # of 方案A
PICTURES = 2  # per version
PINS, COMMENTS = 2, 1  # per version of 方案A, plus THREAD_COMMENTS on its thread
THREAD_COMMENTS = 12
PASSWORD = "bench-password"


def _user(name: str, login: str, household: Household) -> User:
    user = User(username=login, display_name=name)
    user.set_password(PASSWORD)
    db.session.add_all([user, Membership(user=user, household=household)])
    return user


def _pictures(label: str, number: int) -> list[FileStorage]:
    """PICTURES distinct plan drawings (what a designer uploads: ~1200×900 PNG)."""
    plans = [RoomPlan(f"方案{label} v{number}", f"第{number}版 图{i + 1}", bins=4 + number % 5, sink=number > 2,
                      canopy_m=1.0 + 0.2 * i, deodoriser=number > 4, smart=i == 1, tree=number % 2 == 0)
             for i in range(PICTURES)]
    return [FileStorage(io.BytesIO(room_plan(p).png), f"plan-{label}{number}-{i}.png", content_type="image/png")
            for i, p in enumerate(plans)]


def _spec(i: int) -> dict:
    return {"cost_yuan": Decimal(96_000 + 5_000 * i), "area_m2": Decimal("24.0") + i, "capacity": 6 + i % 3,
            "capacity_unit": "个桶位", "build_days": 30 + i, "yearly_fee_yuan": Decimal(i * 2), "spec_notes": "含除臭"}


def _discuss(option, version, residents: list[User], community: Community) -> None:  # noqa: ANN001
    now = utcnow()
    for i in range(PINS):
        who = residents[i % len(residents)]
        pins.add_pin(option, version, version.files[i % len(version.files)], author=who,
                     standing=standing_of(who, community), body=f"第{version.number}版这里要改一下（{i + 1}）",
                     x=Decimal("0.3") + Decimal(i) / 10, y=Decimal("0.5"), now=now)
    for i in range(COMMENTS):
        who = residents[(i + 1) % len(residents)]
        pins.comment_on_version(option, version, author=who, standing=standing_of(who, community),
                                body=f"v{version.number} 总体不错。", now=now)


def _options(project: Project, community: Community, designer: User, residents: list[User]) -> list:
    made = []
    for index in range(OPTIONS):
        option = services.create_option(project, actor=designer, title=f"方案 {index + 1} 的选址", summary="说明",
                                        now=utcnow())
        for number in range(1, (VERSIONS if index == 0 else 1) + 1):
            version = services.add_version(option, project, actor=designer, uploads=_pictures(option.label, number),
                                           change_note=f"第{number}版：**调整**桶位和雨棚", spec=_spec(number + index),
                                           now=utcnow())
            if number == 1:
                services.publish(option, project, actor=designer, now=utcnow())
            if index == 0:
                _discuss(option, version, residents, community)
        made.append(option)
    thread, owner = made[0].thread, owners.owner_of(made[0].thread)
    for i in range(THREAD_COMMENTS):
        who = residents[i % len(residents)]
        post_comment(thread, owner, author=who, standing=standing_of(who, community), body=f"意见 {i}",
                     opinion=None, now=utcnow())
    return made


def build(app) -> dict:  # noqa: ANN001
    with app.app_context():
        db.create_all()
        community = Community(slug="bench", name="康城社区", street="莘庄镇", district="闵行区")
        db.session.add(community)
        db.session.flush()
        roster.import_rows(community, scale_roster(HOUSEHOLDS), None, utcnow())
        homes = list(db.session.execute(db.select(Household).limit(8)).scalars())
        reader = _user("测量员", "bench", homes[0])
        designer = _user("林设计师", "designer", homes[1])
        residents = [reader] + [_user(f"居民{i}", f"r{i}", homes[2 + i]) for i in range(5)]
        committee = User(username="chair", display_name="陈书记", password_hash="!")
        db.session.add_all([committee, RoleGrant(community=community, user=designer, role=Role.DESIGNER),
                            RoleGrant(community=community, user=committee, role=Role.RESIDENTS_COMMITTEE)])
        project = Project(community_id=community.id, thread=new_thread(community.id, ThreadKind.PROJECT),
                          title="垃圾厢房改造", description_md="", description_html="",
                          category=Category.GARBAGE_ROOM, stage=Stage.DESIGNING, created_by=committee)
        db.session.add(project)
        db.session.flush()
        started = time.perf_counter()
        options = _options(project, community, designer, residents)
        db.session.commit()
        a = options[0]
        print(f"build: {OPTIONS} options, {VERSIONS + OPTIONS - 1} versions, "
              f"{(VERSIONS + OPTIONS - 1) * PICTURES} pictures stored in {time.perf_counter() - started:.1f} s")
        return {"project": project.id, "option": a.id, "v6": a.versions[5].id, "v7": a.versions[6].id,
                "other": options[1].versions[0].id, "thumb": a.versions[6].files[0].phone_name}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--fresh-db", action="store_true", help="with DATABASE_URL: use a new PostgreSQL database")
    args = parser.parse_args()
    uri, drop = database_uri(args.fresh_db or bool(os.environ.get("DATABASE_URL")))
    uploads = tempfile.mkdtemp(prefix="civic-bench-uploads-")
    try:
        app = create_app({"SQLALCHEMY_DATABASE_URI": uri, "WTF_CSRF_ENABLED": False, "SECRET_KEY": "bench",
                          "RATELIMIT_ENABLED": False, "UPLOAD_DIR": uploads})
        made = build(app)
        run(app, made, uri, args.runs)
    finally:
        drop()
        shutil.rmtree(uploads, ignore_errors=True)


def measure(client, url: str, runs: int, counter: list[int], headers=None) -> tuple[float, float, float, float]:  # noqa: ANN001
    """Like bench.requests.measure, plus this process's CPU time: steadier than wall time on a busy machine
    (it leaves out the PostgreSQL server's own work)."""
    client.get(url, headers=headers or {})  # warm the template cache
    wall, cpu, queries = [], [], []
    for _ in range(runs):
        counter[0] = 0
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url, headers=headers or {})
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        queries.append(counter[0])
        assert response.status_code == 200, (url, response.status_code)
    wall.sort()
    return statistics.median(wall), wall[int(len(wall) * 0.95) - 1], statistics.median(cpu), statistics.median(queries)


def run(app, made: dict, uri: str, runs: int) -> None:  # noqa: ANN001
    counter = [0]
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", lambda *a: counter.__setitem__(0, counter[0] + 1))
    client = app.test_client()
    client.post("/login", data={"username": "bench", "password": PASSWORD})
    project, option = f"/c/bench/projects/{made['project']}/designs", f"/c/bench/designs/{made['option']}"
    pages = [
        (f"matrix, {OPTIONS} options", f"{project}/matrix", None),
        (f"option page, {VERSIONS} versions", option, None),
        ("option list of the project", project, None),
        ("version page v5 (pins)", f"{option}/v5", None),
        ("compare v6 / v7, slider", f"{project}/compare?a={made['v6']}&b={made['v7']}&mode=slider", None),
        ("compare across options (htmx)", f"{project}/compare?a={made['v7']}&b={made['other']}",
         {"HX-Request": "true"}),
        ("thumbnail (phone)", f"/c/bench/designs/files/{made['thumb']}", None),
    ]
    print(f"\n{uri.split(':')[0]}, {runs} runs each")
    print(f"{'page':34} {'median ms':>10} {'p95 ms':>8} {'cpu ms':>7} {'queries':>8}")
    for name, url, headers in pages:
        median, p95, cpu, queries = measure(client, url, runs, counter, headers)
        print(f"{name:34} {median:10.1f} {p95:8.1f} {cpu:7.1f} {queries:8.0f}")
    thumb = client.get(pages[-1][1])
    print(f"thumbnail Cache-Control: {thumb.headers.get('Cache-Control')}  "
          f"({thumb.headers.get('Content-Type')}, {len(thumb.get_data())} bytes)")


if __name__ == "__main__":
    main()
