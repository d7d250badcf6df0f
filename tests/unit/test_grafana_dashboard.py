"""The Grafana dashboard in deploy/ parses and names only metrics the hub exposes."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hub.metrics import Metrics
from hub.monitoring import MonitoringSnapshot

DASHBOARD = Path(__file__).resolve().parents[2] / "deploy" / "grafana-dashboard.json"
_SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_sum", "_count"),
             "gauge": ("",), "summary": ("_sum", "_count", "")}


def exposed_names() -> set[str]:
    """Every sample name serve's and the worker's /metrics can show, from the families
    registered (labelled families show no sample before their first use)."""
    metrics = Metrics(lambda: MonitoringSnapshot())
    return {family.name + suffix for family in metrics.registry.collect()
            for suffix in _SUFFIXES[family.type]}


def test_the_dashboard_parses_and_each_panel_queries_only_metrics_that_exist():
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    names = exposed_names()
    exprs = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    used = {n for e in exprs for n in re.findall(r"\bketenhub_[a-z0-9_]+", e)}
    assert exprs and used
    assert used <= names, sorted(used - names)


def test_the_dashboard_shows_the_delivery_backlog_bus_and_termijnen_metrics():
    text = DASHBOARD.read_text(encoding="utf-8")
    for metric in ("ketenhub_delivery_attempt_duration_seconds_bucket",
                   "ketenhub_delivery_attempts_total", "ketenhub_delivery_retries_total",
                   "ketenhub_delivery_dead_total", "ketenhub_outbox_backlog",
                   "ketenhub_outbox_oldest_age_seconds", "ketenhub_bus_queue_depth",
                   "ketenhub_termijnen_open", "ketenhub_termijnen_overdue"):
        assert metric in text, metric
