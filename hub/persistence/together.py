"""Several writes in one PostgreSQL statement (data-modifying CTEs), for rows a transaction
writes together — a message, its data key, deliveries, decisions, outbox rows, the intake
hooks' rows and the audit entries with the chain head's move.

Each statement's text is built once per shape (tables, columns, row counts) and sent with the
driver's raw cursor (PostgreSQL's own ``$n`` placeholders): a transaction pays one round trip,
and neither SQLAlchemy's compilation nor the driver's parsing of a text that grows with the
rows. (Arrays per column, ``unnest``, keep the text short but cost more to encode than the
values one by one.) The values go through each column's own bind processing, as with
``insert()``. PostgreSQL checks foreign keys at the end of the statement, when every row is in.

Inside ``SqlUnitOfWork.deferred_writes()`` the repositories' inserts are queued on the
connection (``queue``) and sent with the audit entries when the block ends — or, should any
other statement run on the connection first (a hook that reads, updates or inserts in its own
way), right before it, so that nothing ever reads around a queued row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import psycopg
from sqlalchemy import Connection, Dialect, Engine, Table, event
from sqlalchemy.exc import DBAPIError

#: (table, rows as column → value); every row of a table names the same columns.
Part = tuple[Table, Sequence[dict[str, Any]]]
#: A part with what follows its VALUES (an ``ON CONFLICT`` clause, or nothing).
_Queued = tuple[Table, Sequence[dict[str, Any]], str]
#: A data-modifying statement's text and its parameters (``%s`` placeholders).
Body = tuple[str, list[Any]]
SELECT_NOTHING = "SELECT 1"
#: PostgreSQL takes at most 65,535 parameters in one statement.
MAX_PARAMETERS = 30_000
_DEFERRED = "ketenhub.deferred_writes"


@dataclass
class Deferred:
    """Inserts queued on a connection, and the query that ends their statement."""

    parts: list[_Queued] = field(default_factory=list)
    tail: str = SELECT_NOTHING
    #: Run once before queued inserts are sent early (the audit head's lock, so that in a
    #: block that ends with the audit entries every queued row is written after that lock,
    #: early or not: one lock order for all such transactions).
    before_early_send: Callable[[], None] | None = None


@lru_cache(maxsize=1024)
def _insert_text(table: Table, columns: tuple[str, ...], count: int, suffix: str) -> str:
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    return (f"INSERT INTO {table.name} ({', '.join(columns)}) "
            f"VALUES {', '.join([row] * count)}{' ' + suffix if suffix else ''}")


@lru_cache(maxsize=512)
def _processors(table: Table, columns: tuple[str, ...],
                dialect: Dialect) -> tuple[Callable[[Any], Any] | None, ...]:
    return tuple(table.c[c].type._cached_bind_processor(dialect) for c in columns)  # noqa: SLF001


def insert_bodies(conn: Connection, table: Table, rows: Sequence[dict[str, Any]],
                  suffix: str = "") -> list[Body]:
    """The inserts of ``rows`` (each followed by ``suffix``, e.g. an ``ON CONFLICT`` clause):
    one statement body per chunk of the parameter limit."""
    if not rows:
        return []
    columns = tuple(rows[0])
    processors = _processors(table, columns, conn.dialect)
    per_body = max(1, MAX_PARAMETERS // len(columns))
    bodies: list[Body] = []
    for start in range(0, len(rows), per_body):
        chunk = rows[start:start + per_body]
        params: list[Any] = []
        for row in chunk:
            params += [row[c] if p is None or row[c] is None else p(row[c])
                       for c, p in zip(columns, processors, strict=True)]
        bodies.append((_insert_text(table, columns, len(chunk), suffix), params))
    return bodies


@lru_cache(maxsize=256)
def _statement(texts: tuple[str, ...], tail: str) -> str:
    """The bodies as CTEs before ``tail``, their ``%s`` numbered ``$1 … $n``."""
    ctes = ", ".join(f"w{i} AS ({text})" for i, text in enumerate(texts))
    pieces = f"WITH {ctes} {tail}".split("%s")
    return "".join(piece + (f"${i + 1}" if i + 1 < len(pieces) else "")
                   for i, piece in enumerate(pieces))


def run(conn: Connection, bodies: Sequence[Body], *, tail: str = SELECT_NOTHING) -> None:
    """Every body and then ``tail`` (a query, e.g. a ``pg_notify``) in one statement.

    Sent with the driver's raw cursor (PostgreSQL's own ``$n`` placeholders): the driver
    would otherwise parse the statement's text anew on each call, as it caches only short
    ones. Its errors are raised as SQLAlchemy's, as if sent through it; parameters are never
    part of the message."""
    if not bodies:
        if tail != SELECT_NOTHING:
            conn.exec_driver_sql(tail)
        return
    if sum(len(params) for _, params in bodies) > MAX_PARAMETERS:
        for body in bodies:
            run(conn, [body])
        run(conn, [], tail=tail)
        return
    text = _statement(tuple(t for t, _ in bodies), tail)
    params = [p for _, values in bodies for p in values]
    driver = conn.connection.driver_connection
    try:
        with psycopg.RawCursor(driver) as cursor:
            cursor.execute(text, params)
    except psycopg.Error as exc:
        if driver.broken:
            conn.invalidate(exc)
        raise DBAPIError.instance(text, None, exc, psycopg.Error, hide_parameters=True,
                                  connection_invalidated=driver.broken,
                                  dialect=conn.dialect) from exc


def insert_together(conn: Connection, parts: Sequence[Part], *, tail: str = SELECT_NOTHING,
                    suffix: str = "") -> None:
    """Insert every part's rows (in this order, each insert followed by ``suffix``) and run
    ``tail``, in one statement."""
    run(conn, [b for table, rows in parts for b in insert_bodies(conn, table, rows, suffix)],
        tail=tail)


def bodies_of(conn: Connection, queued: Sequence[_Queued]) -> list[Body]:
    return [b for table, rows, suffix in queued for b in insert_bodies(conn, table, rows, suffix)]


def queue(conn: Connection, parts: Sequence[Part], *, tail: str | None = None,
          suffix: str = "") -> bool:
    """Queue the inserts when ``conn`` defers its writes (and a ``tail`` to end them with);
    False when it does not, and the caller writes them itself."""
    deferred: Deferred | None = conn.info.get(_DEFERRED)
    if deferred is None:
        return False
    deferred.parts.extend((table, rows, suffix) for table, rows in parts if rows)
    if tail is not None:
        deferred.tail = tail
    return True


def begin_deferring(conn: Connection,
                    before_early_send: Callable[[], None] | None = None) -> Deferred:
    deferred = conn.info[_DEFERRED] = Deferred(before_early_send=before_early_send)
    return deferred


def stop_deferring(conn: Connection) -> Deferred | None:
    return conn.info.pop(_DEFERRED, None)


def _send_queued(conn: Connection, *_: object) -> None:
    deferred: Deferred | None = conn.info.get(_DEFERRED)
    if deferred is not None and deferred.parts:
        parts, deferred.parts = deferred.parts, []
        if deferred.before_early_send is not None:
            before, deferred.before_early_send = deferred.before_early_send, None
            conn.info.pop(_DEFERRED)  # the lock's own statement must not come back here
            try:
                before()
            finally:
                conn.info[_DEFERRED] = deferred
        run(conn, bodies_of(conn, parts))


def send_queued_before_statements(engine: Engine) -> None:
    """Before any statement SQLAlchemy runs on a connection that holds queued inserts, send
    them (``run`` itself goes around SQLAlchemy, so it does not come here)."""
    event.listen(engine, "before_cursor_execute", _send_queued)
