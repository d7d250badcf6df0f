"""Helpers for pipeline tests: a world with a network, events, and bounded waiting."""

from __future__ import annotations

import time
import uuid

from hub.runtime import Runtime
from tenants.demo import regiecheck_flows
from tenants.model import Area, Flow, LegalBasis, Party, Principal, TenantKind
from tenants.services import NetworkSpec
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


def signaal(postcode: str = "1012 AB", event_id: str | None = None, **data) -> dict:
    body = {"soort": "overlast", "categorieen": ["geluid"],
            "adres": {"postcode": postcode, "huisnummer": 12},
            "omschrijving": "Harde muziek na middernacht, al drie weken.",
            "waargenomen_op": "2026-11-01", "melder_type": "omwonende",
            "kenmerk_afzender": "YM-2026-001"}
    body.update(data)
    return {"specversion": "1.0", "id": event_id or str(uuid.uuid4()),
            "source": "urn:nld:kvk:12345678:systeem:crm", "type": "nl.ketenhub.signaal.v1",
            "time": "2026-11-20T09:30:00Z", "datacontenttype": "application/json", "data": body}


def event(type_: str, data: dict, event_id: str | None = None) -> dict:
    return {"specversion": "1.0", "id": event_id or str(uuid.uuid4()),
            "source": "urn:nld:kvk:87654321:systeem:ris", "type": type_, "data": data}


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
