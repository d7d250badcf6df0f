"""The SQL unit of work: one connection, one transaction, every repository on it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from hub.errors import DatabaseUnavailable, DuplicateKey
from hub.persistence.alert_repository import SqlAlertRepository
from hub.persistence.audit_repository import SqlAuditRepository
from hub.persistence.consent_repositories import SqlBegeleideWoningRepository, SqlConsentRepository
from hub.persistence.delivery_repositories import SqlAttemptRepository, SqlDeliveryRepository
from hub.persistence.endpoint_repository import SqlEndpointRepository
from hub.persistence.message_repositories import SqlDataKeyRepository, SqlMessageRepository
from hub.persistence.record_repositories import (
    SqlDecisionRepository,
    SqlOutboxRepository,
)
from hub.persistence.regiecheck_repository import SqlRegiecheckRepository
from hub.persistence.retention_repository import SqlRetentionRepository
from hub.persistence.samenloop_repository import SqlSamenloopRepository
from hub.persistence.session_repository import SqlWebSessionRepository
from hub.persistence.stats_repository import SqlStatsRepository
from hub.persistence.subject_repository import SqlSubjectRepository
from hub.persistence.tenant_repositories import (
    SqlApiKeyRepository,
    SqlNetworkRepository,
    SqlTenantRepository,
    SqlUserRepository,
)
from hub.persistence.termijn_repository import SqlTermijnRepository
from hub.persistence.together import begin_deferring, bodies_of, run, stop_deferring
from hub.persistence.zaak_repository import SqlZaakRepository
from hub.ports import HubUnitOfWork

#: PostgreSQL's SQLSTATE and SQLite's extended result codes of a unique-key violation.
_UNIQUE_SQLSTATE = "23505"
_UNIQUE_SQLITE = ("SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY")


def _is_outage(exc: BaseException) -> bool:
    return isinstance(exc, OperationalError) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated
    )


def _is_duplicate(exc: BaseException) -> bool:
    if not isinstance(exc, IntegrityError):
        return False
    orig = exc.orig
    return (getattr(orig, "sqlstate", None) == _UNIQUE_SQLSTATE
            or getattr(orig, "sqlite_errorname", None) in _UNIQUE_SQLITE)


class SqlUnitOfWork(HubUnitOfWork):
    """Leaving the block without ``commit()`` rolls everything back. A lost database connection
    surfaces as ``DatabaseUnavailable`` (503), never as a half-written transaction; a repeated
    unique key as ``DuplicateKey`` (the driver's error stays behind this adapter)."""

    def __init__(self, engine: Engine, *, read_only: bool = False) -> None:
        self._engine = engine
        #: A read-only unit of work runs its statements in autocommit: no BEGIN and no
        #: ROLLBACK round trips for a lookup (every API request authenticates with one).
        self._read_only = read_only
        self._conn: Connection | None = None

    def __enter__(self) -> SqlUnitOfWork:
        try:
            self._conn = self._engine.connect()
            if self._read_only and self._engine.dialect.name == "postgresql":
                self._conn.execution_options(isolation_level="AUTOCOMMIT")
            else:
                self._conn.begin()
        except DBAPIError as exc:
            self._close()
            raise DatabaseUnavailable() from exc
        conn = self._conn
        self.connection = conn
        self.tenants = SqlTenantRepository(conn)
        self.keys = SqlApiKeyRepository(conn)
        self.networks = SqlNetworkRepository(conn)
        self.users = SqlUserRepository(conn)
        self.web_sessions = SqlWebSessionRepository(conn)
        self.data_keys = SqlDataKeyRepository(conn)
        self.messages = SqlMessageRepository(conn)
        self.deliveries = SqlDeliveryRepository(conn)
        self.attempts = SqlAttemptRepository(conn)
        self.decisions = SqlDecisionRepository(conn)
        self.outbox = SqlOutboxRepository(conn)
        self.alerts = SqlAlertRepository(conn)
        self.audit = SqlAuditRepository(conn)
        self.endpoints = SqlEndpointRepository(conn)
        self.consents = SqlConsentRepository(conn)
        self.woningen = SqlBegeleideWoningRepository(conn)
        self.zaken = SqlZaakRepository(conn)
        self.regiechecks = SqlRegiecheckRepository(conn)
        self.termijnen = SqlTermijnRepository(conn)
        self.samenloop = SqlSamenloopRepository(conn)
        self.subjects = SqlSubjectRepository(conn)
        self.stats = SqlStatsRepository(conn)
        self.retention = SqlRetentionRepository(conn)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            self.rollback()
        finally:
            self._close()
        if exc is not None and _is_outage(exc):
            raise DatabaseUnavailable() from exc
        if exc is not None and _is_duplicate(exc):
            raise DuplicateKey() from exc

    @contextmanager
    def deferred_writes(self, *, with_audit: bool = False) -> Iterator[None]:
        """On PostgreSQL the repositories' inserts in the block are queued and sent as one
        statement when the block ends — ``with_audit``, together with the audit entries
        recorded so far and the chain head's move (after the head's lock): one round trip for
        a message's rows."""
        conn = self._conn
        assert conn is not None, "deferred_writes() outside a 'with' block"
        if conn.dialect.name != "postgresql":
            yield
            return
        begin_deferring(conn, self.audit.lock_head if with_audit else None)
        try:
            yield
        except BaseException:
            stop_deferring(conn)
            raise
        deferred = stop_deferring(conn)
        assert deferred is not None
        bodies = bodies_of(conn, deferred.parts)
        if with_audit:
            self.audit.flush(with_bodies=bodies, tail=deferred.tail)
        else:
            run(conn, bodies, tail=deferred.tail)

    def commit(self) -> None:
        assert self._conn is not None, "commit() outside a 'with' block"
        if self._read_only:
            raise RuntimeError("a read-only unit of work cannot commit")
        # The audit entries of this transaction are chained last: the chain head stays locked
        # only for these few statements and the commit.
        self.audit.flush()
        try:
            self._conn.commit()
        except IntegrityError as exc:
            if _is_duplicate(exc):
                raise DuplicateKey() from exc
            raise

    def rollback(self) -> None:
        if self._conn is not None:
            self.audit.discard()
        if self._conn is not None and self._conn.in_transaction():
            try:
                self._conn.rollback()
            except DBAPIError:
                pass  # the connection is gone; the server has already discarded the transaction

    def _close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except DBAPIError:
                pass
            self._conn = None
