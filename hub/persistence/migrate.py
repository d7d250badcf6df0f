"""Apply Alembic migrations programmatically (``ketenhub db upgrade``, ``serve``, tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Engine

from hub.persistence.database import normalise_url

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database behind ``engine`` to ``revision``."""
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str) -> None:
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def current_heads() -> tuple[str, ...]:
    from alembic.script import ScriptDirectory

    return tuple(ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads())


def current_revision(engine: Engine) -> str | None:
    """The revision the database behind ``engine`` is at (None: not migrated at all)."""
    from alembic.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def schema_drift(engine: Engine) -> list[str]:
    """What stands between the database and the code: a missing migration, or tables that
    differ from ``hub.persistence.tables``. Empty when the database is exactly current."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from hub.persistence.tables import metadata

    problems: list[str] = []
    revision = current_revision(engine)
    heads = current_heads()
    if (revision,) != heads:
        problems.append(f"revision {revision or 'none'}, expected {', '.join(heads)}")
        return problems
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                metadata)
    problems.extend(_describe(item) for item in diff)
    return problems


def _describe(item: object) -> str:
    """One line per difference: the operation and the table (and column) it concerns."""
    first = item[0] if isinstance(item, list) else item
    if isinstance(first, tuple):
        names = [getattr(part, "name", part) for part in first[1:4] if isinstance(part, str)
                 or hasattr(part, "name")]
        return " ".join([str(first[0]), *map(str, names)])
    return str(first)
