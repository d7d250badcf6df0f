"""Group commit: concurrent callers' items handled together in one batch.

Each HTTP request that sends one message would otherwise pay a whole transaction (BEGIN, the
inserts, NOTIFY, a durable COMMIT) on its own. With a ``Coalescer`` the first caller becomes
the leader and runs its batch at once; callers that arrive meanwhile wait, and the next leader
takes all of them in one batch. An idle hub adds no waiting; a busy one commits less often.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class _Slot(Generic[T, R]):
    __slots__ = ("item", "done", "result", "error")

    def __init__(self, item: T) -> None:
        self.item = item
        self.done = False
        self.result: R | None = None
        self.error: BaseException | None = None


class Coalescer(Generic[T, R]):
    """``submit(item)`` returns ``run(batch)[i]`` for the item's place in the batch it joined;
    when ``run`` raises, every caller of that batch gets the exception."""

    def __init__(self, run: Callable[[list[T]], Sequence[R]], max_batch: int = 100) -> None:
        self._run = run
        self._max_batch = max_batch
        self._cond = threading.Condition()
        self._pending: list[_Slot[T, R]] = []
        self._leading = False

    def submit(self, item: T) -> R:
        slot: _Slot[T, R] = _Slot(item)
        with self._cond:
            self._pending.append(slot)
            while not slot.done:
                if self._leading:
                    self._cond.wait()
                    continue
                self._leading = True
                batch, self._pending = (self._pending[:self._max_batch],
                                        self._pending[self._max_batch:])
                self._cond.release()
                try:
                    self._lead(batch)
                finally:
                    self._cond.acquire()
                    self._leading = False
                    self._cond.notify_all()
        if slot.error is not None:
            raise slot.error
        return slot.result  # type: ignore[return-value]

    def _lead(self, batch: list[_Slot[T, R]]) -> None:
        try:
            results = self._run([s.item for s in batch])
            if len(results) != len(batch):
                raise RuntimeError("a coalesced batch must answer every item")
            for s, result in zip(batch, results, strict=True):
                s.result = result
        except BaseException as exc:  # noqa: BLE001 - handed to every caller of the batch
            for s in batch:
                s.error = exc
        for s in batch:
            s.done = True
