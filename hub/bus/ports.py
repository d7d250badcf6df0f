"""The bus port and its two adapters: kombu on a broker, and the in-process default."""

from __future__ import annotations

import abc

from kombu import Connection


class Bus(abc.ABC):
    """Dispatches work between hub processes."""

    @abc.abstractmethod
    def ping(self, timeout: float) -> bool:
        """True when the bus can take messages now."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections."""


class InProcessBus(Bus):
    """The embedded default: in the same process, always reachable."""

    def ping(self, timeout: float) -> bool:
        return True


class KombuBus(Bus):
    """A broker reached through kombu (RabbitMQ in production)."""

    def __init__(self, url: str) -> None:
        self.url = url

    def ping(self, timeout: float) -> bool:
        try:
            with Connection(self.url, connect_timeout=timeout) as conn:
                conn.ensure_connection(max_retries=1, timeout=timeout)
                return conn.connected
        except Exception:  # noqa: BLE001 - any failure to connect means "not ready"
            return False


def build_bus(broker_url: str) -> Bus:
    return KombuBus(broker_url) if broker_url else InProcessBus()
