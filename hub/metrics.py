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
        if snapshot is not None:
            self.registry.register(DeliveryCollector(snapshot))

    def render(self) -> bytes:
        return generate_latest(self.registry)
