"""Helpers for pipeline tests: a world with a network, events, and bounded waiting."""

from __future__ import annotations

import time
import uuid

from hub.runtime import Runtime
from tenants.demo import regiecheck_flows
from tenants.model import Area, Flow, LegalBasis, Party, Principal, TenantKind
from tenants.services import NetworkSpec
from tests.fakes import event, signaal  # noqa: F401 - the pipeline tests import them from here
from tests.integration.conftest import build_world

K = TenantKind


def network_flows() -> tuple[Flow, ...]:
    return (
        Flow("nl.ketenhub.signaal.v1", K.WONINGCORPORATIE, K.MELDPUNT, LegalBasis.CONVENANT),
        Flow("nl.ketenhub.signaal.reactie.v1", K.MELDPUNT, K.WONINGCORPORATIE, LegalBasis.CONVENANT),
        Flow("nl.ketenhub.toewijzing.v1", K.MELDPUNT, K.ZORGAANBIEDER, LegalBasis.CONVENANT),
        Flow("nl.ketenhub.toewijzing.reactie.v1", K.ZORGAANBIEDER, K.MELDPUNT, LegalBasis.CONVENANT),
        Flow("nl.ketenhub.afsluiting.v1", K.MELDPUNT, K.ZORGAANBIEDER, LegalBasis.CONVENANT),
        Flow("nl.ketenhub.signaal.v1", K.WONINGCORPORATIE, K.ZORGAANBIEDER, LegalBasis.CONSENT),
        Flow("nl.ketenhub.huurachterstand.v1", K.WONINGCORPORATIE, K.ZORGAANBIEDER,
             LegalBasis.CONSENT),
        *regiecheck_flows((K.WONINGCORPORATIE, K.ZORGAANBIEDER)),
    )


def pipeline_world(database_url: str, tmp_path, broker_url: str = "", start: bool = True,
                   **overrides):
    overrides.setdefault("retry_base_s", 0.05)
    overrides.setdefault("retry_max_s", 0.2)
    overrides.setdefault("reconcile_interval_s", 0.1)
    if broker_url:
        overrides.setdefault("bus_prefix", f"kh-test-{uuid.uuid4().hex[:8]}")
    w = build_world(database_url, tmp_path, broker_url=broker_url, **overrides)
    w.container.networks.create(Principal.system(), NetworkSpec(
        id="amsterdam", name="Amsterdam",
        parties=(Party("mzwo-centrum", "meldpunt"), Party("ymere", "woningcorporatie"),
                 Party("arkin", "zorgaanbieder")),
        areas=(Area("mzwo-centrum", 1011, 1018),), flows=network_flows()))
    w.runtime = Runtime(w.container)
    if start:
        w.runtime.start()
    return w


def stop_world(w) -> None:
    w.runtime.stop()
    bus = w.container.bus
    w.container.close()
    if hasattr(bus, "delete_all"):
        bus.delete_all()


def wait_until(predicate, timeout: float = 30.0, interval: float = 0.05):
    """Bounded polling for background work; fails the test if the state is never reached."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("state not reached within the bound")
        time.sleep(interval)


def delivery_status(w, message_id: str, sender: str = "ymere") -> list[dict]:
    r = w.client.get(f"/api/v1/messages/{message_id}", headers=w.headers(sender))
    assert r.status_code == 200, r.json
    return r.json["deliveries"]
