"""Delivery metrics read from the database at scrape time: the database is the source of truth,
so every serve and worker process reports the same figures, whichever process did the work."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

log = logging.getLogger("ketenhub.monitoring")


@dataclass(frozen=True)
class MonitoringSnapshot:
    """Counts without personal data: deliveries per status and connector, the outbox backlog,
    the alerts per kind."""

    deliveries: dict[tuple[str, str], int] = field(default_factory=dict)
    outbox_backlog: int = 0
    outbox_oldest_age_s: float = 0.0
    alerts: dict[str, int] = field(default_factory=dict)
    #: Terms per flow still open (``lopend``), and overdue: passed unmet (``verlopen``, or
    #: ``lopend`` past the deadline while the watcher has not yet settled them).
    termijnen_open: dict[str, int] = field(default_factory=dict)
    termijnen_overdue: dict[str, int] = field(default_factory=dict)
    #: Messages waiting on the bus per queue (empty when the bus cannot say).
    queue_depth: dict[str, int] = field(default_factory=dict)


class DeliveryCollector(Collector):
    """A Prometheus collector over :class:`MonitoringSnapshot`; a failed read reports nothing
    (the scrape itself still answers, with the process's own metrics)."""

    def __init__(self, snapshot: Callable[[], MonitoringSnapshot]) -> None:
        self._snapshot = snapshot

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            snap = self._snapshot()
        except Exception as exc:  # noqa: BLE001 - a scrape must not fail on a database outage
            log.warning("monitoring snapshot failed", extra={"error_type": type(exc).__name__})
            return
        deliveries = GaugeMetricFamily(
            "ketenhub_deliveries", "Deliveries by status and connector",
            labels=["status", "connector"])
        for (status, connector), count in sorted(snap.deliveries.items()):
            deliveries.add_metric([status, connector], count)
        yield deliveries
        yield GaugeMetricFamily("ketenhub_outbox_backlog",
                                "Outbox rows not yet published to the bus",
                                value=snap.outbox_backlog)
        yield GaugeMetricFamily("ketenhub_outbox_oldest_age_seconds",
                                "Age of the oldest unpublished outbox row",
                                value=snap.outbox_oldest_age_s)
        alerts = GaugeMetricFamily("ketenhub_alerts", "Alerts raised, by kind", labels=["kind"])
        for kind, count in sorted(snap.alerts.items()):
            alerts.add_metric([kind], count)
        yield alerts
        yield _by("ketenhub_termijnen_open", "Open terms (lopend), by flow", "flow",
                  snap.termijnen_open)
        yield _by("ketenhub_termijnen_overdue", "Terms passed unmet, by flow", "flow",
                  snap.termijnen_overdue)
        yield _by("ketenhub_bus_queue_depth",
                  "Bus messages (each a batch of delivery ids) waiting, by queue", "queue",
                  snap.queue_depth)


def _by(name: str, documentation: str, label: str, counts: dict[str, int]) -> GaugeMetricFamily:
    family = GaugeMetricFamily(name, documentation, labels=[label])
    for key, count in sorted(counts.items()):
        family.add_metric([key], count)
    return family
