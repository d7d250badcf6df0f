"""The embedded default: an in-process bus on a priority queue (urgent first). What it holds
is lost with the process; the reconciler dispatches those deliveries again after a restart."""

from __future__ import annotations

import itertools
import queue
import threading
from collections.abc import Sequence

from hub.bus.ports import BATCH, Bus, Handler


class InProcessBus(Bus):
    def __init__(self) -> None:
        self._queue: queue.PriorityQueue[tuple[int, int, str, str]] = queue.PriorityQueue()
        self._seq = itertools.count()

    def publish(self, items: Sequence[tuple[str, str]]) -> None:
        for queue_name, delivery_id in items:
            priority = 0 if queue_name == "urgent" else 1
            self._queue.put((priority, next(self._seq), queue_name, delivery_id))

    def consume(self, queues: Sequence[str], handler: Handler, stop: threading.Event) -> None:
        wanted = set(queues)
        while not stop.is_set():
            try:
                item = self._queue.get(timeout=0.1)
            except queue.Empty:
                continue
            batch, others = [], []
            while True:
                (batch if item[2] in wanted else others).append(item)
                if len(batch) >= BATCH:
                    break
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
            for other in others:
                self._queue.put(other)
            if not batch:
                stop.wait(0.01)
                continue
            try:
                handler([b[3] for b in batch])
            except Exception:  # noqa: BLE001 - logged by the handler; the DB keeps the truth
                pass

    def ping(self, timeout: float) -> bool:
        return True

    def depths(self, timeout: float = 2.0) -> dict[str, int]:
        with self._queue.mutex:
            waiting = [item[2] for item in self._queue.queue]
        return {name: waiting.count(name) for name in sorted(set(waiting))}

    def pending(self) -> int:
        return self._queue.qsize()
