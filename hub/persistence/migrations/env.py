"""Alembic environment. The URL or an open connection comes from ``hub.persistence.migrate``."""

from alembic import context

from hub.persistence.database import build_engine
from hub.persistence.tables import metadata

config = context.config


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def _run(connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def _url() -> str:
    """From ``hub.persistence.migrate``; on the ``alembic`` command line (alembic.ini) from the
    hub's own configuration (``KETENHUB_DATABASE_URL``, else the embedded database)."""
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from hub.config import Config

    return Config.from_env().effective_database_url


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = build_engine(_url())
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
