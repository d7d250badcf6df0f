"""Several writes in one PostgreSQL statement (data-modifying CTEs), for rows a transaction
writes together — a message, its data key, deliveries, decisions, outbox rows, the intake
hooks' rows and the audit entries with the chain head's move.

Each insert passes one array per column (``unnest``), so its text is built once per table and
columns and sent as driver SQL: a transaction pays one round trip, and no SQLAlchemy
compilation or driver parsing of a statement that grows with the rows. The values
go through each column's own bind processing, as with ``insert()``. PostgreSQL checks foreign
keys at the end of the statement, when every row is in.

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
#: A data-modifying statement's text and its parameters (``%s`` placeholders).
Body = tuple[str, list[Any]]
SELECT_NOTHING = "SELECT 1"
_DEFERRED = "ketenhub.deferred_writes"


@dataclass
class Deferred:
    """Inserts queued on a connection, and the query that ends their statement."""

    parts: list[Part] = field(default_factory=list)
    tail: str = SELECT_NOTHING


@lru_cache(maxsize=512)
def _insert_text(table: Table, columns: tuple[str, ...], dialect: Dialect) -> str:
    """``INSERT … SELECT * FROM unnest(…)``: one array parameter per column, whatever the row
    count, so the text is the same for one row and a thousand (the driver parses it once,
    the server prepares it once). Arrays of character columns are ``text[]``: the insert's
    own cast then refuses an over-long value rather than cutting it."""
    casts = []
    for column in columns:
        sql_type = table.c[column].type.compile(dialect=dialect)
        casts.append("TEXT" if sql_type.startswith("VARCHAR") else sql_type)
    arrays = ", ".join(f"%s::{cast}[]" for cast in casts)
    return f"INSERT INTO {table.name} ({', '.join(columns)}) SELECT * FROM unnest({arrays})"


@lru_cache(maxsize=512)
def _insert_row_text(table: Table, columns: tuple[str, ...]) -> str:
    """One row's insert (a parameter per value: cheaper to send than arrays of one)."""
    return (f"INSERT INTO {table.name} ({', '.join(columns)}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})")


def _processors(conn: Connection, table: Table,
                columns: tuple[str, ...]) -> list[Callable[[Any], Any] | None]:
    return [table.c[c].type._cached_bind_processor(conn.dialect) for c in columns]  # noqa: SLF001


def insert_bodies(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> list[Body]:
    """The insert of ``rows``: one statement body, an array per column (a value per column
    for a single row)."""
    if not rows:
        return []
    columns = tuple(rows[0])
    processors = _processors(conn, table, columns)
    if len(rows) == 1:
        row = rows[0]
        return [(_insert_row_text(table, columns), [
            row[c] if p is None or row[c] is None else p(row[c])
            for c, p in zip(columns, processors, strict=True)])]
    params: list[Any] = []
    for column, process in zip(columns, processors, strict=True):
        values = [row[column] for row in rows]
        params.append(values if process is None else
                      [None if v is None else process(v) for v in values])
    return [(_insert_text(table, columns, conn.dialect), params)]


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


def insert_together(conn: Connection, parts: Sequence[Part], *,
                    tail: str = SELECT_NOTHING) -> None:
    """Insert every part's rows (in this order) and run ``tail``, in one statement."""
    run(conn, [b for table, rows in parts for b in insert_bodies(conn, table, rows)], tail=tail)


def queue(conn: Connection, parts: Sequence[Part], *, tail: str | None = None) -> bool:
    """Queue the inserts when ``conn`` defers its writes (and a ``tail`` to end them with);
    False when it does not, and the caller writes them itself."""
    deferred: Deferred | None = conn.info.get(_DEFERRED)
    if deferred is None:
        return False
    deferred.parts.extend((table, rows) for table, rows in parts if rows)
    if tail is not None:
        deferred.tail = tail
    return True


def begin_deferring(conn: Connection) -> Deferred:
    deferred = conn.info[_DEFERRED] = Deferred()
    return deferred


def stop_deferring(conn: Connection) -> Deferred | None:
    return conn.info.pop(_DEFERRED, None)


def _send_queued(conn: Connection, *_: object) -> None:
    deferred: Deferred | None = conn.info.get(_DEFERRED)
    if deferred is not None and deferred.parts:
        parts, deferred.parts = deferred.parts, []
        run(conn, [body for table, rows in parts for body in insert_bodies(conn, table, rows)])


def send_queued_before_statements(engine: Engine) -> None:
    """Before any statement SQLAlchemy runs on a connection that holds queued inserts, send
    them (``run`` itself goes around SQLAlchemy, so it does not come here)."""
    event.listen(engine, "before_cursor_execute", _send_queued)
