"""Engine construction: SQLite in WAL mode for the embedded default, PostgreSQL via psycopg 3."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from hub.persistence.together import send_queued_before_statements


def normalise_url(url: str) -> str:
    """Use psycopg 3 for plain ``postgresql://`` URLs (SQLAlchemy would pick psycopg2)."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def build_engine(url: str, *, for_writes: bool = True) -> Engine:
    """``for_writes=False`` on SQLite gives an engine whose transactions begin deferred: in WAL
    mode such a reader neither waits for nor blocks the writer, so a read model can be loaded
    while the same thread holds a write transaction."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite's own transaction handling defers BEGIN; emit it ourselves so a unit of
        # work really is one transaction (SQLAlchemy docs, "Serializable isolation").
        begin = "BEGIN IMMEDIATE" if for_writes else "BEGIN"
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql(begin))
        return engine
    # No pre-ping: it costs a round trip per checkout. A connection the server dropped fails its
    # first statement, the unit of work answers 503 and the pool replaces it.
    engine = create_engine(url, pool_size=10, max_overflow=10, pool_recycle=1800)
    send_queued_before_statements(engine)
    return engine


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    dbapi_connection.isolation_level = None  # type: ignore[attr-defined]
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()
