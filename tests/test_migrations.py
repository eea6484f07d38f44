"""Migrations build the schema from empty, on SQLite and PostgreSQL, and agree with the models."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect

from civic import create_app
from civic.extensions import db
from civic.search.models import include_object
from tests.conftest import TEST_CONFIG, fresh_postgres_database


@pytest.fixture
def empty_database(database_uri, is_postgres, tmp_path):
    if not is_postgres:
        yield f"sqlite:///{tmp_path}/migrations.sqlite"
        return
    with fresh_postgres_database(database_uri, "civic_migr") as url:
        yield url


def test_upgrade_from_empty_matches_the_models_and_downgrades(empty_database):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": empty_database})
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True, "include_object": include_object}), db.metadata)
        assert diff == [], f"models and migrations disagree: {diff}"
        with db.engine.connect() as conn:  # the search index's engine-specific parts exist too
            inspector = inspect(conn)
            if conn.dialect.name == "sqlite":
                assert "search_fts" in inspector.get_table_names()
            else:
                assert "tsv" in {c["name"] for c in inspector.get_columns("search_documents")}
        downgrade(revision="base")
        with db.engine.connect() as conn:
            assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_cli_db_upgrade_runs(empty_database):
    app = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": empty_database})
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    engine = create_engine(empty_database)
    assert {"households", "memberships", "audit_events"} <= set(inspect(engine).get_table_names())
    engine.dispose()
    with app.app_context():
        db.engine.dispose()
