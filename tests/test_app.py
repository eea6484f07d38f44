"""The skeleton: configuration, the vendored htmx pin, the database engine settings."""
import hashlib
from pathlib import Path

import pytest
from sqlalchemy import text

from civic import create_app
from civic.config import ConfigError
from civic.extensions import db

ROOT = Path(__file__).resolve().parent.parent
HTMX_SHA256 = "d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717"  # htmx.org@2.0.11 dist/htmx.min.js


def test_htmx_is_the_pinned_2_0_11_build():
    data = (ROOT / "static/vendor/htmx-2.0.11.min.js").read_bytes()
    assert hashlib.sha256(data).hexdigest() == HTMX_SHA256
    assert b'version:"2.0.11"' in data


def test_layout_loads_the_vendored_htmx_and_no_cdn(client):
    html = client.get("/").get_data(as_text=True)
    assert "/static/vendor/htmx-2.0.11.min.js" in html
    assert "//unpkg" not in html and "cdn" not in html.lower()


def test_sessions_survive_network_changes_but_not_logout(app):
    from civic.extensions import login

    assert login.session_protection == "basic"  # phones change networks: never "strong"


def test_create_app_applies_overrides(app):
    assert app.config["TESTING"] is True
    assert app.config["MAX_CONTENT_LENGTH"] > 0
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["REMEMBER_COOKIE_DURATION"].days == 30


def test_production_refuses_to_start_without_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("CIVIC_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("CIVIC_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ConfigError):
        create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})


def test_production_cookies_are_secure(monkeypatch, tmp_path):
    monkeypatch.setenv("CIVIC_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 32)
    monkeypatch.setenv("CIVIC_INSTANCE_PATH", str(tmp_path))
    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]


def test_development_key_is_generated_once_and_kept_in_instance(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("CIVIC_ENV", raising=False)
    monkeypatch.setenv("CIVIC_INSTANCE_PATH", str(tmp_path))
    first = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config["SECRET_KEY"]
    second = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://"}).config["SECRET_KEY"]
    assert first == second == (tmp_path / "secret_key").read_text().strip()
    assert len(first) >= 64


def test_default_database_is_a_sqlite_file_under_instance(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("CIVIC_INSTANCE_PATH", str(tmp_path))
    app = create_app({"SECRET_KEY": "k"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/civic.sqlite"


def test_database_url_selects_postgresql(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgres://u@db.example/civic")
    monkeypatch.setenv("CIVIC_INSTANCE_PATH", str(tmp_path))
    app = create_app({"SECRET_KEY": "k"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/civic"


def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(app, is_postgres):
    if is_postgres:
        assert db.session.execute(text("select 1")).scalar() == 1
        return
    conn = db.session.connection()
    assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000
