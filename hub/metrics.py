"""Prometheus metrics, one registry per process (nothing registered at import time)."""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from hub.monitoring import DeliveryCollector, MonitoringSnapshot


class Metrics:
    content_type = CONTENT_TYPE_LATEST

    def __init__(self, snapshot: Callable[[], MonitoringSnapshot] | None = None) -> None:
        self.registry = CollectorRegistry()
        self.http_requests = Counter(
            "ketenhub_http_requests", "HTTP requests handled",
            ["method", "endpoint", "status"], registry=self.registry)
        self.http_latency = Histogram(
            "ketenhub_http_request_duration_seconds", "HTTP request handling time",
            ["endpoint"], registry=self.registry)
        self.attempts = Counter(
            "ketenhub_delivery_attempts", "Delivery attempts by connector and outcome "
            "(success, retryable, permanent, blocked)", ["connector", "outcome"],
            registry=self.registry)
        self.attempt_duration = Histogram(
            "ketenhub_delivery_attempt_duration_seconds", "Time of one delivery attempt",
            ["connector"], registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30))
        self.retries = Counter(
            "ketenhub_delivery_retries", "Attempts that failed and were scheduled again",
            ["connector"], registry=self.registry)
        self.dead = Counter(
            "ketenhub_delivery_dead", "Deliveries given up (dead)", ["connector"],
            registry=self.registry)
        if snapshot is not None:
            self.registry.register(DeliveryCollector(snapshot))

    def attempted(self, connector: str, outcome: str, duration_s: float, state: str) -> None:
        """The delivery processor's observer (``hub.delivery.observe``): this process's
        attempts; the database-wide counts come from the snapshot at scrape time."""
        self.attempts.labels(connector, outcome).inc()
        if outcome != "blocked":
            self.attempt_duration.labels(connector).observe(duration_s)
        if state == "retrying":
            self.retries.labels(connector).inc()
        elif state == "dead":
            self.dead.labels(connector).inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)
