"""SQL adapter of the retention repository: due messages, shredding, the runs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, delete, exists, func, insert, or_, select, update

from hub.persistence import tables as t
from hub.retention.ports import DueMessage, RetentionRepository, RetentionRun

_m, _z, _zi = t.messages, t.zaken, t.zaak_items


def _kept_by_zaak(zaak_cutoff: datetime) -> Any:
    """The message is in a zaak that is open or closed after the cutoff."""
    return exists().where(and_(_zi.c.message_id == _m.c.id, _z.c.id == _zi.c.zaak_id,
                               or_(_z.c.closed_at.is_(None), _z.c.closed_at > zaak_cutoff)))


def _due_filter(now: datetime, zaak_cutoff: datetime) -> Any:
    return and_(_m.c.shredded_at.is_(None), _m.c.retain_until <= now,
                ~_kept_by_zaak(zaak_cutoff))


def _run(row: Any) -> RetentionRun:
    return RetentionRun(id=row.id, started_at=row.started_at, status=row.status,
                        messages=row.messages, zaken=row.zaken, finished_at=row.finished_at,
                        scheduled_day=row.scheduled_day, error=row.error)


class SqlRetentionRepository(RetentionRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def due(self, now: datetime, zaak_cutoff: datetime, limit: int) -> list[DueMessage]:
        query = (select(_m.c.id, _m.c.sender_tenant_id, _m.c.retain_until)
                 .where(_due_filter(now, zaak_cutoff))
                 .order_by(_m.c.retain_until, _m.c.id).limit(limit))
        if self._conn.dialect.name == "postgresql":
            query = query.with_for_update(of=_m, skip_locked=True)
        return [DueMessage(r.id, r.sender_tenant_id, r.retain_until)
                for r in self._conn.execute(query)]

    def postpone(self, until: dict[str, datetime]) -> None:
        for message_id, at in until.items():
            self._conn.execute(update(_m).where(_m.c.id == message_id).values(retain_until=at))

    def shred(self, message_ids: Sequence[str], at: datetime) -> int:
        if not message_ids:
            return 0
        ids = list(message_ids)
        self._conn.execute(delete(t.message_keys).where(t.message_keys.c.message_id.in_(ids)))
        return self._conn.execute(
            update(_m).where(_m.c.id.in_(ids) & _m.c.shredded_at.is_(None))
            .values(shredded_at=at, payload=b"")).rowcount

    def close_zaken(self, message_ids: Sequence[str], at: datetime) -> int:
        if not message_ids:
            return 0
        touched = select(_zi.c.zaak_id).where(_zi.c.message_id.in_(list(message_ids)))
        alive = exists().where(and_(_zi.c.zaak_id == _z.c.id, _m.c.id == _zi.c.message_id,
                                    _m.c.shredded_at.is_(None)))
        return self._conn.execute(
            update(_z).where(_z.c.id.in_(touched) & _z.c.shredded_at.is_(None)
                             & _z.c.closed_at.is_not(None) & ~alive)
            .values(shredded_at=at)).rowcount

    def forget_regiechecks(self, message_ids: Sequence[str]) -> int:
        if not message_ids:
            return 0
        rc, rp = t.regiechecks, t.regiecheck_partners
        touched = select(rp.c.regiecheck_id).where(rp.c.message_id.in_(list(message_ids)))
        alive = exists().where(and_(rp.c.regiecheck_id == rc.c.id, _m.c.id == rp.c.message_id,
                                    _m.c.shredded_at.is_(None)))
        ids = [r[0] for r in self._conn.execute(
            select(rc.c.id).where(rc.c.id.in_(touched) & ~alive))]
        if not ids:
            return 0
        self._conn.execute(update(rc).where(rc.c.id.in_(ids)).values(payload=b""))
        self._conn.execute(update(rp).where(rp.c.regiecheck_id.in_(ids))
                           .values(contact=None, contact_key_version=None))
        return len(ids)

    def count_due(self, now: datetime, zaak_cutoff: datetime, sender: str | None) -> int:
        query = select(func.count()).select_from(_m).where(_due_filter(now, zaak_cutoff))
        if sender is not None:
            query = query.where(_m.c.sender_tenant_id == sender)
        return int(self._conn.execute(query).scalar() or 0)

    def start_run(self, run: RetentionRun) -> None:
        self._conn.execute(insert(t.retention_runs).values(
            id=run.id, scheduled_day=run.scheduled_day, started_at=run.started_at,
            status=run.status, messages=run.messages, zaken=run.zaken))

    def finish_run(self, run: RetentionRun) -> None:
        self._conn.execute(update(t.retention_runs).where(t.retention_runs.c.id == run.id).values(
            status=run.status, messages=run.messages, zaken=run.zaken,
            finished_at=run.finished_at, error=run.error))

    def last_run(self) -> RetentionRun | None:
        r = t.retention_runs
        row = self._conn.execute(select(r).order_by(r.c.started_at.desc(), r.c.id.desc())
                                 .limit(1)).first()
        return _run(row) if row else None
