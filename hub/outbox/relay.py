"""The outbox relay: publishes outbox rows in batches and deletes them only after the bus has
confirmed them. On PostgreSQL rows are claimed with FOR UPDATE SKIP LOCKED, so several relays
can run side by side."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from hub.bus.ports import Bus
from hub.errors import BusUnavailable, DatabaseUnavailable
from hub.ports import HubUnitOfWork

log = logging.getLogger("ketenhub.outbox")


class Waker:
    """Wakes the relay when new outbox rows were committed in this process."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def notify(self) -> None:
        self._event.set()

    def wait(self, timeout: float) -> None:
        self._event.wait(timeout)
        self._event.clear()


class OutboxRelay:
    def __init__(self, *, uow: Callable[[], HubUnitOfWork], bus: Bus, batch: int = 200) -> None:
        self._uow = uow
        self._bus = bus
        self._batch = batch

    def relay_once(self) -> int:
        """Publish one batch; returns how many rows went out."""
        with self._uow() as uow:
            rows = uow.outbox.claim_batch(self._batch)
            if not rows:
                return 0
            self._bus.publish([(queue, delivery_id) for _, delivery_id, queue in rows])
            uow.outbox.remove([row_id for row_id, _, _ in rows])
            uow.commit()
        return len(rows)

    def run(self, waker: Waker, stop: threading.Event, idle_wait: float = 0.5) -> None:
        while not stop.is_set():
            try:
                while not stop.is_set() and self.relay_once() == self._batch:
                    pass
            except (BusUnavailable, DatabaseUnavailable) as exc:
                log.warning("outbox relay waiting", extra={"error_code": exc.code})
                stop.wait(1.0)
                continue
            except Exception:  # noqa: BLE001 - keep relaying; the rows stay in the outbox
                log.exception("outbox relay error")
                stop.wait(1.0)
                continue
            waker.wait(idle_wait)
