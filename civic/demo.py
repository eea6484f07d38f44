"""`flask seed-demo`: a realistic demo neighbourhood modelled on the seed reports, idempotent."""
from __future__ import annotations

import random
from decimal import Decimal

import click
from flask.cli import with_appcontext
from werkzeug.security import generate_password_hash

from civic.accounts.models import User, find_by_username
from civic.clock import utcnow
from civic.community import roster
from civic.community.models import Building, Community, Household, MemberKind, Membership, Role, RoleGrant
from civic.extensions import db

DEMO_PASSWORD = "civic-demo-2026"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈"
SUFFIXES = ("阿姨", "叔叔", "老师", "先生", "女士", "阿婆", "老伯", "师傅", "小姐", "同学")

MAIN = {"slug": "anqiu", "name": "安丘居民区", "street": "嘉兴路街道", "district": "虹口区"}
SMALL = {"slug": "hongye", "name": "虹叶居民区", "street": "嘉兴路街道", "district": "虹口区"}

# (login, display name, role, buildings led) — the three carriages, designers, leaders, an expert.
STAFF = [
    ("admin", "社区管理员", Role.ADMIN, ()),
    ("juwei", "陈书记", Role.RESIDENTS_COMMITTEE, ()),
    ("yewei", "周主任", Role.OWNERS_COMMITTEE, ()),
    ("wuye", "物业沈经理", Role.PROPERTY_MANAGEMENT, ()),
    ("sheji1", "林设计师", Role.DESIGNER, ()),
    ("sheji2", "许老师", Role.DESIGNER, ()),
    ("louzu1", "王阿姨", Role.BUILDING_LEADER, ("二期1号楼", "二期2号楼", "二期3号楼")),
    ("louzu2", "李老伯", Role.BUILDING_LEADER, ("四期7号楼", "四期8号楼")),
    ("louzu3", "张师傅", Role.BUILDING_LEADER, ("四期12号楼",)),
    ("zhuanjia", "郑工", Role.EXPERT, ()),
    ("louzu4", "孙阿姨", Role.BUILDING_LEADER, ("二期6号楼", "二期7号楼", "二期8号楼")),
    ("zhuanjia2", "何工", Role.EXPERT, ()),
]


def main_roster() -> list[roster.RosterRow]:
    """1,760 households: 瑞虹新城二期 20 buildings and 四期 24 buildings, 20 floors × 2 units each."""
    rng, rows, line = random.Random(278), [], 2
    for phase, count in (("二期", 20), ("四期", 24)):
        for number in range(1, count + 1):
            building, grid = f"{phase}{number}号楼", f"{phase}{'ABCD'[(number - 1) // 6]}网格"
            base = [Decimal(rng.choice([58, 72, 89, 96])), Decimal(rng.choice([118, 132, 145, 176]))]
            for floor in range(1, 21):
                for unit in (1, 2):
                    area = base[unit - 1] + Decimal(rng.randint(0, 150)) / 100
                    rows.append(roster.RosterRow(line, building, f"{floor}{unit:02d}", area, grid))
                    line += 1
    return rows


def small_roster() -> list[roster.RosterRow]:
    return [roster.RosterRow(i + 2, f"{b}号楼", f"{f}0{u}", Decimal("66.50") + u * 20, None)
            for i, (b, f, u) in enumerate((b, f, u) for b in (1, 2) for f in range(1, 6) for u in (1, 2))]


def _community(spec: dict) -> Community:
    community = db.session.execute(db.select(Community).where(Community.slug == spec["slug"])).scalar_one_or_none()
    if community is None:
        community = Community(**spec)
        db.session.add(community)
        db.session.flush()
    return community


def _user(username: str, display_name: str, password_hash: str) -> User:
    user = find_by_username(username)
    if user is None:
        user = User(username=username, display_name=display_name, password_hash=password_hash)
        db.session.add(user)
        db.session.flush()
    return user


def _join(user: User, household: Household, kind: MemberKind) -> None:
    exists = db.session.execute(db.select(Membership.id).where(
        Membership.user_id == user.id, Membership.household_id == household.id)).first()
    if not exists:
        db.session.add(Membership(user=user, household=household, kind=kind))


def _grant(community: Community, user: User, role: Role, building_names) -> None:  # noqa: ANN001
    exists = db.session.execute(db.select(RoleGrant.id).where(
        RoleGrant.community_id == community.id, RoleGrant.user_id == user.id, RoleGrant.role == role)).first()
    if not exists:
        buildings = [b for b in community.buildings if b.name in building_names]
        db.session.add(RoleGrant(community=community, user=user, role=role, buildings=buildings))


def _households(community: Community) -> list[Household]:
    return list(db.session.execute(
        db.select(Household).join(Building).where(Building.community_id == community.id)
        .order_by(Building.sort_key, Household.id)).scalars())


def _residents(community: Community, households: list[Household], prefix: str, count: int, pw: str) -> list[str]:
    rng, logins = random.Random(prefix), []
    step = max(len(households) // count, 1)
    for index in range(count):
        name = rng.choice(SURNAMES) + rng.choice(SUFFIXES)
        login = f"{prefix}{index + 1:02d}"
        user = _user(login, name, pw)
        _join(user, households[index * step], MemberKind.OWNER if index % 4 else MemberKind.FAMILY)
        logins.append(login)
    return logins


def seed(now=None) -> dict:  # noqa: ANN001
    now = now or utcnow()
    pw = generate_password_hash(DEMO_PASSWORD)
    main, small = _community(MAIN), _community(SMALL)
    roster.import_rows(main, main_roster(), None, now)
    roster.import_rows(small, small_roster(), None, now)
    db.session.flush()
    db.session.expire_all()
    main_households = _households(main)
    for index, (login, name, role, led) in enumerate(STAFF):
        user = _user(login, name, pw)
        _grant(main, user, role, led)
        if role in (Role.DESIGNER, Role.BUILDING_LEADER):
            _join(user, main_households[-(index + 1)], MemberKind.OWNER)
    residents = _residents(main, main_households, "jumin", 50, pw)
    small_admin = _user("hongye_admin", "虹叶社区管理员", pw)
    _grant(small, small_admin, Role.ADMIN, ())
    small_residents = _residents(small, _households(small), "hongye", 5, pw)
    db.session.commit()
    from civic import demo_threads

    demo_threads.seed(main, residents, "juwei", now)
    db.session.commit()
    from civic import demo_meetings

    demo_meetings.seed(main, residents, now)
    db.session.commit()
    from civic import demo_designs

    demo_designs.seed(main, residents, now)
    db.session.commit()
    from civic import demo_votes

    demo_votes.seed(main, now)
    db.session.commit()
    return {"main": main, "small": small, "staff": [s[0] for s in STAFF], "residents": residents,
            "small_logins": ["hongye_admin", *small_residents]}


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Create (or refresh) the demo communities and print the demo logins."""
    result = seed()
    click.echo(f"{result['main'].name} (/c/{result['main'].slug}/) and {result['small'].name} "
               f"(/c/{result['small'].slug}/) are ready. Every demo password: {DEMO_PASSWORD}")
    click.echo("Staff of 安丘: " + ", ".join(result["staff"]))
    click.echo(f"Residents of 安丘: {result['residents'][0]} … {result['residents'][-1]}")
    click.echo("虹叶 (the second community): " + ", ".join(result["small_logins"]))
