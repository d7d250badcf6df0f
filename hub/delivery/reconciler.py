"""The reconciler: dispatches deliveries that are due — retries whose time has come, and
deliveries whose bus message went missing (crash, broker loss, embedded restart)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from hub.ports import HubUnitOfWork

log = logging.getLogger("ketenhub.reconciler")


class Reconciler:
    def __init__(self, *, uow: Callable[[], HubUnitOfWork], clock: Callable[[], datetime],
                 redispatch_after: timedelta, on_dispatched: Callable[[], None],
                 batch: int = 500) -> None:
        self._uow = uow
        self._clock = clock
        self._redispatch_after = redispatch_after
        self._on_dispatched = on_dispatched
        self._batch = batch

    def run_once(self) -> int:
        now = self._clock()
        with self._uow() as uow:
            due = uow.deliveries.due_for_dispatch(now, now - self._redispatch_after, self._batch)
            if not due:
                return 0
            uow.deliveries.mark_dispatched([d.id for d in due], now)
            uow.outbox.add_many([(d.id, d.queue) for d in due], now)
            uow.commit()
        log.info("deliveries dispatched", extra={"count": len(due)})
        self._on_dispatched()
        return len(due)
