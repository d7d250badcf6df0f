"""An in-memory connector for unit tests: records what it was given, fails as scripted."""

from __future__ import annotations

import threading
from collections.abc import Callable

from connectors.base import Connector, DeliveryRequest


class MemoryConnector(Connector):
    alias = "memory"

    def __init__(self, behaviour: Callable[[DeliveryRequest], int | None] | None = None) -> None:
        self.sent: list[DeliveryRequest] = []
        self._behaviour = behaviour
        self._lock = threading.Lock()

    def _send(self, request: DeliveryRequest) -> int | None:
        status = self._behaviour(request) if self._behaviour else None
        with self._lock:
            self.sent.append(request)
        return status
