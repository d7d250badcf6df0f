"""The deadline watcher, run by every worker: each pass claims the terms due by now (index on
``due_at``, ``FOR UPDATE SKIP LOCKED``), and in that same transaction sends the reminder on the
morning of the last werkdag, or at expiry ``termijn.verlopen`` to the party owed and the area's
meldpunt, with an alert, an audit record and the flow's own bookkeeping. A term is handled by
exactly one worker, and a crash before the commit leaves it due for the next pass."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from hub.flows.calendar import AMSTERDAM
from hub.flows.notices import HubNotices, Notice
from hub.flows.termijnen.model import Termijn
from hub.flows.termijnen.registry import TermijnFlows
from hub.flows.termijnen.service import ACTOR
from hub.intake.catalogue import TERMIJN_HERINNERING, TERMIJN_VERLOPEN
from tenants.directory import Directory

if TYPE_CHECKING:
    from hub.ports import HubUnitOfWork

log = logging.getLogger("ketenhub.termijnen")

HERINNERING = TERMIJN_HERINNERING
VERLOPEN = TERMIJN_VERLOPEN
NOTICE_TYPES = (HERINNERING, VERLOPEN)


@dataclass(frozen=True)
class WatchPass:
    """What one pass did."""

    reminded: int = 0
    expired: int = 0

    @property
    def handled(self) -> int:
        return self.reminded + self.expired


def notice_data(termijn: Termijn) -> dict:
    """The event body: ids, the flow and the deadline (Amsterdam time); no personal data."""
    return {"bericht_id": termijn.subject_id, "termijn_id": termijn.id, "flow": termijn.flow,
            "deadline": termijn.deadline.astimezone(AMSTERDAM).isoformat(),
            "partij": termijn.owed_by}


class TermijnWatcher:
    def __init__(self, *, uow: Callable[[], HubUnitOfWork], flows: TermijnFlows, notices: HubNotices,
                 directory: Directory, clock: Callable[[], datetime], batch: int = 500,
                 on_expired: Callable[[Termijn], None] = lambda t: None,
                 on_sent: Callable[[], None] = lambda: None) -> None:
        self._uow = uow
        self._flows = flows
        self._notices = notices
        self._directory = directory
        self._clock = clock
        self._batch = batch
        #: Told per expired term after the commit (the metric).
        self._on_expired = on_expired
        #: Told after a commit that queued events (wakes the outbox relay).
        self._on_sent = on_sent

    def run_once(self) -> WatchPass:
        """One batch of due terms, in one transaction."""
        now = self._clock()
        view = self._directory.snapshot()
        reminded: list[Termijn] = []
        expired: list[Termijn] = []
        with self._uow() as uow:
            due = uow.termijnen.claim_due(now, self._batch)
            if not due:
                return WatchPass()
            notices: list[Notice] = []
            changed: list[Termijn] = []
            for termijn in due:
                if termijn.is_expired(now):
                    done = termijn.expired(now)
                    expired.append(done)
                    notices.append(Notice(VERLOPEN, f"{termijn.id}:verlopen", notice_data(termijn),
                                          tuple(termijn.notify_on_expiry()), termijn.network_id))
                elif termijn.needs_reminder(now):
                    done = termijn.reminded(now)
                    reminded.append(done)
                    notices.append(Notice(HERINNERING, f"{termijn.id}:herinnering",
                                          notice_data(termijn), (termijn.owed_by,),
                                          termijn.network_id))
                else:  # nothing to do yet: look again at expiry
                    done = termijn.rescheduled()
                changed.append(done)
            uow.termijnen.save_many(changed)
            message_ids = self._notices.send(uow, notices, now, view)
            by_event = dict(zip([n.event_id for n in notices], message_ids, strict=True))
            for termijn in reminded:
                uow.audit.record(action="termijn.herinnering", tenant_id=termijn.owed_by,
                                 actor=ACTOR, subject_id=termijn.id, at=now, facts={
                                     "flow": termijn.flow, "bericht_id": termijn.subject_id,
                                     "melding_id": by_event[f"{termijn.id}:herinnering"],
                                     "deadline": termijn.deadline.isoformat()})
            for termijn in expired:
                uow.audit.record(action="termijn.verlopen", tenant_id=termijn.owed_by,
                                 actor=ACTOR, subject_id=termijn.id, at=now, facts={
                                     "flow": termijn.flow, "bericht_id": termijn.subject_id,
                                     "melding_id": by_event[f"{termijn.id}:verlopen"],
                                     "aan": termijn.notify_on_expiry(),
                                     "deadline": termijn.deadline.isoformat()})
                flow = self._flows.get(termijn.flow)
                if flow is not None:
                    flow.on_expired(uow, termijn, now)
            uow.alerts.raise_many([("termijn.verlopen", x.owed_by, x.id, x.flow) for x in expired],
                                  now)
            uow.commit()
        for termijn in expired:
            self._on_expired(termijn)
            log.info("termijn verlopen", extra={"termijn_id": termijn.id, "flow": termijn.flow,
                                                "partij": termijn.owed_by})
        if message_ids:
            self._on_sent()
        return WatchPass(reminded=len(reminded), expired=len(expired))

    def run_until_idle(self, max_passes: int = 1000) -> WatchPass:
        """Passes until nothing is due (a backlog after downtime is worked off at once)."""
        total = WatchPass()
        for _ in range(max_passes):
            done = self.run_once()
            total = WatchPass(total.reminded + done.reminded, total.expired + done.expired)
            if done.handled < self._batch:
                break
        return total
