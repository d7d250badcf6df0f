"""Every processing activity of API.md, performed once, writes exactly one audit entry, in the
transaction of the change itself (table-driven; regiecheck, term and zaak entries are tested
with their flows)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tenants.model import Principal, Scope
from tests.integration.pipeline import pipeline_world, signaal

BSN = "111222333"


@pytest.fixture
def w(sqlite_url, tmp_path):
    world = pipeline_world(sqlite_url, tmp_path, start=False)
    yield world
    world.container.close()


def _sent(w) -> tuple[str, list[dict]]:
    r = w.client.post("/api/v1/messages", json=signaal(), headers=w.headers("ymere"))
    assert r.status_code == 202, r.json
    return r.json["id"], r.json["deliveries"]


def _inbox_delivery(w, message_id: str) -> str:
    with w.container.uow() as uow:
        [d] = [d for d in uow.deliveries.for_message(message_id) if d.connector == "inbox"]
    return d.id


def _delivered(w) -> str:
    message_id, _ = _sent(w)
    delivery_id = _inbox_delivery(w, message_id)
    w.container.processor.process_many([delivery_id])
    return delivery_id


def _consent(w):
    arkin = Principal(tenant_id="arkin", key_id="k-arkin", scopes=frozenset(Scope))
    now = w.container.clock()
    return arkin, w.container.consents.register(arkin, {
        "client": {"achternaam": "Jansen", "voorletters": "J.", "geboortedatum": "1980-01-01"},
        "recipients": ["mzwo-centrum"], "categories": ["signaal_overlast"],
        "purpose": "Overlast samen aanpakken.", "necessity": "Zonder signaal geen hulp.",
        "valid_until": now + timedelta(days=365),
        "evidence": {"sha256": "a" * 64, "signed_on": now.date().isoformat()}})


def _endpoint(w) -> str:
    endpoint, _ = w.container.endpoints.create(
        Principal.system(), "arkin", connector="webhook",
        config={"url": "http://127.0.0.1:9/kh"})  # loopback: allowed in tests, offline
    return endpoint.id


def _key(w) -> str:
    r = w.client.post("/api/v1/admin/tenants/ymere/keys", headers=w.headers(),
                      json={"name": "lezen", "scopes": ["messages:receive"]})
    assert r.status_code == 201
    return r.json["id"]


def _network(w, network_id: str = "zaanstad") -> None:
    r = w.client.post("/api/v1/admin/networks", headers=w.headers(), json={
        "id": network_id, "name": "Zaanstad", "parties": [
            {"tenant_id": "ymere", "role": "woningcorporatie"}]})
    assert r.status_code == 201, r.json


def message_accepted(w):
    message_id, _ = _sent(w)
    return message_id


def message_rejected(w):
    body = signaal(omschrijving=f"Buurman met BSN {BSN}.")
    assert w.client.post("/api/v1/messages", json=body, headers=w.headers("ymere")
                         ).status_code == 422
    return None


def decision_recorded(w):
    message_id, deliveries = _sent(w)
    assert len(deliveries) == 1  # one recipient: the area's meldpunt
    return message_id


def delivery_attempted(w):
    return _delivered(w)


def delivery_acknowledged(w):
    delivery_id = _delivered(w)
    for _ in range(2):  # the second acknowledgement is no new processing
        r = w.client.post(f"/api/v1/inbox/{delivery_id}/ack", headers=w.headers("mzwo-centrum"))
        assert r.status_code == 200
    return delivery_id


def consent_registered(w):
    return _consent(w)[1].id


def consent_withdrawn(w):
    arkin, consent = _consent(w)
    w.container.consents.withdraw(arkin, consent.id, "Cliënt wil het niet meer.")
    w.container.consents.withdraw(arkin, consent.id, "Nogmaals.")  # already withdrawn: unchanged
    return consent.id


def woning_registered(w):
    arkin, consent = _consent(w)
    return w.container.woningen.register(arkin, {
        "adres": {"postcode": "1012AB", "huisnummer": 5}, "client_ref": consent.client_ref,
        "consent_id": consent.id, "contractvorm": "intermediair"}).id


def key_issued(w):
    return _key(w)


def key_revoked(w):
    key_id = _key(w)
    r = w.client.post(f"/api/v1/admin/tenants/ymere/keys/{key_id}/revoke", headers=w.headers())
    assert r.status_code == 200
    return key_id


def retention_run(w):
    from sqlalchemy import text

    message_id = _sent(w)[0]
    with w.container.engine.begin() as conn:  # its term has passed
        conn.execute(text("UPDATE messages SET retain_until = :at WHERE id = :id"),
                     {"at": w.container.clock() - timedelta(days=1), "id": message_id})
    return w.container.retention.run(actor="test").run_id


def key_master_rotated(w):
    _sent(w)  # the sender's data key exists
    return w.container.key_rotation.rotate_master(actor="test").master_key_id


def key_data_rotated(w):
    version = w.container.key_rotation.rotate_data("ymere", actor="test")
    return f"ymere:{version}"


def tenant_created(w):
    r = w.client.post("/api/v1/admin/tenants", headers=w.headers(),
                      json={"id": "rochdale", "name": "Rochdale", "kind": "woningcorporatie"})
    assert r.status_code == 201, r.json
    return "rochdale"


def tenant_suspended(w):
    assert w.client.post("/api/v1/admin/tenants/ymere/suspend",
                         headers=w.headers()).status_code == 200
    return "ymere"


def tenant_activated(w):
    w.client.post("/api/v1/admin/tenants/ymere/suspend", headers=w.headers())
    assert w.client.post("/api/v1/admin/tenants/ymere/activate",
                         headers=w.headers()).status_code == 200
    return "ymere"


def network_created(w):
    _network(w)
    return "zaanstad"


def network_changed(w):
    _network(w)
    r = w.client.put("/api/v1/admin/networks/zaanstad", headers=w.headers(), json={
        "id": "zaanstad", "name": "Zaanstad", "parties": [
            {"tenant_id": "ymere", "role": "woningcorporatie"},
            {"tenant_id": "arkin", "role": "zorgaanbieder"}]})
    assert r.status_code == 200, r.json
    return "zaanstad"


def user_created(w):
    r = w.client.post("/api/v1/admin/tenants/ymere/users", headers=w.headers(),
                      json={"email": "p.officer@ymere.example", "name": "P. Officer",
                            "roles": ["privacy_officer"]})
    assert r.status_code == 201, r.json
    return r.json["id"]


def user_roles_changed(w):
    from tenants.model import Role

    user_id = user_created(w)
    w.container.users.set_roles(Principal.system(), user_id, {Role.MEDEWERKER})
    return user_id


def endpoint_created(w):
    return _endpoint(w)


def endpoint_disabled(w):
    endpoint_id = _endpoint(w)
    w.container.endpoints.disable(Principal.system(), "arkin", endpoint_id)
    return endpoint_id


def endpoint_secret_rotated(w):
    endpoint_id = _endpoint(w)
    w.container.endpoints.rotate_secret(Principal.system(), "arkin", endpoint_id)
    return endpoint_id


def endpoint_changed(w):
    from hub.endpoints.model import EndpointChange

    endpoint_id = _endpoint(w)
    w.container.endpoints.change(Principal.system(), "arkin", endpoint_id, EndpointChange(
        config={"url": "http://127.0.0.1:9/other", "timeout_s": 3},
        types=("nl.ketenhub.signaal.v1",), set_types=True))
    return endpoint_id


def delivery_redrive(w):
    from hub.delivery.model import DeliveryStatus

    delivery_id = _inbox_delivery(w, _sent(w)[0])
    with w.container.uow() as uow:
        uow.deliveries.finish(delivery_id, status=DeliveryStatus.DEAD, now=w.container.clock())
        uow.commit()
    w.container.deliveries.redrive(Principal.system(), delivery_id)
    return delivery_id


ACTIVITIES = {
    "message.accepted": message_accepted,
    "message.rejected": message_rejected,
    "decision.recorded": decision_recorded,
    "delivery.attempted": delivery_attempted,
    "delivery.acknowledged": delivery_acknowledged,
    "consent.registered": consent_registered,
    "consent.withdrawn": consent_withdrawn,
    "begeleide_woning.registered": woning_registered,
    "key.issued": key_issued,
    "key.revoked": key_revoked,
    "key.master_rotated": key_master_rotated,
    "key.data_rotated": key_data_rotated,
    "retention.run": retention_run,
    "tenant.created": tenant_created,
    "tenant.suspended": tenant_suspended,
    "tenant.activated": tenant_activated,
    "network.created": network_created,
    "network.changed": network_changed,
    "user.created": user_created,
    "user.roles_changed": user_roles_changed,
    "endpoint.created": endpoint_created,
    "endpoint.disabled": endpoint_disabled,
    "endpoint.secret_rotated": endpoint_secret_rotated,
    "endpoint.changed": endpoint_changed,
    "delivery.redrive": delivery_redrive,
}


def _entries(w, action: str) -> list[dict]:
    with w.container.uow() as uow:
        return uow.audit.list(action=action)


@pytest.mark.parametrize("activity", sorted(ACTIVITIES))
def test_each_activity_performed_once_writes_exactly_one_entry(w, activity):
    before = len(_entries(w, activity))
    subject = ACTIVITIES[activity](w)
    new = _entries(w, activity)[before:]
    assert len(new) == 1, [e["subject_id"] for e in new]
    if subject is not None:
        assert new[0]["subject_id"] == subject
    text = json.dumps(new, default=str)
    for secret in (BSN, "Harde muziek", "Jansen", "1980-01-01", "Cliënt wil"):
        assert secret not in text
    assert w.container.audit.verify().ok


def test_a_rolled_back_change_leaves_no_entry(w):
    before = len(_entries(w, "tenant.created"))
    r = w.client.post("/api/v1/admin/tenants", headers=w.headers(),
                      json={"id": "ymere", "name": "Dubbel", "kind": "woningcorporatie"})
    assert r.status_code == 409
    assert len(_entries(w, "tenant.created")) == before


def test_a_delivery_entry_carries_the_legal_basis_for_the_recipient_to_read(w):
    delivery_id = _delivered(w)
    r = w.client.get("/api/v1/audit?activity=delivery.attempted",
                     headers=w.headers("mzwo-centrum"))
    [entry] = [e for e in r.json["items"] if e["object"] == delivery_id]
    assert entry["basis"] == "convenant" and entry["tenant_id"] == "mzwo-centrum"
