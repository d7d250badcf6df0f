"""The retention run: crypto-shred every message whose term passed (and zaken that are wholly
shredded), in batches, each message once even with several workers running it; one audit entry
per run with counts only; a failed run is recorded and raises a ``retention.failed`` alert."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from hub.errors import DatabaseUnavailable, DuplicateKey
from hub.ports import HubUnitOfWork
from hub.retention.errors import RetentionFailed
from hub.retention.policy import zaak_cutoff
from hub.retention.ports import DueMessage, RetentionRun
from tenants.directory import Directory, Snapshot
from tenants.model import Bewaartermijnen, Principal

log = logging.getLogger("ketenhub.retention")

#: How far ahead the overview counts what will fall due.
LOOKAHEAD = timedelta(days=30)


@dataclass(frozen=True)
class RetentionReport:
    run_id: str
    messages: int
    zaken: int
    postponed: int


class RetentionService:
    def __init__(self, *, uow: Callable[[], HubUnitOfWork], clock: Callable[[], datetime],
                 directory: Directory, batch: int = 500) -> None:
        self._uow = uow
        self._clock = clock
        self._directory = directory
        self._batch = max(1, batch)

    def run(self, actor: str | None = None) -> RetentionReport:
        """Shred what is due now (``ketenhub retention run``)."""
        report = self._run(actor, scheduled=False)
        assert report is not None
        return report

    def run_daily(self) -> RetentionReport | None:
        """The worker's daily run: the first worker to claim today's run does it; the others
        (and later passes the same day) do nothing and return None."""
        return self._run("worker", scheduled=True)

    def _run(self, actor: str | None, *, scheduled: bool) -> RetentionReport | None:
        now = self._clock()
        run = RetentionRun(id=str(uuid.uuid4()), started_at=now, status="running", messages=0,
                           zaken=0, scheduled_day=now.date() if scheduled else None)
        try:
            with self._uow() as uow:
                uow.retention.start_run(run)
                uow.commit()
        except DuplicateKey:
            return None
        shredded = zaken = postponed = 0
        try:
            view = self._directory.snapshot()
            cutoff = zaak_cutoff(now, _shortest_zaak_term(view))
            while True:
                done, closed, held, seen = self._batch_once(now, cutoff, view)
                shredded, zaken, postponed = shredded + done, zaken + closed, postponed + held
                if seen < self._batch:
                    break
        except Exception as exc:
            self._failed(replace(run, messages=shredded, zaken=zaken), actor, exc)
            raise RetentionFailed() from exc
        finished = replace(run, status="ok", messages=shredded, zaken=zaken,
                           finished_at=self._clock())
        with self._uow() as uow:
            uow.retention.finish_run(finished)
            uow.audit.record(action="retention.run", tenant_id=None, actor=actor,
                             subject_id=run.id, at=finished.finished_at or now, facts={
                                 "status": "ok", "messages_shredded": shredded,
                                 "zaken_shredded": zaken, "postponed_by_zaak": postponed})
            uow.commit()
        log.info("retention run", extra={"run_id": run.id, "messages": shredded,
                                         "zaken": zaken, "postponed": postponed})
        return RetentionReport(run.id, shredded, zaken, postponed)

    def _batch_once(self, now: datetime, cutoff: datetime,
                    view: Snapshot) -> tuple[int, int, int, int]:
        """One transaction: lock a batch of due messages, keep those a zaak still holds (their
        date moves to the zaak's end), shred the rest. (shredded, zaken, postponed, seen)."""
        with self._uow() as uow:
            due = uow.retention.due(now, cutoff, self._batch)
            if not due:
                return 0, 0, 0, 0
            held = _held_by_zaak(uow, due, now, view)
            uow.retention.postpone(held)
            ids = [m.id for m in due if m.id not in held]
            done = uow.retention.shred(ids, now)
            closed = uow.retention.close_zaken(ids, now)
            uow.retention.forget_regiechecks(ids)
            uow.commit()
        return done, closed, len(held), len(due)

    def _failed(self, run: RetentionRun, actor: str | None, exc: Exception) -> None:
        log.error("retention run failed", extra={"run_id": run.id,
                                                 "error_type": type(exc).__name__})
        failed = replace(run, status="failed", finished_at=self._clock(),
                         error=type(exc).__name__[:200])
        try:
            with self._uow() as uow:
                uow.retention.finish_run(failed)
                uow.alerts.raise_alert(kind="retention.failed", tenant_id=None,
                                       subject_id=run.id, detail=type(exc).__name__[:200],
                                       at=failed.finished_at or run.started_at)
                uow.audit.record(action="retention.run", tenant_id=None, actor=actor,
                                 subject_id=run.id, at=failed.finished_at or run.started_at,
                                 facts={"status": "failed", "messages_shredded": run.messages,
                                        "zaken_shredded": run.zaken})
                uow.commit()
        except DatabaseUnavailable:
            log.error("retention failure not recorded: database unavailable",
                      extra={"run_id": run.id})

    def overview(self, principal: Principal) -> dict:
        """The last run and what is due now and within ``LOOKAHEAD`` (a tenant: its own
        messages; a hub admin: all)."""
        now = self._clock()
        sender = None if principal.is_hub_admin else principal.tenant_id
        years = _shortest_zaak_term(self._directory.snapshot())
        with self._uow() as uow:
            last = uow.retention.last_run()
            due_now = uow.retention.count_due(now, zaak_cutoff(now, years), sender)
            ahead = now + LOOKAHEAD
            due_soon = uow.retention.count_due(ahead, zaak_cutoff(ahead, years), sender)
        return {"last_run": None if last is None else {
                    "id": last.id, "started_at": last.started_at,
                    "finished_at": last.finished_at, "status": last.status,
                    "messages_shredded": last.messages, "zaken_shredded": last.zaken},
                "due": {"messages": due_now, "within_30_days": due_soon}}


def _shortest_zaak_term(view: Snapshot) -> int:
    return min((n.bewaartermijnen.zaak_jaren for n in view.networks),
               default=Bewaartermijnen().zaak_jaren)


def _held_by_zaak(uow: HubUnitOfWork, due: list[DueMessage], now: datetime,
                  view: Snapshot) -> dict[str, datetime]:
    """Due messages a zaak keeps longer (its meldpunt's networks set a longer term than the
    shortest): message id → when that zaak's term ends."""
    held: dict[str, datetime] = {}
    for message_id, zaken in uow.zaken.zaken_of_messages([m.id for m in due]).items():
        for zaak in zaken:
            if zaak.closed_at is None:
                continue
            years = view.zaak_jaren(zaak.meldpunt)
            ends = zaak.closed_at.replace(year=zaak.closed_at.year + years) \
                if not (zaak.closed_at.month == 2 and zaak.closed_at.day == 29) \
                else zaak.closed_at.replace(year=zaak.closed_at.year + years, day=28)
            if ends > now:
                held[message_id] = max(ends, held.get(message_id, ends))
    return held
