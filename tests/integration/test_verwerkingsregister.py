"""The verwerkingsregister per network: demo defaults, readable by the privacy officers of its
parties, replaceable by the hub admin with the network, and the source of the audit entries'
processing activity (``purpose``)."""

from __future__ import annotations

import pytest

from tests.integration.test_inzage import Demo

NETWORK = "amsterdam-mzwo"
PATH = f"/api/v1/admin/networks/{NETWORK}/verwerkingsregister"
SIGNAAL = {"soort": "overlast", "categorieen": ["geluid"],
           "adres": {"postcode": "1012 AB", "huisnummer": 12},
           "omschrijving": "Harde muziek na middernacht.", "waargenomen_op": "2026-11-01",
           "melder_type": "omwonende", "kenmerk_afzender": "YM-3"}


@pytest.fixture
def demo(sqlite_url, tmp_path):
    d = Demo(sqlite_url, tmp_path)
    yield d
    d.container.close()


def _purposes(d: Demo, message_id: str) -> dict[str, str]:
    with d.container.uow() as uow:
        return {f"{e['action']}:{e['tenant_id']}": e["purpose"] for e in uow.audit.list()
                if e["subject_id"] == message_id}


def test_a_network_without_its_own_register_has_the_defaults_for_its_privacy_officers(demo):
    r = demo.client.get(PATH, headers=demo.headers("ymere"))
    assert r.status_code == 200 and r.json["eigen"] is False
    ids = [v["id"] for v in r.json["verwerkingen"]]
    assert {"signalering", "regiecheck", "urgent", "zaakregie", "aanmelding_utrecht",
            "toestemmingenregister", "inzage"} <= set(ids)
    for v in r.json["verwerkingen"]:
        assert v["doel"] and v["grondslag"] and v["bewaartermijn"] and v["categorieen"]
    # Utrecht's corporatie is no party of the Amsterdam convenant: as if it did not exist.
    other = demo.client.get(PATH, headers=demo.headers("mitros"))
    missing = demo.client.get("/api/v1/admin/networks/nergens/verwerkingsregister",
                              headers=demo.headers("mitros"))
    assert other.status_code == missing.status_code == 404 and other.json == missing.json


def test_audit_entries_name_the_activity_of_the_register(demo):
    sent = demo.send("ymere", "signaal", SIGNAAL)
    purposes = _purposes(demo, sent["id"])
    assert purposes["message.accepted:ymere"] == "signalering"
    assert purposes["decision.recorded:mzwo-centrum"] == "signalering"


def test_the_hub_admin_replaces_the_register_with_the_network_and_the_audit_follows(demo):
    network = demo.client.get(f"/api/v1/admin/networks/{NETWORK}",
                              headers=demo.headers("hub-admin")).json
    own = [{"id": "overlastsignalen", "naam": "Overlastsignalen", "doel": "Overlast aanpakken.",
            "grondslag": "convenant", "categorieen": ["adres", "omschrijving"],
            "bewaartermijn": "5 jaar", "berichttypen": ["nl.ketenhub.signaal.v1"]}]
    body = {k: v for k, v in network.items() if k not in ("created_at", "version")} | {
        "verwerkingsregister": own}
    r = demo.client.put(f"/api/v1/admin/networks/{NETWORK}", json=body,
                        headers=demo.headers("hub-admin"))
    assert r.status_code == 200, r.json
    read = demo.client.get(PATH, headers=demo.headers("ymere")).json
    assert read["eigen"] is True and [v["id"] for v in read["verwerkingen"]] == ["overlastsignalen"]
    demo.container.directory.invalidate()
    sent = demo.send("ymere", "signaal", SIGNAAL)
    assert _purposes(demo, sent["id"])["message.accepted:ymere"] == "overlastsignalen"

    twice = body | {"verwerkingsregister": own + own}
    r = demo.client.put(f"/api/v1/admin/networks/{NETWORK}", json=twice,
                        headers=demo.headers("hub-admin"))
    assert r.status_code == 422
    assert {"field": "/verwerkingsregister/1/id", "rule": "validation.duplicate"} in \
        r.json["error"]["details"]


def test_reading_the_register_needs_the_audit_read_scope(demo):
    from tenants.model import Principal, Scope

    _, key = demo.container.keys.issue(Principal.system(), "ymere", name="zonder audit",
                                       scopes=frozenset({Scope.MESSAGES_SEND}))
    r = demo.client.get(PATH, headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 403
