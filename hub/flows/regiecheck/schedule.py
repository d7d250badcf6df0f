"""Time in the regiecheck: a reminder to each partner that has not answered on the morning of
its last werkdag, and at the deadline ``verlopen`` with an event to the asker.

Scheduled from the database: each pass claims what is due (``FOR UPDATE SKIP LOCKED`` and a
conditional update), so several workers never send one reminder twice, and a restart picks up
whatever was due meanwhile."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from consent.policy import MessageFacts, PolicyDecisionPoint
from hub.flows.regiecheck.events import hub_event, utc_text
from hub.flows.regiecheck.termijn import expire_silent
from hub.intake.catalogue import REGIECHECK_HERINNERING, REGIECHECK_VERLOPEN
from hub.intake.service import IntakeService
from hub.ports import HubUnitOfWork
from tenants.directory import Directory

log = logging.getLogger("ketenhub.regiecheck")

BATCH = 100


@dataclass(frozen=True)
class PassResult:
    reminders: int
    expired: int


class RegiecheckScheduler:
    def __init__(self, *, uow: Callable[[], HubUnitOfWork], intake: IntakeService, pdp: PolicyDecisionPoint,
                 directory: Directory, clock: Callable[[], datetime]) -> None:
        self._uow = uow
        self._intake = intake
        self._pdp = pdp
        self._directory = directory
        self._clock = clock

    def run_once(self) -> PassResult:
        """Send the reminders and expire the checks that are due now (all of them, in
        batches of ``BATCH``, each batch one transaction)."""
        reminders = expired = 0
        while (n := self._remind()) > 0:
            reminders += n
        while (n := self._expire()) > 0:
            expired += n
        if reminders or expired:
            self._intake.wake()
            log.info("regiecheck pass", extra={"reminders": reminders, "expired": expired})
        return PassResult(reminders, expired)

    def _remind(self) -> int:
        now = self._clock()
        view = self._directory.snapshot()
        with self._uow() as uow:
            due = uow.regiechecks.claim_reminders(now, BATCH)
            for d in due:
                event = hub_event(REGIECHECK_HERINNERING,
                                  {"regiecheck_id": d.regiecheck_id, "deadline": utc_text(d.deadline)},
                                  now)
                decision = self._pdp.decide(MessageFacts(REGIECHECK_HERINNERING, d.asker),
                                            d.partner, now, view)
                message = self._intake.emit(uow, event, d.asker, [decision], now,
                                            deadline=d.deadline)
                uow.audit.record(action="regiecheck.herinnering", tenant_id=d.asker,
                                 actor=None, subject_id=d.regiecheck_id, at=now, facts={
                                     "partner": d.partner, "message_id": message.id,
                                     "decision": "permit" if decision.permit else "deny"})
            uow.commit()
        return len(due)

    def _expire(self) -> int:
        now = self._clock()
        view = self._directory.snapshot()
        with self._uow() as uow:
            expired = uow.regiechecks.claim_expired(now, BATCH)
            for e in expired:
                event = hub_event(REGIECHECK_VERLOPEN, {
                    "regiecheck_id": e.regiecheck_id, "deadline": utc_text(e.deadline),
                    "niet_beantwoord": list(e.silent)}, now)
                decision = self._pdp.decide(MessageFacts(REGIECHECK_VERLOPEN, e.asker),
                                            e.asker, now, view)
                message = self._intake.emit(uow, event, e.asker, [decision], now)
                expire_silent(uow, e.regiecheck_id, e.silent, now)
                uow.audit.record(action="regiecheck.verlopen", tenant_id=e.asker, actor=None,
                                 subject_id=e.regiecheck_id, at=now, facts={
                                     "niet_beantwoord": list(e.silent),
                                     "message_id": message.id,
                                     "decision": "permit" if decision.permit else "deny"})
            uow.commit()
        return len(expired)
