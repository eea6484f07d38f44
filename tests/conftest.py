"""Test fixtures in the flaskr style: an app per test, a client, and factories that return callables.

The suite runs on SQLite by default and on PostgreSQL when DATABASE_URL names one; on PostgreSQL it
creates a fresh database for the run (never touching the one in DATABASE_URL) and drops it after.
"""
from __future__ import annotations

import contextvars
from contextlib import contextmanager
import itertools
import os
import re
import uuid
from decimal import Decimal

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.engine import make_url

from civic import create_app
from civic.accounts.models import User
from civic.community import invites
from civic.community.models import Building, Community, Household, MemberKind, Membership, Role, RoleGrant
from civic.config import database_url
from civic.clock import utcnow
from civic.extensions import db

PASSWORD = "correct horse battery"
IS_CI = os.environ.get("CI", "").lower() == "true"


def _admin_connect(url):
    import psycopg

    return psycopg.connect(host=url.host or "127.0.0.1", port=url.port or 5432, user=url.username or "postgres",
                           password=url.password, dbname=url.database or "postgres", autocommit=True)


@contextmanager
def fresh_postgres_database(server_url: str, prefix: str):
    """A new, empty database on the server of `server_url`, dropped afterwards; yields its URL."""
    base = make_url(server_url)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    with _admin_connect(base) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with _admin_connect(base) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def database_uri(tmp_path_factory):
    if not os.environ.get("DATABASE_URL", "").strip():
        yield "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite")
        return
    # database_url() normalises postgres:// to postgresql+psycopg://
    with fresh_postgres_database(database_url("."), "civic_test") as url:
        yield url


@pytest.fixture(scope="session")
def is_postgres(database_uri) -> bool:
    return database_uri.startswith("postgresql")


TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key",
    "WTF_CSRF_ENABLED": False,
    "RATELIMIT_ENABLED": False,
    "SERVER_NAME": None,
}


@pytest.fixture(scope="session")
def _schema(database_uri):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_uri})
    with app.app_context():
        db.drop_all()
        db.create_all()
    return True


def _empty_all_tables(is_postgres: bool) -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    if is_postgres:
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


class IsolatedClient(FlaskClient):
    """Each request runs outside the test's app context, as in production: its own `g`, session, locale.

    Afterwards the test's session is rolled back so that it reads what the request committed.
    """

    def open(self, *args, **kwargs):
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            db.session.rollback()
        return response


@pytest.fixture
def make_app(database_uri, _schema, is_postgres):
    """Build an app with extra settings; every app shares the test database, emptied after the test."""
    made = []

    def build(**overrides):
        app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_uri, **overrides})
        app.test_client_class = IsolatedClient
        made.append(app)
        return app

    yield build
    if made:
        with made[0].app_context():
            db.session.remove()
            _empty_all_tables(is_postgres)
    # Each app has its own engine and pool: close their connections now, not whenever the garbage collector
    # frees the app (on PostgreSQL the leftovers of ~1,700 tests would exhaust max_connections).
    for made_app in made:
        with made_app.app_context():
            for engine in db.engines.values():
                engine.dispose()


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


_seq = itertools.count(1)


@pytest.fixture
def make_community(app):
    def make(**overrides) -> Community:
        n = next(_seq)
        community = Community(**{"slug": f"c{n}", "name": f"测试居民区{n}", "street": "嘉兴路街道",
                                 "district": "虹口区", **overrides})
        db.session.add(community)
        db.session.commit()
        return community

    return make


@pytest.fixture
def make_building(app, make_community):
    def make(community: Community | None = None, **overrides) -> Building:
        community = community or make_community()
        name = overrides.pop("name", f"{next(_seq)}号楼")
        building = Building(community=community, name=name, **overrides)
        db.session.add(building)
        db.session.commit()
        return building

    return make


@pytest.fixture
def make_household(app, make_building):
    def make(building: Building | None = None, *, with_code: bool = True, **overrides) -> Household:
        building = building or make_building()
        household = Household(building=building, **{"room": f"{next(_seq)}01", "area_m2": Decimal("88.50"),
                                                    **overrides})
        db.session.add(household)
        if with_code:
            invites.issue_codes([household], utcnow())
        db.session.commit()
        return household

    return make


@pytest.fixture
def make_user(app):
    def make(**overrides) -> User:
        n = next(_seq)
        password = overrides.pop("password", PASSWORD)
        user = User(**{"username": f"user{n}", "display_name": f"居民{n}", **overrides})
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_member(app, make_user, make_household):
    """A user living in a household (a new one unless given)."""

    def make(household: Household | None = None, kind: MemberKind = MemberKind.OWNER, **user_overrides) -> User:
        household = household or make_household()
        user = make_user(**user_overrides)
        db.session.add(Membership(user=user, household=household, kind=kind))
        db.session.commit()
        return user

    return make


@pytest.fixture
def grant(app):
    def do(user: User, community: Community, role: Role, buildings=()) -> RoleGrant:
        row = RoleGrant(user=user, community=community, role=role, buildings=list(buildings))
        db.session.add(row)
        db.session.commit()
        return row

    return do


def login(client, username: str, password: str = PASSWORD, **extra):
    return client.post("/login", data={"username": username, "password": password, **extra})


@pytest.fixture
def login_as(client):
    def do(user: User, password: str = PASSWORD):
        response = login(client, user.username, password)
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        return client

    return do


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or \
        re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)
