"""Unlinkable pseudonyms: a client_ref is scoped per tenant. Two zorgaanbieders registering
consents for the same person get different client_refs, routing on consent still works, and a
sender sees a recipient's decision and basis, never its consent id or client_ref."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.integration.test_inzage import PERSOON, WONING, Demo


@pytest.fixture
def demo(database_url, tmp_path):
    d = Demo(database_url, tmp_path)
    yield d
    d.container.close()


def consent(d: Demo, controller: str, client: dict) -> dict:
    now = d.container.clock()
    return d.post(controller, "/api/v1/consents", {
        "client": client, "recipients": ["ymere"], "categories": ["signaal_overlast"],
        "purpose": "Overlast rond de woning samen met de corporatie aanpakken.",
        "necessity": "Zonder signaal kan de begeleiding niet tijdig bijsturen.",
        "valid_until": (now + timedelta(days=300)).isoformat(),
        "evidence": {"sha256": "ef" * 32, "signed_on": now.date().isoformat()}}, status=201)


def signaal_at_woning(d: Demo) -> dict:
    return d.send("ymere", "signaal", {
        "soort": "overlast", "categorieen": ["geluid"], "adres": WONING,
        "omschrijving": "Harde muziek na middernacht.", "waargenomen_op": "2026-11-01",
        "melder_type": "omwonende", "kenmerk_afzender": "YM-2"})


def test_two_tenants_registering_consents_for_one_person_get_different_client_refs(demo):
    hvo, arkin = consent(demo, "hvo-querido", PERSOON), consent(demo, "arkin", PERSOON)
    assert hvo["client_ref"] != arkin["client_ref"]
    # Each reads its own consent with its own ref, and finds it by that ref.
    for tenant, own in (("hvo-querido", hvo), ("arkin", arkin)):
        r = demo.client.get(f"/api/v1/consents?client_ref={own['client_ref']}",
                            headers=demo.headers(tenant))
        assert [c["id"] for c in r.json["items"]] == [own["id"]]
        assert r.json["items"][0]["client_ref"] == own["client_ref"]
    # The permitted recipient sees the consents under a ref of its own, a third one.
    ymere = demo.client.get("/api/v1/consents", headers=demo.headers("ymere")).json["items"]
    refs = {c["client_ref"] for c in ymere}
    assert len(refs) == 1 and refs.isdisjoint({hvo["client_ref"], arkin["client_ref"]})
    # A registration by one's own ref is about the same client.
    again = consent(demo, "arkin", {"client_ref": arkin["client_ref"]})
    assert again["client_ref"] == arkin["client_ref"]
    # Another tenant's ref is no ref of this client to arkin.
    r = demo.client.get(f"/api/v1/consents?client_ref={hvo['client_ref']}",
                        headers=demo.headers("arkin"))
    assert r.json["items"] == []


def test_routing_on_consent_works_and_the_sender_sees_no_consent_id_or_client_ref(demo):
    given = consent(demo, "hvo-querido", PERSOON)
    demo.post("hvo-querido", "/api/v1/begeleide-woningen", {
        "adres": WONING, "client_ref": given["client_ref"], "consent_id": given["id"],
        "contractvorm": "intermediair"}, status=201)
    sent = signaal_at_woning(demo)
    assert {x["recipient"]: x["decision"] for x in sent["deliveries"]}["hvo-querido"] == "permit"

    as_sender = demo.client.get(f"/api/v1/decisions?message_id={sent['id']}",
                                headers=demo.headers("ymere")).json["items"]
    hvo_row = next(x for x in as_sender if x["recipient"] == "hvo-querido")
    assert hvo_row["decision"] == "permit" and hvo_row["basis"] == "consent"
    assert hvo_row["consent_id"] is None and hvo_row["client_ref"] is None
    status = demo.client.get(f"/api/v1/messages/{sent['id']}", headers=demo.headers("ymere"))
    assert given["id"] not in status.get_data(as_text=True)
    assert given["client_ref"] not in status.get_data(as_text=True)

    as_recipient = demo.client.get(f"/api/v1/decisions?client_ref={given['client_ref']}",
                                   headers=demo.headers("hvo-querido")).json["items"]
    assert {x["message_id"] for x in as_recipient} == {sent["id"]}
    assert {x["client_ref"] for x in as_recipient} == {given["client_ref"]}
    assert {x["consent_id"] for x in as_recipient} == {given["id"]}


def test_a_tenants_audit_entries_name_the_client_by_its_own_ref_only(demo):
    hvo, arkin = consent(demo, "hvo-querido", PERSOON), consent(demo, "arkin", PERSOON)
    for tenant, own, other in (("hvo-querido", hvo, arkin), ("arkin", arkin, hvo)):
        r = demo.client.get("/api/v1/audit?activity=consent.registered",
                            headers=demo.headers(tenant))
        assert [e["subject_ref"] for e in r.json["items"]] == [own["client_ref"]]
        assert other["client_ref"] not in r.get_data(as_text=True)


def test_a_client_ref_shown_before_refs_were_per_tenant_still_works_for_its_controller(demo):
    given = consent(demo, "hvo-querido", PERSOON)
    with demo.container.uow() as uow:
        stored = uow.consents.latest(given["id"]).client_ref
    assert stored != given["client_ref"]
    legacy = consent(demo, "hvo-querido", {"client_ref": stored})
    assert legacy["client_ref"] == given["client_ref"]
    demo.post("hvo-querido", "/api/v1/begeleide-woningen", {
        "adres": WONING, "client_ref": stored, "consent_id": given["id"],
        "contractvorm": "intermediair"}, status=201)
    sent = signaal_at_woning(demo)
    assert {x["recipient"]: x["decision"] for x in sent["deliveries"]}["hvo-querido"] == "permit"
