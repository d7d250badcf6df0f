"""The bus port. The bus only dispatches delivery ids; the database holds every fact, so a
lost bus message costs latency (the reconciler re-dispatches), never a delivery."""

from __future__ import annotations

import abc
import threading
from collections.abc import Callable, Sequence

from connectors.registry import CONNECTORS

#: Queues by connector kind, plus one for urgent traffic, consumed with priority.
QUEUES: tuple[str, ...] = ("urgent", *CONNECTORS)

#: Called with a batch of delivery ids (up to ``BATCH``).
Handler = Callable[[list[str]], None]
BATCH = 64


class Bus(abc.ABC):
    """Dispatches delivery ids from the outbox relay to delivery workers."""

    @abc.abstractmethod
    def publish(self, items: Sequence[tuple[str, str]]) -> None:
        """Publish (queue, delivery id) pairs; returns only when the bus has them all
        (publisher confirms). Raises BusUnavailable otherwise."""

    @abc.abstractmethod
    def consume(self, queues: Sequence[str], handler: Handler, stop: threading.Event) -> None:
        """Call ``handler(delivery_ids)`` with what is waiting (up to ``BATCH`` at a time) until
        ``stop`` is set; reconnects on its own. Messages are acknowledged after the handler
        returns or raises: the database, not the bus, remembers what is still to do."""

    @abc.abstractmethod
    def ping(self, timeout: float) -> bool:
        """True when the bus can take messages now."""

    def depths(self, timeout: float = 2.0) -> dict[str, int]:
        """Messages waiting per queue (for the metrics); {} when unknown."""
        return {}

    def declare(self) -> None:  # noqa: B027 - optional hook
        """Create exchanges and queues."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections."""

