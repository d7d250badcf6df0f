"""A world for termijnen tests: a fake clock, Ymere, HVO-Querido with a begeleide woning in
Centrum and its client's consent, the Centrum meldpunt (which may assign zaken to the
zorgaanbieders), and as many workers as asked."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from hub.app import create_app
from hub.bootstrap import bootstrap
from hub.config import Config
from hub.flows.calendar import AMSTERDAM
from hub.persistence.migrate import upgrade
from hub.runtime import Runtime
from tenants.demo import demo_kvk, source_for
from tenants.model import Area, Flow, LegalBasis, Party, Principal, Scope, TenantKind
from tenants.services import NetworkSpec
from tests.integration.conftest import new_master_key

K = TenantKind
THURSDAY = datetime(2026, 11, 26, 10, 0, tzinfo=AMSTERDAM)
#: A term of 2 werkdagen from THURSDAY: reminded Monday morning, expired Tuesday.
END_OF_MONDAY = datetime(2026, 11, 30, 23, 59, 59, tzinfo=AMSTERDAM)
MONDAY_MORNING = datetime(2026, 11, 30, 8, 30, tzinfo=AMSTERDAM)
TUESDAY_MORNING = datetime(2026, 12, 1, 8, 0, tzinfo=AMSTERDAM)
VERLOPEN = "nl.ketenhub.termijn.verlopen.v1"
HERINNERING = "nl.ketenhub.termijn.herinnering.v1"
ADRES = {"postcode": "1012 AB", "huisnummer": 5}
TENANTS = (("ketenhub", K.OVERIG), ("mzwo-centrum", K.MELDPUNT), ("ymere", K.WONINGCORPORATIE),
           ("hvo-querido", K.ZORGAANBIEDER), ("arkin", K.ZORGAANBIEDER))


class FakeClock:
    """Time stands still until the test moves it; every container of the world shares it."""

    def __init__(self, start: datetime) -> None:
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._now = moment


def flows() -> tuple[Flow, ...]:
    return (
        Flow("nl.ketenhub.signaal.v1", K.WONINGCORPORATIE, K.MELDPUNT, LegalBasis.CONVENANT),
        Flow("nl.ketenhub.signaal.v1", K.WONINGCORPORATIE, K.ZORGAANBIEDER, LegalBasis.CONSENT),
        Flow("nl.ketenhub.signaal.reactie.v1", K.ZORGAANBIEDER, K.WONINGCORPORATIE,
             LegalBasis.CONVENANT),
        Flow("nl.ketenhub.toewijzing.v1", K.MELDPUNT, K.ZORGAANBIEDER, LegalBasis.CONVENANT),
        Flow("nl.ketenhub.toewijzing.reactie.v1", K.ZORGAANBIEDER, K.MELDPUNT,
             LegalBasis.CONVENANT),
        Flow("nl.ketenhub.afsluiting.v1", K.MELDPUNT, K.ZORGAANBIEDER, LegalBasis.CONVENANT),
    )


@dataclass
class TermijnWorld:
    clock: FakeClock
    containers: list
    client: object
    keys: dict[str, str]
    runtimes: list = field(default_factory=list)

    @property
    def container(self):
        return self.containers[0]

    def headers(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[who]}"}

    def send(self, who: str, type_: str, data: dict) -> dict:
        body = {"specversion": "1.0", "id": str(uuid.uuid4()),
                "source": source_for(who), "type": type_, "data": data}
        r = self.client.post("/api/v1/messages", json=body, headers=self.headers(who))
        assert r.status_code == 202, r.json
        return r.json

    def start(self) -> None:
        for c in self.containers:
            runtime = Runtime(c)
            runtime.start()
            self.runtimes.append(runtime)

    def close(self) -> None:
        for runtime in self.runtimes:
            runtime.stop()
        bus = self.container.bus
        for c in self.containers:
            c.close()
        if hasattr(bus, "delete_all"):
            bus.delete_all()


def termijn_world(database_url: str, tmp_path, broker_url: str = "", workers: int = 1,
                  **overrides) -> TermijnWorld:
    clock = FakeClock(THURSDAY)
    overrides.setdefault("termijn_interval_s", 0.05)
    overrides.setdefault("reconcile_interval_s", 0.1)
    if broker_url:
        overrides.setdefault("bus_prefix", f"kh-test-{uuid.uuid4().hex[:8]}")
    config = Config(data_dir=tmp_path, database_url=database_url, broker_url=broker_url,
                    master_key=new_master_key(), **overrides)
    containers = [bootstrap(config, clock=clock) for _ in range(workers)]
    c = containers[0]
    upgrade(c.engine)
    system = Principal.system()
    keys = {}
    for tenant_id, kind in TENANTS:
        c.tenants.create(system, tenant_id=tenant_id, name=tenant_id, kind=kind,
                         is_operator=tenant_id == "ketenhub", kvk=demo_kvk(tenant_id))
        _, keys[tenant_id] = c.keys.issue(system, tenant_id, name="t", scopes=frozenset(Scope))
    c.networks.create(system, NetworkSpec(
        id="amsterdam", name="Amsterdam",
        parties=tuple(Party(t, k.value) for t, k in TENANTS if t != "ketenhub"),
        areas=(Area("mzwo-centrum", 1011, 1018),), flows=flows()))
    w = TermijnWorld(clock=clock, containers=containers,
                     client=create_app(config, c).test_client(), keys=keys)
    _begeleide_woning(w)
    return w


def _begeleide_woning(w: TermijnWorld) -> None:
    now = w.clock()
    r = w.client.post("/api/v1/consents", headers=w.headers("hvo-querido"), json={
        "client": {"achternaam": "Jansen", "voorletters": "P.", "geboortedatum": "1975-03-12"},
        "recipients": ["ymere"], "categories": ["signaal_overlast"],
        "purpose": "Overlast rond de woning samen met de corporatie aanpakken.",
        "necessity": "Zonder signaal kan de begeleiding niet tijdig bijsturen.",
        "valid_until": (now + timedelta(days=365)).isoformat(),
        "evidence": {"sha256": "ab" * 32, "signed_on": now.date().isoformat()}})
    assert r.status_code == 201, r.json
    consent = r.json
    r = w.client.post("/api/v1/begeleide-woningen", headers=w.headers("hvo-querido"), json={
        "adres": ADRES, "client_ref": consent["client_ref"], "consent_id": consent["id"],
        "contractvorm": "intermediair"})
    assert r.status_code == 201, r.json


def signaal_data(**overrides) -> dict:
    data = {"soort": "overlast", "categorieen": ["geluid"], "adres": dict(ADRES),
            "omschrijving": "Harde muziek na middernacht, al drie weken.",
            "waargenomen_op": "2026-11-20", "melder_type": "omwonende",
            "kenmerk_afzender": "YM-2026-001"}
    data.update(overrides)
    return data


def inbox(w: TermijnWorld, who: str) -> list[dict]:
    r = w.client.get("/api/v1/inbox?status=all", headers=w.headers(who))
    assert r.status_code == 200, r.json
    return r.json["items"]


def termijnen(w: TermijnWorld, who: str, status: str | None = None) -> list[dict]:
    r = w.client.get("/api/v1/termijnen" + (f"?status={status}" if status else ""),
                     headers=w.headers(who))
    assert r.status_code == 200, r.json
    return r.json["items"]


def count(w: TermijnWorld, query) -> int:  # noqa: ANN001 - a SQLAlchemy select
    with w.container.engine.connect() as conn:
        return conn.execute(query).scalar_one()
