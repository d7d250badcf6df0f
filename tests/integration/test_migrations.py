"""Migrations build exactly the schema the code expects, on SQLite and on PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from hub.persistence.database import build_engine
from hub.persistence.migrate import current_heads, downgrade, upgrade
from hub.persistence.tables import metadata


def test_migrations_create_the_schema_the_tables_describe(database_url):
    engine = build_engine(database_url)
    try:
        upgrade(engine)
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                    metadata)
            version = MigrationContext.configure(conn).get_current_revision()
        assert diff == []
        assert (version,) == current_heads()
    finally:
        engine.dispose()


def test_migrations_go_down_to_nothing_and_up_again(database_url):
    engine = build_engine(database_url)
    try:
        upgrade(engine)
        downgrade(engine, "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        upgrade(engine)
        assert "tenants" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def test_upgrading_twice_is_harmless(database_url):
    engine = build_engine(database_url)
    try:
        upgrade(engine)
        upgrade(engine)
        assert "api_keys" in inspect(engine).get_table_names()
    finally:
        engine.dispose()
