"""A world for regiecheck tests: two meldpunten, a network with a standard regiecheck list and
the regiecheck flows, partner keys, and a clock the test moves."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hub.runtime import Runtime
from tenants.demo import demo_kvk, regiecheck_flows
from tenants.model import Party, Principal, RegiecheckPartner, Scope, TenantKind
from tenants.services import NetworkSpec
from tests.integration.conftest import build_world

K = TenantKind
AMSTERDAM = ZoneInfo("Europe/Amsterdam")

#: The standard list of the test network (tenant id → kind); ``de-key`` and ``eigen-haard`` come
#: in through the entry for the kind woningcorporatie.
PARTNERS = {
    "politie": K.POLITIE, "ggd": K.GGD, "jb-ra": K.JEUGDBESCHERMING, "wpi": K.GEMEENTE,
    "madi": K.HULPVERLENING, "de-key": K.WONINGCORPORATIE, "eigen-haard": K.WONINGCORPORATIE,
    "hvo-querido": K.ZORGAANBIEDER,
}
CASE_BY_CASE = {"cordaan": K.ZORGAANBIEDER}
STANDARD = sorted(PARTNERS)


class FakeClock:
    def __init__(self, at: datetime) -> None:
        self.now = at

    def __call__(self) -> datetime:
        return self.now

    def set_local(self, *args: int) -> None:
        self.now = datetime(*args, tzinfo=AMSTERDAM).astimezone(UTC)

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def regiecheck_world(database_url: str, tmp_path, broker_url: str = "", start: bool = True,
                     at: datetime | None = None):
    # Monday 30 November 2026, 10:00 in Amsterdam.
    clock = FakeClock(at or datetime(2026, 11, 30, 9, 0, tzinfo=UTC))
    overrides: dict = {"retry_base_s": 0.05, "retry_max_s": 0.2, "reconcile_interval_s": 0.1,
                       "regiecheck_interval_s": 3600.0}
    if broker_url:
        overrides["bus_prefix"] = f"kh-test-{uuid.uuid4().hex[:8]}"
    w = build_world(database_url, tmp_path, broker_url=broker_url, clock=clock, **overrides)
    system = Principal.system()
    w.container.tenants.create(system, tenant_id="mzwo-noord", name="Meldpunt Noord",
                               kind=K.MELDPUNT, kvk=kvk_of("mzwo-noord"))
    _, w.keys["mzwo-noord"] = w.container.keys.issue(system, "mzwo-noord", name="t",
                                                     scopes=frozenset(Scope))
    for tenant_id, kind in {**PARTNERS, **CASE_BY_CASE}.items():
        w.container.tenants.create(system, tenant_id=tenant_id, name=tenant_id, kind=kind,
                                   kvk=kvk_of(tenant_id))
        _, w.keys[tenant_id] = w.container.keys.issue(system, tenant_id, name="t",
                                                      scopes=frozenset(Scope))
    standard = [RegiecheckPartner(t) for t in STANDARD if PARTNERS[t] is not K.WONINGCORPORATIE]
    standard.append(RegiecheckPartner(tenant_kind=K.WONINGCORPORATIE))
    standard.append(RegiecheckPartner("cordaan", standaard=False))
    parties = [Party("mzwo-centrum", "meldpunt"), Party("mzwo-noord", "meldpunt")]
    parties += [Party(t, k.value) for t, k in {**PARTNERS, **CASE_BY_CASE}.items()]
    kinds = sorted({k for k in {**PARTNERS, **CASE_BY_CASE}.values()})
    w.container.networks.create(system, NetworkSpec(
        id="amsterdam", name="Amsterdam", parties=tuple(parties),
        regiecheck_partners=tuple(standard), flows=regiecheck_flows(kinds)))
    w.clock = clock
    w.runtime = Runtime(w.container)
    if start:
        w.runtime.start()
    return w


def stop(w) -> None:
    if getattr(w, "runtime", None) is not None and w.runtime._threads:
        w.runtime.stop()
    bus = w.container.bus
    w.container.close()
    if hasattr(bus, "delete_all"):
        bus.delete_all()


def household(**extra) -> dict:
    body = {
        "personen": [
            {"achternaam": "Jansen", "voornamen": "Piet", "geboortedatum": "1971-03-04",
             "adres": {"postcode": "1012 AB", "huisnummer": 12}},
            {"achternaam": "Jansen", "voorletters": "M.", "geboortedatum": "2009-08-21",
             "rol": "gezinslid"},
        ],
        "soort": "overlast_en_zorg",
        "overlastsoorten": ["geluid", "vervuiling"],
        "zaak_kenmerk": "MZWO-2026-0412",
    }
    body.update(extra)
    return body


def kvk_of(tenant_id: str) -> str:
    """A stable eight-digit KvK-nummer per test tenant: the demo's (``tenants.demo``), which the
    test worlds give every tenant, so ``source_for(tenant)`` names it too."""
    return demo_kvk(tenant_id)


def answer_event(regiecheck_id: str, data: dict, sender: str, event_id: str | None = None) -> dict:
    return {"specversion": "1.0", "id": event_id or str(uuid.uuid4()),
            "source": f"urn:nld:kvk:{kvk_of(sender)}:systeem:crm",
            "type": "nl.ketenhub.regiecheck.antwoord.v1",
            "data": {"regiecheck_id": regiecheck_id, **data}}


def inbox_events(w, tenant: str) -> list[dict]:
    r = w.client.get("/api/v1/inbox?status=all", headers=w.headers(tenant))
    assert r.status_code == 200, r.json
    return r.json["items"]


def of_type(items: list[dict], suffix: str) -> list[dict]:
    return [i for i in items if i["event"]["type"] == f"nl.ketenhub.regiecheck.{suffix}.v1"]
