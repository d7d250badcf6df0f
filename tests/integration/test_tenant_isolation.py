"""A tenant's key reads nothing of another tenant, on every route of the app.

The test walks the URL map: a route without a case here fails the suite, so a new route
cannot be added without saying how it keeps tenants apart."""

from __future__ import annotations

import pytest

ME, OTHER = "ymere", "arkin"
NOBODY = "no-such-tenant"


def _same_as_missing(world, method, path_other, path_missing, **kw):
    """Another tenant's resource answers exactly like one that does not exist: 404."""
    h = world.headers(ME)
    other = world.client.open(path_other, method=method, headers=h, **kw)
    missing = world.client.open(path_missing, method=method, headers=h, **kw)
    assert other.status_code == 404, (path_other, other.json)
    assert other.json == missing.json
    return other


def tenants_list(w):
    r = w.client.get("/api/v1/admin/tenants", headers=w.headers(ME))
    assert [t["id"] for t in r.json["items"]] == [ME]


def tenants_create(w):
    h = w.headers(ME)
    taken = w.client.post("/api/v1/admin/tenants", headers=h,
                          json={"id": OTHER, "name": "x", "kind": "ggd"})
    free = w.client.post("/api/v1/admin/tenants", headers=h,
                         json={"id": NOBODY, "name": "x", "kind": "ggd"})
    assert taken.status_code == free.status_code == 403
    assert taken.json == free.json


def tenant_get(w):
    _same_as_missing(w, "GET", f"/api/v1/admin/tenants/{OTHER}", f"/api/v1/admin/tenants/{NOBODY}")


def tenant_suspend(w):
    _same_as_missing(w, "POST", f"/api/v1/admin/tenants/{OTHER}/suspend",
                     f"/api/v1/admin/tenants/{NOBODY}/suspend")
    assert w.container.tenants.get(_system(), OTHER).is_active


def tenant_activate(w):
    _same_as_missing(w, "POST", f"/api/v1/admin/tenants/{OTHER}/activate",
                     f"/api/v1/admin/tenants/{NOBODY}/activate")


def keys_list(w):
    _same_as_missing(w, "GET", f"/api/v1/admin/tenants/{OTHER}/keys",
                     f"/api/v1/admin/tenants/{NOBODY}/keys")


def keys_issue(w):
    body = {"name": "stolen", "scopes": ["admin"]}
    _same_as_missing(w, "POST", f"/api/v1/admin/tenants/{OTHER}/keys",
                     f"/api/v1/admin/tenants/{NOBODY}/keys", json=body)
    assert w.container.keys.list(_system(), OTHER).items[0].name == "t"
    assert len(w.container.keys.list(_system(), OTHER).items) == 1


def key_revoke(w):
    other_key = w.container.keys.list(_system(), OTHER).items[0].id
    _same_as_missing(w, "POST", f"/api/v1/admin/tenants/{OTHER}/keys/{other_key}/revoke",
                     f"/api/v1/admin/tenants/{NOBODY}/keys/{other_key}/revoke")
    _same_as_missing(w, "POST", f"/api/v1/admin/tenants/{ME}/keys/{other_key}/revoke",
                     f"/api/v1/admin/tenants/{ME}/keys/nosuchkey0000/revoke")
    assert w.container.keys.list(_system(), OTHER).items[0].revoked_at is None


def users_list(w):
    _same_as_missing(w, "GET", f"/api/v1/admin/tenants/{OTHER}/users",
                     f"/api/v1/admin/tenants/{NOBODY}/users")


def users_create(w):
    body = {"email": "x@example.org", "name": "x", "roles": ["privacy_officer"]}
    _same_as_missing(w, "POST", f"/api/v1/admin/tenants/{OTHER}/users",
                     f"/api/v1/admin/tenants/{NOBODY}/users", json=body)


def _other_network(w):
    from tenants.model import Party
    from tenants.services import NetworkSpec

    w.container.networks.create(_system(), NetworkSpec(
        id="utrecht", name="Utrecht", parties=(Party(OTHER, "zorgaanbieder"),)))


def networks_list(w):
    _other_network(w)
    r = w.client.get("/api/v1/admin/networks", headers=w.headers(ME))
    assert r.status_code == 200
    assert [n["id"] for n in r.json["items"]] == ["amsterdam"]  # not OTHER's "utrecht"


def networks_create(w):
    r = w.client.post("/api/v1/admin/networks", headers=w.headers(ME),
                      json={"id": "mine", "name": "x", "parties": [{"tenant_id": OTHER,
                                                                    "role": "x"}]})
    assert r.status_code == 403
    assert w.client.get("/api/v1/admin/networks/mine", headers=w.headers()).status_code == 404


def network_get(w):
    _other_network(w)
    _same_as_missing(w, "GET", "/api/v1/admin/networks/utrecht", "/api/v1/admin/networks/nope")


def network_register(w):
    _other_network(w)
    _same_as_missing(w, "GET", "/api/v1/admin/networks/utrecht/verwerkingsregister",
                     "/api/v1/admin/networks/nope/verwerkingsregister")
    own = w.client.get("/api/v1/admin/networks/amsterdam/verwerkingsregister",
                       headers=w.headers(ME))
    assert own.status_code == 200 and own.json["network_id"] == "amsterdam"


def network_put(w):
    _other_network(w)
    _same_as_missing(w, "PUT", "/api/v1/admin/networks/utrecht", "/api/v1/admin/networks/nope",
                     json={"name": "taken", "parties": []})


def network_party_add(w):
    _other_network(w)
    body = {"tenant_id": ME, "role": "zorgaanbieder"}
    _same_as_missing(w, "POST", "/api/v1/admin/networks/utrecht/parties",
                     "/api/v1/admin/networks/nope/parties", json=body)
    assert w.container.networks.get(_system(), "utrecht").party_ids() == {OTHER}


def network_party_remove(w):
    _other_network(w)
    _same_as_missing(w, "DELETE", f"/api/v1/admin/networks/utrecht/parties/{OTHER}",
                     f"/api/v1/admin/networks/nope/parties/{OTHER}")
    assert w.container.networks.get(_system(), "utrecht").party_ids() == {OTHER}


def privacy_check(w):
    r = w.client.post("/api/v1/privacy/check", headers=w.headers(ME), json={"input": OTHER})
    assert r.status_code == 200 and set(r.json) == {"bsn", "medical", "findings"}


def _message_to_other(w) -> tuple[str, str]:
    """mzwo-centrum assigns a case to OTHER; returns (message id, delivery id)."""
    from tests.integration.pipeline import event

    r = w.client.post("/api/v1/messages", headers=w.headers("mzwo-centrum"), json=event(
        "nl.ketenhub.toewijzing.v1", {"zaak_kenmerk": "ISO-1", "aan": OTHER}))
    assert r.status_code == 202 and r.json["deliveries"][0]["decision"] == "permit"
    with w.container.uow() as uow:
        [delivery] = uow.deliveries.for_message(r.json["id"])
    w.container.processor.process(delivery.id)
    return r.json["id"], delivery.id


def messages_send(w):
    from tests.integration.pipeline import event

    answers = {}
    for target in (OTHER, NOBODY):
        r = w.client.post("/api/v1/messages", headers=w.headers(ME), json=event(
            "nl.ketenhub.toewijzing.v1", {"zaak_kenmerk": "ISO-2", "aan": target}, sender=ME))
        assert r.status_code == 202
        [answer] = r.json["deliveries"]
        answers[target] = {k: v for k, v in answer.items() if k != "recipient"}
    assert answers[OTHER] == answers[NOBODY] == {"basis": None, "decision": "deny",
                                                 "reason": "not in network"}


def messages_batch(w):
    from tests.integration.pipeline import event

    r = w.client.post("/api/v1/messages:batch", headers=w.headers(ME), json={"events": [
        event("nl.ketenhub.toewijzing.v1", {"zaak_kenmerk": "ISO-3", "aan": t}, sender=ME)
        for t in (OTHER, NOBODY)]})
    assert r.status_code == 200
    first, second = (res["body"]["deliveries"][0] for res in r.json["results"])
    assert first["reason"] == second["reason"] == "not in network"


def message_status(w):
    message_id, _ = _message_to_other(w)
    _same_as_missing(w, "GET", f"/api/v1/messages/{message_id}",
                     "/api/v1/messages/00000000-0000-4000-8000-000000000000")


def inbox_list(w):
    _message_to_other(w)
    assert w.client.get("/api/v1/inbox?status=all", headers=w.headers(OTHER)).json["items"]
    r = w.client.get("/api/v1/inbox?status=all", headers=w.headers(ME))
    assert r.status_code == 200 and r.json["items"] == []


def inbox_ack(w):
    _, delivery_id = _message_to_other(w)
    _same_as_missing(w, "POST", f"/api/v1/inbox/{delivery_id}/ack",
                     "/api/v1/inbox/00000000-0000-4000-8000-000000000000/ack")
    items = w.client.get("/api/v1/inbox", headers=w.headers(OTHER)).json["items"]
    assert [i["status"] for i in items] == ["delivered"]


def inbox_ack_many(w):
    _, delivery_id = _message_to_other(w)
    missing = "00000000-0000-4000-8000-000000000000"
    r = w.client.post("/api/v1/inbox:ack", headers=w.headers(ME),
                      json={"delivery_ids": [delivery_id, missing]})
    assert r.status_code == 200
    assert r.json == {"acknowledged": [], "not_found": [delivery_id, missing]}
    items = w.client.get("/api/v1/inbox", headers=w.headers(OTHER)).json["items"]
    assert [i["status"] for i in items] == ["delivered"]


def _dead_delivery_to_other(w) -> str:
    from hub.delivery.model import DeliveryStatus

    _, delivery_id = _message_to_other(w)
    with w.container.uow() as uow:
        uow.deliveries.finish(delivery_id, status=DeliveryStatus.DEAD, now=w.container.clock())
        uow.commit()
    return delivery_id


def deliveries_list(w):
    _dead_delivery_to_other(w)
    assert w.client.get("/api/v1/admin/deliveries", headers=w.headers(OTHER)).json["items"]
    r = w.client.get("/api/v1/admin/deliveries?status=dead", headers=w.headers(ME))
    assert r.status_code == 200 and r.json["items"] == []


def delivery_redrive(w):
    delivery_id = _dead_delivery_to_other(w)
    _same_as_missing(w, "POST", f"/api/v1/admin/deliveries/{delivery_id}/redrive",
                     "/api/v1/admin/deliveries/00000000-0000-4000-8000-000000000000/redrive")
    with w.container.uow() as uow:
        assert uow.deliveries.get(delivery_id).status == "dead"


def _other_endpoint(w) -> str:
    endpoint, _ = w.container.endpoints.create(
        _system(), OTHER, connector="webhook", config={"url": "https://127.0.0.1:9/kh"})
    return endpoint.id


def endpoints_list(w):
    _other_endpoint(w)
    _same_as_missing(w, "GET", f"/api/v1/admin/tenants/{OTHER}/endpoints",
                     f"/api/v1/admin/tenants/{NOBODY}/endpoints")
    r = w.client.get(f"/api/v1/admin/tenants/{ME}/endpoints", headers=w.headers(ME))
    assert r.status_code == 200 and r.json["items"] == []


def endpoints_create(w):
    body = {"connector": "webhook", "config": {"url": "https://127.0.0.1:9/evil"}}
    _same_as_missing(w, "POST", f"/api/v1/admin/tenants/{OTHER}/endpoints",
                     f"/api/v1/admin/tenants/{NOBODY}/endpoints", json=body)
    assert w.container.endpoints.list(_system(), OTHER).items == []


def _endpoint_case(method, suffix, **kw):
    def case(w):
        eid = _other_endpoint(w)
        missing = "00000000-0000-4000-8000-000000000000"
        _same_as_missing(w, method, f"/api/v1/admin/tenants/{OTHER}/endpoints/{eid}{suffix}",
                         f"/api/v1/admin/tenants/{NOBODY}/endpoints/{eid}{suffix}", **kw)
        _same_as_missing(w, method, f"/api/v1/admin/tenants/{ME}/endpoints/{eid}{suffix}",
                         f"/api/v1/admin/tenants/{ME}/endpoints/{missing}{suffix}", **kw)
        assert w.container.endpoints.get(_system(), OTHER, eid).active
    return case


def endpoints_change(w):
    eid = _other_endpoint(w)
    _endpoint_case("PATCH", "", json={"types": ["nl.ketenhub.signaal.v1"],
                                      "url": "https://127.0.0.1:9/evil"})(w)
    unchanged = w.container.endpoints.get(_system(), OTHER, eid)
    assert unchanged.types is None and unchanged.config["url"] == "https://127.0.0.1:9/kh"


def _other_consent(w):
    from datetime import timedelta

    from tenants.model import Principal, Scope

    now = w.container.clock()
    arkin = Principal(tenant_id=OTHER, key_id="k", scopes=frozenset(Scope))
    return w.container.consents.register(arkin, {
        "client": {"achternaam": "Jansen", "voorletters": "J.", "geboortedatum": "1980-01-01"},
        "recipients": ["mzwo-centrum"], "categories": ["signaal_overlast"],
        "purpose": "Overlast samen aanpakken.", "necessity": "Zonder signaal geen hulp.",
        "valid_until": now + timedelta(days=365),
        "evidence": {"sha256": "a" * 64, "signed_on": now.date().isoformat()}})


def consents_create(w):
    body = {"client": {"achternaam": "Jansen", "voorletters": "J.",
                       "geboortedatum": "1980-01-01"},
            "recipients": ["mzwo-centrum"], "categories": ["signaal_overlast"],
            "purpose": "x", "necessity": "y", "valid_until": "2027-06-01T00:00:00Z",
            "evidence": {"sha256": "a" * 64, "signed_on": "2026-11-01"}}
    h = w.headers(ME)
    as_other = w.client.post("/api/v1/consents", headers=h, json={**body, "controller": OTHER})
    as_nobody = w.client.post("/api/v1/consents", headers=h, json={**body, "controller": NOBODY})
    assert as_other.status_code == as_nobody.status_code and as_other.status_code in (403, 422)
    assert as_other.json == as_nobody.json
    assert w.container.consents.list(_system()).items == []


def consents_list(w):
    _other_consent(w)
    r = w.client.get("/api/v1/consents", headers=w.headers(ME))
    assert r.status_code == 200 and r.json["items"] == []


def consent_get(w):
    consent = _other_consent(w)
    _same_as_missing(w, "GET", f"/api/v1/consents/{consent.id}", "/api/v1/consents/cns_nope")


def consent_withdraw(w):
    consent = _other_consent(w)
    _same_as_missing(w, "POST", f"/api/v1/consents/{consent.id}/withdraw",
                     "/api/v1/consents/cns_nope/withdraw", json={"reason": "x"})
    assert w.container.consents.get(_system(), consent.id)[0].status == "active"


def _woning_body(consent):
    return {"adres": {"postcode": "1012AB", "huisnummer": 5}, "client_ref": consent.client_ref,
            "consent_id": consent.id, "contractvorm": "intermediair"}


def woningen_create(w):
    consent = _other_consent(w)
    h = w.headers(ME)
    other = w.client.post("/api/v1/begeleide-woningen", headers=h, json=_woning_body(consent))
    body = _woning_body(consent) | {"consent_id": "cns_nope"}
    missing = w.client.post("/api/v1/begeleide-woningen", headers=h, json=body)
    assert other.status_code == missing.status_code and other.status_code in (403, 404, 422)
    assert other.json == missing.json
    assert w.container.woningen.list(_system()).items == []


def _other_woning(w):
    from tenants.model import Principal, Scope

    consent = _other_consent(w)
    arkin = Principal(tenant_id=OTHER, key_id="k", scopes=frozenset(Scope))
    return w.container.woningen.register(arkin, _woning_body(consent))


def woningen_list(w):
    _other_woning(w)
    r = w.client.get("/api/v1/begeleide-woningen", headers=w.headers(ME))
    assert r.status_code == 200 and r.json["items"] == []


def woning_get(w):
    woning = _other_woning(w)
    _same_as_missing(w, "GET", f"/api/v1/begeleide-woningen/{woning.id}",
                     "/api/v1/begeleide-woningen/bw_nope")


def woning_patch(w):
    woning = _other_woning(w)
    body = {"einde_datum": "2026-01-01"}
    _same_as_missing(w, "PATCH", f"/api/v1/begeleide-woningen/{woning.id}",
                     "/api/v1/begeleide-woningen/bw_nope", json=body)
    assert w.container.woningen.get(_system(), woning.id).einde_datum is None


def decisions_list(w):
    message_id, _ = _message_to_other(w)
    r = w.client.get(f"/api/v1/decisions?message_id={message_id}", headers=w.headers(ME))
    assert r.status_code == 200 and r.json["items"] == []
    theirs = w.client.get(f"/api/v1/decisions?message_id={message_id}", headers=w.headers(OTHER))
    assert [d["recipient"] for d in theirs.json["items"]] == [OTHER, OTHER]


def _zaak_of_meldpunt_with_other(w) -> str:
    """mzwo-centrum's zaak, in which OTHER received a toewijzing; ME has no part in it."""
    from tests.integration.pipeline import event

    r = w.client.post("/api/v1/messages", headers=w.headers("mzwo-centrum"), json=event(
        "nl.ketenhub.toewijzing.v1", {"zaak_kenmerk": "ISO-Z", "aan": OTHER}))
    assert r.status_code == 202 and r.json["deliveries"][0]["decision"] == "permit"
    return "ISO-Z"


def zaken_list(w):
    _zaak_of_meldpunt_with_other(w)
    theirs = w.client.get("/api/v1/zaken", headers=w.headers(OTHER)).json["items"]
    assert [z["kenmerk"] for z in theirs] == ["ISO-Z"]
    r = w.client.get("/api/v1/zaken", headers=w.headers(ME))
    assert r.status_code == 200 and r.json["items"] == []


def zaak_get(w):
    kenmerk = _zaak_of_meldpunt_with_other(w)
    _same_as_missing(w, "GET", f"/api/v1/zaken/{kenmerk}", "/api/v1/zaken/NO-SUCH")


def zaak_link_signaal(w):
    from tests.integration.pipeline import signaal

    kenmerk = _zaak_of_meldpunt_with_other(w)
    sent = w.client.post("/api/v1/messages", headers=w.headers(ME), json=signaal()).json
    body = {"signaal_id": sent["id"]}
    h = w.headers(ME)
    other = w.client.post(f"/api/v1/zaken/{kenmerk}/signalen", headers=h, json=body)
    missing = w.client.post("/api/v1/zaken/NO-SUCH/signalen", headers=h, json=body)
    assert other.status_code == missing.status_code == 403
    assert other.json == missing.json
    items = w.client.get(f"/api/v1/zaken/{kenmerk}", headers=w.headers("mzwo-centrum")).json
    assert [i["type"] for i in items["items"]] == ["nl.ketenhub.toewijzing.v1"]
def tenant_patch(w):
    _same_as_missing(w, "PATCH", f"/api/v1/admin/tenants/{OTHER}",
                     f"/api/v1/admin/tenants/{NOBODY}", json={"alert_email": "x@voorbeeld.nl"})
    assert w.container.tenants.get(_system(), OTHER).alert_email is None


def alerts_list(w):
    from datetime import UTC, datetime

    with w.container.uow() as uow:
        uow.alerts.raise_alert(kind="delivery.dead", tenant_id=OTHER, subject_id="d-of-other",
                               detail=None, at=datetime.now(UTC))
        uow.commit()
    for query in ("", f"?tenant={OTHER}"):
        r = w.client.get("/api/v1/admin/alerts" + query, headers=w.headers(ME))
        assert r.status_code == 200 and r.json["items"] == []
    theirs = w.client.get("/api/v1/admin/alerts", headers=w.headers(OTHER))
    assert [a["subject_id"] for a in theirs.json["items"]] == ["d-of-other"]


def retention_overview(w):
    """What is due counts only the caller's own messages; another tenant's stay uncounted."""
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import text

    message_id, _ = _message_to_other(w)  # sent by mzwo-centrum, into its zaak ISO-1
    long_ago = datetime.now(UTC) - timedelta(days=3650)
    with w.container.engine.begin() as conn:
        conn.execute(text("UPDATE messages SET retain_until = :at WHERE id = :id"),
                     {"at": long_ago, "id": message_id})
        conn.execute(text("UPDATE zaken SET status = 'gesloten', closed_at = :at"),
                     {"at": long_ago})
    mine = w.client.get("/api/v1/admin/retention", headers=w.headers(ME))
    assert mine.status_code == 200 and mine.json["due"]["messages"] == 0
    theirs = w.client.get("/api/v1/admin/retention", headers=w.headers("mzwo-centrum"))
    assert theirs.json["due"]["messages"] == 1


def _regiecheck_asking_other(w) -> str:
    """mzwo-centrum asks OTHER (only) whether it knows a person; returns the check id."""
    r = w.client.post("/api/v1/regiechecks", headers=w.headers("mzwo-centrum"), json={
        "personen": [{"achternaam": "Jansen", "geboortedatum": "1971-03-04"}],
        "soort": "overlast", "partners": [OTHER]})
    assert r.status_code == 201, r.json
    return r.json["id"]


NO_CHECK = "00000000-0000-4000-8000-000000000000"


def regiechecks_create(w):
    # ME is no meldpunt: it cannot ask anyone, OTHER included, and nothing reaches OTHER.
    r = w.client.post("/api/v1/regiechecks", headers=w.headers(ME), json={
        "personen": [{"achternaam": "Jansen", "geboortedatum": "1971-03-04"}],
        "soort": "overlast", "partners": [OTHER]})
    assert r.status_code == 403 and r.json["error"]["code"] == "regiecheck.alleen_meldpunt"
    assert w.container.regiechecks.list_gevraagd(_principal(OTHER), status=None, after=None,
                                                 limit=None).items == []


def regiechecks_list(w):
    check_id = _regiecheck_asking_other(w)
    for who in (ME, OTHER):
        r = w.client.get("/api/v1/regiechecks", headers=w.headers(who))
        assert r.status_code == 200 and r.json["items"] == []
    mine = w.client.get("/api/v1/regiechecks", headers=w.headers("mzwo-centrum"))
    assert [c["id"] for c in mine.json["items"]] == [check_id]


def regiechecks_gevraagd(w):
    check_id = _regiecheck_asking_other(w)
    r = w.client.get("/api/v1/regiechecks/gevraagd", headers=w.headers(ME))
    assert r.status_code == 200 and r.json["items"] == []
    theirs = w.client.get("/api/v1/regiechecks/gevraagd", headers=w.headers(OTHER))
    assert [c["id"] for c in theirs.json["items"]] == [check_id]


def regiecheck_get(w):
    check_id = _regiecheck_asking_other(w)
    _same_as_missing(w, "GET", f"/api/v1/regiechecks/{check_id}",
                     f"/api/v1/regiechecks/{NO_CHECK}")
    # The asked partner itself does not see the check either (only its own row, via gevraagd).
    r = w.client.get(f"/api/v1/regiechecks/{check_id}", headers=w.headers(OTHER))
    assert r.status_code == 404


def regiecheck_answer(w):
    check_id = _regiecheck_asking_other(w)
    _same_as_missing(w, "POST", f"/api/v1/regiechecks/{check_id}/antwoord",
                     f"/api/v1/regiechecks/{NO_CHECK}/antwoord", json={"bekend": False})
    r = w.client.get(f"/api/v1/regiechecks/{check_id}", headers=w.headers("mzwo-centrum"))
    assert [p["status"] for p in r.json["partners"]] == ["gevraagd"]
def termijnen_list(w):
    message_id, _ = _message_to_other(w)  # a toewijzing: OTHER owes the meldpunt an answer
    theirs = w.client.get("/api/v1/termijnen", headers=w.headers(OTHER)).json["items"]
    assert [(x["flow"], x["bericht_id"]) for x in theirs] == [("toewijzing", message_id)]
    owed = w.client.get("/api/v1/termijnen", headers=w.headers("mzwo-centrum")).json["items"]
    assert [x["id"] for x in owed] == [theirs[0]["id"]]
    for status in ("", "?status=lopend"):
        r = w.client.get(f"/api/v1/termijnen{status}", headers=w.headers(ME))
        assert r.status_code == 200 and r.json["items"] == []


def stats_get(w):
    _other_network(w)
    r = w.client.get("/api/v1/stats", headers=w.headers(ME))  # a corporatie: no figures at all
    assert r.status_code == 403 and r.json["error"]["code"] == "stats.niet_toegestaan"
    h = w.headers("mzwo-centrum")
    other = w.client.get("/api/v1/stats?network=utrecht", headers=h)
    missing = w.client.get("/api/v1/stats?network=nope", headers=h)
    assert other.status_code == missing.status_code == 404 and other.json == missing.json
    own = w.client.get("/api/v1/stats", headers=h)
    assert own.status_code == 200 and own.json["network"] == "amsterdam"


def _other_audit_entry(w) -> None:
    from datetime import UTC, datetime

    with w.container.uow() as uow:
        uow.audit.record(action="consent.registered", tenant_id=OTHER, actor="k",
                         subject_id="cns_other", facts={}, at=datetime.now(UTC))
        uow.commit()


def audit_list(w):
    _other_audit_entry(w)
    r = w.client.get("/api/v1/audit", headers=w.headers(ME))
    assert r.status_code == 200
    assert all(e["tenant_id"] == ME for e in r.json["items"])
    assert b"cns_other" not in r.data
    assert b"cns_other" in w.client.get("/api/v1/audit", headers=w.headers(OTHER)).data


def inzage(w):
    """A privacy officer finds the messages its own tenant sent or received only."""
    from tests.integration.pipeline import event

    persoon = {"achternaam": "Smit", "voorletters": "K.", "geboortedatum": "1980-02-02"}
    r = w.client.post("/api/v1/messages", headers=w.headers("mzwo-centrum"), json=event(
        "nl.ketenhub.toewijzing.v1", {"zaak_kenmerk": "ISO-9", "aan": OTHER,
                                      "personen": [persoon]}))
    assert r.status_code == 202
    mine = w.client.post("/api/v1/inzage", headers=w.headers(ME), json={"persoon": persoon})
    assert mine.status_code == 200 and mine.json["messages"] == []
    theirs = w.client.post("/api/v1/inzage", headers=w.headers(OTHER), json={"persoon": persoon})
    assert [m["message_id"] for m in theirs.json["messages"]] == [r.json["id"]]


def audit_verify(w):
    _other_audit_entry(w)
    r = w.client.get("/api/v1/audit/verify", headers=w.headers(ME))
    assert r.status_code == 200 and set(r.json) == {"ok", "checked", "first_bad_seq"}
    assert OTHER.encode() not in r.data


def delivery_attempts(w):
    _, delivery_id = _message_to_other(w)
    _same_as_missing(w, "GET", f"/api/v1/admin/deliveries/{delivery_id}/attempts",
                     "/api/v1/admin/deliveries/nope/attempts")


def deliveries_redrive_window(w):
    from datetime import UTC, datetime

    from hub.delivery.model import DeliveryStatus

    _, delivery_id = _message_to_other(w)
    with w.container.uow() as uow:
        uow.deliveries.finish(delivery_id, status=DeliveryStatus.DEAD, now=datetime.now(UTC),
                              error="test", reason="test")
        uow.commit()
    r = w.client.post("/api/v1/admin/deliveries:redrive", headers=w.headers(ME), json={})
    assert r.status_code == 200 and r.json == {"redriven": 0, "blocked": 0}
    with w.container.uow() as uow:
        assert uow.deliveries.get(delivery_id).status is DeliveryStatus.DEAD


def public_probe(path):
    def case(w):
        r = w.client.get(path)
        assert r.status_code == 200
        for tenant_id in (ME, OTHER):
            assert tenant_id.encode() not in r.data
    return case


# -- the web pages: a person of ME sees nothing of OTHER --------------------------------------

_MISSING_ID = "00000000-0000-4000-8000-000000000000"


def _web(w, tenant: str = ME):
    """A logged-in browser stand-in of a medewerker of ``tenant`` (one per world)."""
    from tenants.model import Role
    from tests.integration.web import Browser, person

    browsers = w.__dict__.setdefault("web_browsers", {})
    if tenant not in browsers:
        b = Browser(w.app)
        assert b.login(person(w, tenant, f"iso.{tenant}", {Role.MEDEWERKER})).status_code == 302
        browsers[tenant] = b
    return browsers[tenant]


def _web_same_as_missing(w, method, path_other, path_missing, data=None, browser=None,
                         token_from="/inbox"):
    from tests.integration.web import without_csrf

    b = browser or _web(w)
    if method == "GET":
        other, missing = b.get(path_other), b.get(path_missing)
    else:
        other = b.post(path_other, data or {}, token_from=token_from)
        missing = b.post(path_missing, data or {}, token_from=token_from)
    assert other.status_code == missing.status_code == 404, (path_other, other.status_code)
    assert without_csrf(other.get_data()) == without_csrf(missing.get_data())


def _admin(w):
    """A logged-in tenant admin of ME (with a second factor; one per world)."""
    from tenants.model import Role
    from tests.integration.web import Browser, person

    if "web_admin" not in w.__dict__:
        b = Browser(w.app)
        who = person(w, ME, "iso.beheer", {Role.TENANT_ADMIN}, totp=True)
        assert b.login(who).status_code == 302
        w.web_admin = b
    return w.web_admin


def _admin_same_as_missing(w, method, path_other, path_missing, data=None):
    _web_same_as_missing(w, method, path_other, path_missing, data, browser=_admin(w),
                         token_from="/beheer")


def _hub_admin_only(method, path):
    """A page of the hub admin: a tenant admin gets the 403 page, whatever it names."""
    def case(w):
        b = _admin(w)
        r = b.get(path) if method == "GET" else b.post(path, {}, token_from="/beheer")
        assert r.status_code == 403, path
        assert w.container.tenants.get(_system(), OTHER).is_active
    return case


def web_beheer(w):
    _other_endpoint(w)
    r = _admin(w).get("/beheer")
    assert r.status_code == 200 and OTHER.encode() not in r.data


def _admin_list(path, data=None):
    def case(w):
        for method in ("GET", "POST"):
            _admin_same_as_missing(w, method, f"{path}?organisatie={OTHER}",
                                   f"{path}?organisatie={NOBODY}", data)
        assert [k.name for k in w.container.keys.list(_system(), OTHER).items] == ["t"]
        assert w.container.users.list(_system(), OTHER).items == []
        assert w.container.endpoints.list(_system(), OTHER).items == []
    return case


def web_user_reset(w):
    from tenants.model import Role
    from tests.integration.web import person

    other = person(w, OTHER, "iso.other.user", {Role.MEDEWERKER})
    _admin_same_as_missing(w, "POST", f"/beheer/gebruikers/{other.user_id}/tweede-factor",
                           f"/beheer/gebruikers/{_MISSING_ID}/tweede-factor")
    _admin_same_as_missing(w, "POST",
                           f"/beheer/gebruikers/{other.user_id}/tweede-factor?organisatie={OTHER}",
                           f"/beheer/gebruikers/{_MISSING_ID}/tweede-factor?organisatie={NOBODY}")


def web_user_roles(method):
    def case(w):
        from tenants.model import Role
        from tests.integration.web import person

        other = person(w, OTHER, "iso.other.roles", {Role.MEDEWERKER})
        data = {"rollen": ["tenant_admin"]}
        _admin_same_as_missing(w, method, f"/beheer/gebruikers/{other.user_id}/rollen",
                               f"/beheer/gebruikers/{_MISSING_ID}/rollen", data)
        _admin_same_as_missing(w, method,
                               f"/beheer/gebruikers/{other.user_id}/rollen?organisatie={OTHER}",
                               f"/beheer/gebruikers/{_MISSING_ID}/rollen?organisatie={NOBODY}",
                               data)
        users = w.container.users.list(_system(), OTHER).items
        assert [u.roles for u in users if u.id == other.user_id] == [{Role.MEDEWERKER}]
    return case


def web_key_revoke(w):
    key_id = w.container.keys.list(_system(), OTHER).items[0].id
    _admin_same_as_missing(w, "POST", f"/beheer/sleutels/{key_id}/intrekken",
                           "/beheer/sleutels/nosuchkey0000/intrekken")
    _admin_same_as_missing(w, "POST", f"/beheer/sleutels/{key_id}/intrekken?organisatie={OTHER}",
                           f"/beheer/sleutels/{key_id}/intrekken?organisatie={NOBODY}")
    assert w.container.keys.list(_system(), OTHER).items[0].revoked_at is None


def _web_endpoint(method, suffix=""):
    def case(w):
        eid = _other_endpoint(w)
        _admin_same_as_missing(w, method, f"/beheer/koppelingen/{eid}{suffix}",
                               f"/beheer/koppelingen/{_MISSING_ID}{suffix}",
                               {"adres": "https://127.0.0.1:9/x"})
        _admin_same_as_missing(w, method, f"/beheer/koppelingen/{eid}{suffix}?organisatie={OTHER}",
                               f"/beheer/koppelingen/{eid}{suffix}?organisatie={NOBODY}",
                               {"adres": "https://127.0.0.1:9/x"})
        assert w.container.endpoints.get(_system(), OTHER, eid).active
    return case


def web_dead_attempts(w):
    _, delivery_id = _message_to_other(w)
    _admin_same_as_missing(w, "GET", f"/beheer/mislukte-berichten/{delivery_id}",
                           f"/beheer/mislukte-berichten/{_MISSING_ID}")


def web_dead_redrive(w):
    _, delivery_id = _message_to_other(w)
    _admin_same_as_missing(w, "POST", f"/beheer/mislukte-berichten/{delivery_id}/opnieuw",
                           f"/beheer/mislukte-berichten/{_MISSING_ID}/opnieuw")


def web_dead_list(w):
    """ME's admin lists and redrives only what was addressed to ME."""
    _, delivery_id = _message_to_other(w)
    with w.container.uow() as uow:
        uow.deliveries.finish(delivery_id, status=_dead(), now=_now(), reason="test")
        uow.commit()
    b = _admin(w)
    assert delivery_id.encode() not in b.get("/beheer/mislukte-berichten").data
    b.post("/beheer/mislukte-berichten", {"van": "2000-01-01", "tot": "2100-01-01"},
           token_from="/beheer/mislukte-berichten")
    with w.container.uow() as uow:
        assert uow.deliveries.get(delivery_id).redrives == 0


def _dead():
    from hub.delivery.model import DeliveryStatus

    return DeliveryStatus.DEAD


def _now():
    from datetime import UTC, datetime

    return datetime.now(UTC)


def web_home(w):
    from tests.integration.web import Browser

    assert Browser(w.app).get("/").headers["Location"].startswith("/login")
    assert _web(w).get("/").headers["Location"] == "/inbox"


def web_login(w):
    """Logging in reveals nothing: another tenant's user and no user fail alike."""
    from tenants.model import Role
    from tests.integration.web import Browser, person

    person(w, OTHER, "iso.other", {Role.MEDEWERKER})
    b = Browser(w.app)
    assert b.get("/login").status_code == 200 and OTHER.encode() not in b.last.data
    known = b.post("/login", {"username": "iso.other", "password": "niet-het-goede-wachtwoord"})
    unknown = b.post("/login", {"username": "iso.nobody", "password": "niet-het-goede-wachtwoord"})
    assert known.status_code == unknown.status_code == 200
    assert "Gebruikersnaam of wachtwoord is onjuist." in known.get_data(as_text=True)
    assert b.get("/inbox").status_code == 302


def web_second_factor(w):
    from tests.integration.web import Browser

    b = Browser(w.app)  # no password step: nothing to confirm, back to the login
    assert b.get("/login/tweede-factor").headers["Location"] == "/login"
    assert b.post("/login/tweede-factor", {"code": "123456"},
                  token_from="/login").headers["Location"] == "/login"


def web_logout(w):
    other = _web(w, OTHER)
    from tests.integration.web import Browser

    stranger = Browser(w.app)
    stranger.post("/logout", {}, token_from="/login")
    assert other.get("/inbox").status_code == 200  # someone else's logout ends no other session


def web_asset(w):
    r = w.client.get("/assets/ketenhub.css")
    assert r.status_code == 200 and r.mimetype == "text/css"
    assert w.client.get("/assets/..%2Fconfig.py").status_code == 404


def web_inbox(w):
    _, delivery_id = _message_to_other(w)
    assert delivery_id in _web(w, OTHER).get("/inbox").get_data(as_text=True)
    assert delivery_id not in _web(w).get("/inbox").get_data(as_text=True)


def web_message(w):
    _, delivery_id = _message_to_other(w)
    _web_same_as_missing(w, "GET", f"/inbox/{delivery_id}", f"/inbox/{_MISSING_ID}")


def web_ack(w):
    _, delivery_id = _message_to_other(w)
    _web_same_as_missing(w, "POST", f"/inbox/{delivery_id}/ontvangen",
                         f"/inbox/{_MISSING_ID}/ontvangen")
    with w.container.uow() as uow:
        assert uow.deliveries.get(delivery_id).status == "delivered"


def web_reactie(w):
    _, delivery_id = _message_to_other(w)
    _web_same_as_missing(w, "POST", f"/inbox/{delivery_id}/reactie",
                         f"/inbox/{_MISSING_ID}/reactie", {"status": "ontvangen"})


def web_toewijzing(w):
    """Nothing is answered for another tenant: no reactie is sent, the delivery stays new."""
    message_id, delivery_id = _message_to_other(w)
    _web_same_as_missing(w, "POST", f"/inbox/{delivery_id}/toewijzing",
                         f"/inbox/{_MISSING_ID}/toewijzing", {"besluit": "accepteren"})
    from sqlalchemy import func, select

    from hub.persistence import tables as t

    with w.container.uow() as uow:
        assert uow.deliveries.get(delivery_id).status == "delivered"
        answers = uow.connection.execute(select(func.count()).select_from(t.messages).where(
            t.messages.c.type == "nl.ketenhub.toewijzing.reactie.v1")).scalar()
    assert answers == 0


def web_sent(w):
    message_id, _ = _message_to_other(w)
    _web_same_as_missing(w, "GET", f"/berichten/{message_id}", f"/berichten/{_MISSING_ID}")


def web_signaal_new(w):
    """The form sends as the user's own organisation only: no field names another sender."""
    from sqlalchemy import func, select

    from hub.persistence import tables as t

    b = _web(w)
    assert b.get("/signalen/nieuw").status_code == 200 and OTHER.encode() not in b.last.data
    b.post("/signalen/nieuw", {"soort": "overlast", "categorieen": ["geluid"],
                               "postcode": "1012 AB", "huisnummer": "5", "omschrijving": "Lawaai.",
                               "waargenomen_op": "2026-11-20", "melder_type": "omwonende",
                               "kenmerk_afzender": "X-1", "source": "urn:nld:kvk:87654321",
                               "sender": OTHER, "tenant_id": OTHER})
    with w.container.uow() as uow:
        sent_as_other = uow.connection.execute(select(func.count()).select_from(t.messages).where(
            t.messages.c.sender_tenant_id == OTHER)).scalar()
    assert sent_as_other == 0


def web_regiechecks(w):
    """A partner's /regiechecks is its gevraagd list: only what it was asked itself."""
    check_id = _regiecheck_asking_other(w)
    me = _web(w)
    assert me.get("/regiechecks").headers["Location"] == "/regiechecks/gevraagd"
    assert check_id not in me.get("/regiechecks/gevraagd").get_data(as_text=True)
    assert check_id in _web(w, OTHER).get("/regiechecks/gevraagd").get_data(as_text=True)


def web_regiecheck_new(w):
    """Only a meldpunt starts one; a partner's form post asks nobody."""
    b = _web(w)
    assert b.get("/regiechecks/nieuw").status_code == 403
    r = b.post("/regiechecks/nieuw", {"achternaam": "X", "geboortedatum": "1980-01-01",
                                      "soort": "overlast", "partners": [OTHER]},
               token_from="/inbox")
    assert r.status_code == 403
    assert w.container.regiechecks.list_gevraagd(_principal(OTHER), status=None, after=None,
                                                 limit=10).items == []


def web_regiecheck_board(w):
    check_id = _regiecheck_asking_other(w)
    _web_same_as_missing(w, "GET", f"/regiechecks/{check_id}", f"/regiechecks/{NO_CHECK}")


def web_regiecheck_answer(w):
    """Only an asked partner answers; anyone else gets 404 and changes nothing."""
    check_id = _regiecheck_asking_other(w)
    _web_same_as_missing(w, "GET", f"/regiechecks/{check_id}/antwoord",
                         f"/regiechecks/{NO_CHECK}/antwoord")
    _web_same_as_missing(w, "POST", f"/regiechecks/{check_id}/antwoord",
                         f"/regiechecks/{NO_CHECK}/antwoord", {"bekend": "nee"})
    [theirs] = w.container.regiechecks.list_gevraagd(_principal(OTHER), status=None, after=None,
                                                     limit=10).items
    assert theirs["status"] == "gevraagd"



def _other_meldpunt(w) -> str:
    """A second meldpunt (holds no zaak of mzwo-centrum's); returns its tenant id."""
    from tenants.model import Principal, TenantKind

    if w.container.directory.snapshot().tenant("mzwo-iso") is None:
        w.container.tenants.create(Principal.system(), tenant_id="mzwo-iso", name="mzwo-iso",
                                   kind=TenantKind.MELDPUNT, kvk="30000099")
    return "mzwo-iso"


def web_zaken(w):
    """Zaken are the meldpunt's own: a partner gets 403, another meldpunt sees none of them."""
    _message_to_other(w)  # opens mzwo-centrum's zaak ISO-1
    assert _web(w).get("/zaken").status_code == 403
    assert _web(w, OTHER).get("/zaken?status=alles").status_code == 403
    page = _web(w, _other_meldpunt(w)).get("/zaken?status=alles").get_data(as_text=True)
    assert "ISO-1" not in page and "Geen zaken" in page
    assert "ISO-1" in _web(w, "mzwo-centrum").get("/zaken").get_data(as_text=True)


def _web_statistiek(path):
    def case(w):
        """A corporatie sees no figures (403); a meldpunt of no network none of Amsterdam's:
        asking for that network answers like one that does not exist."""
        assert _web(w).get(path).status_code == 403
        other = _web(w, _other_meldpunt(w))
        assert other.get(f"{path}?netwerk=amsterdam").status_code == 404
        assert other.get(f"{path}?netwerk=nope").status_code == 404
        assert _web(w, "mzwo-centrum").get(path).status_code == 200
    return case


def web_statistiek_chart(w):
    """The chart follows the page's rules: a corporatie 403, another network as a missing one."""
    assert _web(w).get("/statistiek.svg").status_code == 403
    other = _web(w, _other_meldpunt(w))
    assert other.get("/statistiek.svg?netwerk=amsterdam").status_code == 404
    assert other.get("/statistiek.svg?netwerk=nope").status_code == 404


def _zaak_same_as_missing(w, method, suffix="", data=None):
    from tests.integration.web import without_csrf

    _message_to_other(w)
    assert _web(w).get("/zaken/ISO-1").status_code == 403  # a partner opens no zaak at all
    b = _web(w, _other_meldpunt(w))
    if method == "GET":
        other, missing = b.get("/zaken/ISO-1" + suffix), b.get("/zaken/GEEN-ZAAK" + suffix)
    else:
        other = b.post("/zaken/ISO-1" + suffix, data, token_from="/inbox")
        missing = b.post("/zaken/GEEN-ZAAK" + suffix, data, token_from="/inbox")
    assert other.status_code == missing.status_code == 404
    assert without_csrf(other.get_data()) == without_csrf(missing.get_data())


def web_zaak(w):
    _zaak_same_as_missing(w, "GET")


def _sent_by(w, tenant: str, message_type: str) -> int:
    from sqlalchemy import func, select

    from hub.persistence import tables as t

    with w.container.uow() as uow:
        return uow.connection.execute(select(func.count()).select_from(t.messages).where(
            (t.messages.c.sender_tenant_id == tenant) & (t.messages.c.type == message_type))
        ).scalar()


def web_zaak_toewijzen(w):
    """Another meldpunt cannot assign mzwo-centrum's zaak: nothing is sent."""
    _zaak_same_as_missing(w, "POST", "/toewijzen", {"toewijzen-aan": OTHER})
    assert _sent_by(w, "mzwo-iso", "nl.ketenhub.toewijzing.v1") == 0


def web_zaak_afsluiten(w):
    _zaak_same_as_missing(w, "POST", "/afsluiten", {"afsluiten-reden": "opgelost"})
    assert _sent_by(w, "mzwo-iso", "nl.ketenhub.afsluiting.v1") == 0
    from hub.flows.zaken.model import ZaakStatus

    view = w.container.zaken.view(_principal("mzwo-centrum"), "ISO-1")
    assert view.zaak.status is ZaakStatus.OPEN


def web_zaak_koppelen(w):
    """Nobody registers another tenant's inbox item under a zaak."""
    _, delivery_id = _message_to_other(w)
    assert _web(w).post(f"/inbox/{delivery_id}/zaak", {"kenmerk": "X-1"},
                        token_from="/inbox").status_code == 403
    from tests.integration.web import without_csrf

    b = _web(w, _other_meldpunt(w))
    other = b.post(f"/inbox/{delivery_id}/zaak", {"kenmerk": "X-1"}, token_from="/inbox")
    missing = b.post(f"/inbox/{_MISSING_ID}/zaak", {"kenmerk": "X-1"}, token_from="/inbox")
    assert other.status_code == missing.status_code == 404
    assert without_csrf(other.get_data()) == without_csrf(missing.get_data())
    assert "X-1" not in b.get("/zaken?status=alles").get_data(as_text=True)


def web_termijnen(w):
    """A term OTHER owes mzwo-centrum is on their pages, not on ME's."""
    c = w.container
    with c.uow() as uow:
        c.termijnen.start(uow, flow="toewijzing", subject_id=_MISSING_ID, owed_by=OTHER,
                          owed_to="mzwo-centrum", network_id="amsterdam")
        uow.commit()
    assert "Toewijzing accepteren" in _web(w, OTHER).get("/termijnen").get_data(as_text=True)
    assert "Toewijzing accepteren" in _web(w, "mzwo-centrum").get("/termijnen").get_data(
        as_text=True)
    mine = _web(w).get("/termijnen").get_data(as_text=True)
    assert "Geen termijnen." in mine and OTHER not in mine.split("<main")[1]



# -- the privacy officer's pages and Nieuw bericht ---------------------------------------------

def _officer(w, tenant: str = ME):
    """A logged-in privacy officer of ``tenant`` (with a second factor; one per world)."""
    from tenants.model import Role
    from tests.integration.web import Browser, person

    browsers = w.__dict__.setdefault("web_officers", {})
    if tenant not in browsers:
        b = Browser(w.app)
        who = person(w, tenant, f"po.{tenant}", {Role.PRIVACY_OFFICER}, totp=True)
        assert b.login(who).status_code == 302
        browsers[tenant] = b
    return browsers[tenant]


def _officer_same_as_missing(w, method, path_other, path_missing, data=None):
    from tests.integration.web import without_csrf

    b = _officer(w)
    if method == "GET":
        other, missing = b.get(path_other), b.get(path_missing)
    else:
        other = b.post(path_other, data or {}, token_from="/toestemmingen")
        missing = b.post(path_missing, data or {}, token_from="/toestemmingen")
    assert other.status_code == missing.status_code == 404, (path_other, other.status_code)
    assert without_csrf(other.get_data()) == without_csrf(missing.get_data())


def web_toestemmingen(w):
    """OTHER's consent is not in ME's list; a medewerker gets the 403 page."""
    consent = _other_consent(w)
    page = _officer(w).get("/toestemmingen").get_data(as_text=True)
    assert consent.id not in page and OTHER not in page.split("<main")[1]
    assert consent.id in _officer(w, OTHER).get("/toestemmingen").get_data(as_text=True)
    assert _web(w).get("/toestemmingen").status_code == 403


def web_toestemming(w):
    consent = _other_consent(w)
    _officer_same_as_missing(w, "GET", f"/toestemmingen/{consent.id}", "/toestemmingen/cns_nope")


def web_toestemming_intrekken(w):
    consent = _other_consent(w)
    _officer_same_as_missing(w, "POST", f"/toestemmingen/{consent.id}/intrekken",
                             "/toestemmingen/cns_nope/intrekken",
                             {"reden": "Ingetrokken door een ander."})
    assert w.container.consents.get(_system(), consent.id)[0].status == "active"


def web_toestemming_nieuw(w):
    """Only a zorgaanbieder registers consents, always as itself: a corporatie's officer gets
    the 403 page and no consent is stored for anybody."""
    b = _officer(w)
    assert b.get("/toestemmingen/nieuw").status_code == 403
    r = b.post("/toestemmingen/nieuw", {"achternaam": "Jansen", "geboortedatum": "1980-01-01",
                                        "ontvangers": ["mzwo-centrum"], "controller": OTHER},
               token_from="/toestemmingen")
    assert r.status_code == 403
    assert w.container.consents.list(_system()).items == []


def web_beslissingen(w):
    """The decisions about a message to OTHER are not on ME's page, even asked by its id."""
    message_id, _ = _message_to_other(w)
    page = _officer(w).get(f"/beslissingen?bericht={message_id}").get_data(as_text=True)
    assert OTHER not in page.split("<main")[1]
    theirs = _officer(w, OTHER).get(f"/beslissingen?bericht={message_id}").get_data(as_text=True)
    assert "toegestaan" in theirs.lower() or "permit" in theirs.lower()


_INZAGE_PERSOON = {"achternaam": "Smit", "voorletters": "K.", "geboortedatum": "1980-02-02"}


def _toewijzing_about_smit(w) -> str:
    from tests.integration.pipeline import event

    r = w.client.post("/api/v1/messages", headers=w.headers("mzwo-centrum"), json=event(
        "nl.ketenhub.toewijzing.v1", {"zaak_kenmerk": "ISO-9", "aan": OTHER,
                                      "personen": [_INZAGE_PERSOON]}))
    assert r.status_code == 202
    return r.json["id"]


def web_inzage(w):
    """ME's officer finds nothing of a message between mzwo-centrum and OTHER; OTHER's does."""
    message_id = _toewijzing_about_smit(w)
    form = {"achternaam": "Smit", "voorletters": "K.", "geboortedatum": "1980-02-02"}
    mine = _officer(w).post("/inzage", form)
    assert mine.status_code == 200 and message_id not in mine.get_data(as_text=True)
    theirs = _officer(w, OTHER).post("/inzage", form)
    assert message_id in theirs.get_data(as_text=True)
    assert _web(w).get("/inzage").status_code == 403


def web_inzage_pdf(w):
    """The PDF is the same report: ME's holds no message of OTHER's; a medewerker gets 403."""
    message_id = _toewijzing_about_smit(w)
    form = {"achternaam": "Smit", "voorletters": "K.", "geboortedatum": "1980-02-02"}
    r = _officer(w).post("/inzage/pdf", form, token_from="/inzage")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert message_id.encode() not in r.data
    assert _web(w).post("/inzage/pdf", form, token_from="/inbox").status_code == 403


def web_logboek(w):
    """ME's officer reads the entries about ME's processing only."""
    _other_audit_entry(w)
    page = _officer(w).get("/logboek").get_data(as_text=True)
    assert "cns_other" not in page
    assert "cns_other" in _officer(w, OTHER).get("/logboek").get_data(as_text=True)


def web_nieuw_bericht(w):
    """Nieuw bericht is the meldpunt's: a corporatie gets the 403 page."""
    assert _web(w).get("/nieuw-bericht").status_code == 403
    assert _web(w, "mzwo-centrum").get("/nieuw-bericht").status_code == 200


def web_urgent(w):
    """Only a meldpunt sends an urgent message, as itself: a corporatie's post sends nothing."""
    b = _web(w)
    assert b.get("/urgent/nieuw").status_code == 403
    r = b.post("/urgent/nieuw", {"achternaam": "X", "geboortedatum": "1980-01-01",
                                 "postcode": "1012 AB", "huisnummer": "5",
                                 "situatieschets": "Acuut gevaar.", "naam": "A",
                                 "sender": "mzwo-centrum"}, token_from="/inbox")
    assert r.status_code == 403
    assert _sent_by(w, ME, "nl.ketenhub.urgent.v1") == 0
    assert _sent_by(w, "mzwo-centrum", "nl.ketenhub.urgent.v1") == 0

CASES = {
    ("/api/v1/admin/tenants", "GET"): tenants_list,
    ("/api/v1/admin/tenants", "POST"): tenants_create,
    ("/api/v1/admin/tenants/<tenant_id>", "GET"): tenant_get,
    ("/api/v1/admin/tenants/<tenant_id>", "PATCH"): tenant_patch,
    ("/api/v1/admin/alerts", "GET"): alerts_list,
    ("/api/v1/admin/retention", "GET"): retention_overview,
    ("/api/v1/admin/deliveries/<delivery_id>/attempts", "GET"): delivery_attempts,
    ("/api/v1/admin/deliveries:redrive", "POST"): deliveries_redrive_window,
    ("/api/v1/admin/tenants/<tenant_id>/suspend", "POST"): tenant_suspend,
    ("/api/v1/admin/tenants/<tenant_id>/activate", "POST"): tenant_activate,
    ("/api/v1/admin/tenants/<tenant_id>/keys", "GET"): keys_list,
    ("/api/v1/admin/tenants/<tenant_id>/keys", "POST"): keys_issue,
    ("/api/v1/admin/tenants/<tenant_id>/keys/<key_id>/revoke", "POST"): key_revoke,
    ("/api/v1/admin/tenants/<tenant_id>/users", "GET"): users_list,
    ("/api/v1/admin/tenants/<tenant_id>/users", "POST"): users_create,
    ("/api/v1/admin/networks", "GET"): networks_list,
    ("/api/v1/admin/networks", "POST"): networks_create,
    ("/api/v1/admin/networks/<network_id>", "GET"): network_get,
    ("/api/v1/admin/networks/<network_id>", "PUT"): network_put,
    ("/api/v1/admin/networks/<network_id>/parties", "POST"): network_party_add,
    ("/api/v1/admin/networks/<network_id>/parties/<tenant_id>", "DELETE"): network_party_remove,
    ("/api/v1/privacy/check", "POST"): privacy_check,
    ("/api/v1/messages", "POST"): messages_send,
    ("/api/v1/messages:batch", "POST"): messages_batch,
    ("/api/v1/messages/<message_id>", "GET"): message_status,
    ("/api/v1/inbox", "GET"): inbox_list,
    ("/api/v1/inbox/<delivery_id>/ack", "POST"): inbox_ack,
    ("/api/v1/inbox:ack", "POST"): inbox_ack_many,
    ("/api/v1/admin/deliveries", "GET"): deliveries_list,
    ("/api/v1/admin/tenants/<tenant_id>/endpoints", "GET"): endpoints_list,
    ("/api/v1/admin/tenants/<tenant_id>/endpoints", "POST"): endpoints_create,
    ("/api/v1/admin/tenants/<tenant_id>/endpoints/<endpoint_id>", "GET"): _endpoint_case("GET", ""),
    ("/api/v1/admin/tenants/<tenant_id>/endpoints/<endpoint_id>", "PATCH"): endpoints_change,
    ("/api/v1/admin/tenants/<tenant_id>/endpoints/<endpoint_id>", "DELETE"):
        _endpoint_case("DELETE", ""),
    ("/api/v1/admin/tenants/<tenant_id>/endpoints/<endpoint_id>/rotate-secret", "POST"):
        _endpoint_case("POST", "/rotate-secret", json={}),
    ("/api/v1/admin/tenants/<tenant_id>/endpoints/<endpoint_id>/test", "POST"):
        _endpoint_case("POST", "/test"),
    ("/api/v1/consents", "POST"): consents_create,
    ("/api/v1/consents", "GET"): consents_list,
    ("/api/v1/consents/<consent_id>", "GET"): consent_get,
    ("/api/v1/consents/<consent_id>/withdraw", "POST"): consent_withdraw,
    ("/api/v1/begeleide-woningen", "POST"): woningen_create,
    ("/api/v1/begeleide-woningen", "GET"): woningen_list,
    ("/api/v1/begeleide-woningen/<woning_id>", "GET"): woning_get,
    ("/api/v1/begeleide-woningen/<woning_id>", "PATCH"): woning_patch,
    ("/api/v1/decisions", "GET"): decisions_list,
    ("/api/v1/zaken", "GET"): zaken_list,
    ("/api/v1/zaken/<kenmerk>", "GET"): zaak_get,
    ("/api/v1/zaken/<kenmerk>/signalen", "POST"): zaak_link_signaal,
    ("/api/v1/termijnen", "GET"): termijnen_list,
    ("/api/v1/stats", "GET"): stats_get,
    ("/statistiek", "GET"): _web_statistiek("/statistiek"),
    ("/statistiek.csv", "GET"): _web_statistiek("/statistiek.csv"),
    ("/statistiek.svg", "GET"): web_statistiek_chart,
    ("/api/v1/admin/deliveries/<delivery_id>/redrive", "POST"): delivery_redrive,
    ("/api/v1/regiechecks", "POST"): regiechecks_create,
    ("/api/v1/regiechecks", "GET"): regiechecks_list,
    ("/api/v1/regiechecks/gevraagd", "GET"): regiechecks_gevraagd,
    ("/api/v1/regiechecks/<regiecheck_id>", "GET"): regiecheck_get,
    ("/api/v1/regiechecks/<regiecheck_id>/antwoord", "POST"): regiecheck_answer,
    ("/api/v1/audit", "GET"): audit_list,
    ("/api/v1/audit/verify", "GET"): audit_verify,
    ("/api/v1/inzage", "POST"): inzage,
    ("/api/v1/admin/networks/<network_id>/verwerkingsregister", "GET"): network_register,
    ("/healthz", "GET"): public_probe("/healthz"),
    ("/readyz", "GET"): public_probe("/readyz"),
    ("/metrics", "GET"): public_probe("/metrics"),
    ("/openapi.json", "GET"): public_probe("/openapi.json"),
    ("/", "GET"): web_home,
    ("/login", "GET"): web_login,
    ("/login", "POST"): web_login,
    ("/login/tweede-factor", "GET"): web_second_factor,
    ("/login/tweede-factor", "POST"): web_second_factor,
    ("/logout", "POST"): web_logout,
    ("/assets/<name>", "GET"): web_asset,
    ("/inbox", "GET"): web_inbox,
    ("/inbox/<delivery_id>", "GET"): web_message,
    ("/inbox/<delivery_id>/ontvangen", "POST"): web_ack,
    ("/inbox/<delivery_id>/reactie", "POST"): web_reactie,
    ("/inbox/<delivery_id>/toewijzing", "POST"): web_toewijzing,
    ("/berichten/<message_id>", "GET"): web_sent,
    ("/signalen/nieuw", "GET"): web_signaal_new,
    ("/signalen/nieuw", "POST"): web_signaal_new,
    ("/regiechecks", "GET"): web_regiechecks,
    ("/regiechecks/gevraagd", "GET"): web_regiechecks,
    ("/regiechecks/nieuw", "GET"): web_regiecheck_new,
    ("/regiechecks/nieuw", "POST"): web_regiecheck_new,
    ("/regiechecks/<regiecheck_id>", "GET"): web_regiecheck_board,
    ("/regiechecks/<regiecheck_id>/antwoord", "GET"): web_regiecheck_answer,
    ("/regiechecks/<regiecheck_id>/antwoord", "POST"): web_regiecheck_answer,
    ("/zaken", "GET"): web_zaken,
    ("/zaken/<path:kenmerk>", "GET"): web_zaak,
    ("/zaken/<path:kenmerk>/toewijzen", "POST"): web_zaak_toewijzen,
    ("/zaken/<path:kenmerk>/afsluiten", "POST"): web_zaak_afsluiten,
    ("/inbox/<delivery_id>/zaak", "POST"): web_zaak_koppelen,
    ("/termijnen", "GET"): web_termijnen,
    ("/toestemmingen", "GET"): web_toestemmingen,
    ("/toestemmingen/<consent_id>", "GET"): web_toestemming,
    ("/toestemmingen/<consent_id>/intrekken", "POST"): web_toestemming_intrekken,
    ("/toestemmingen/nieuw", "GET"): web_toestemming_nieuw,
    ("/toestemmingen/nieuw", "POST"): web_toestemming_nieuw,
    ("/beslissingen", "GET"): web_beslissingen,
    ("/inzage", "GET"): web_inzage,
    ("/inzage", "POST"): web_inzage,
    ("/inzage/pdf", "POST"): web_inzage_pdf,
    ("/logboek", "GET"): web_logboek,
    ("/nieuw-bericht", "GET"): web_nieuw_bericht,
    ("/urgent/nieuw", "GET"): web_urgent,
    ("/urgent/nieuw", "POST"): web_urgent,
    ("/beheer", "GET"): web_beheer,
    ("/beheer/organisaties", "GET"): _hub_admin_only("GET", "/beheer/organisaties"),
    ("/beheer/organisaties", "POST"): _hub_admin_only("POST", "/beheer/organisaties"),
    ("/beheer/organisaties/<tenant_id>/schorsen", "POST"):
        _hub_admin_only("POST", f"/beheer/organisaties/{OTHER}/schorsen"),
    ("/beheer/organisaties/<tenant_id>/activeren", "POST"):
        _hub_admin_only("POST", f"/beheer/organisaties/{OTHER}/activeren"),
    ("/beheer/netwerken", "GET"): _hub_admin_only("GET", "/beheer/netwerken"),
    ("/beheer/netwerken/<network_id>", "GET"): _hub_admin_only("GET", "/beheer/netwerken/utrecht"),
    ("/beheer/netwerken/<network_id>", "POST"):
        _hub_admin_only("POST", "/beheer/netwerken/utrecht"),
    ("/beheer/netwerken/<network_id>/gebieden", "POST"):
        _hub_admin_only("POST", "/beheer/netwerken/utrecht/gebieden"),
    ("/beheer/netwerken/<network_id>/regiecheck-lijst", "POST"):
        _hub_admin_only("POST", "/beheer/netwerken/utrecht/regiecheck-lijst"),
    ("/beheer/netwerken/<network_id>/termijnen", "POST"):
        _hub_admin_only("POST", "/beheer/netwerken/utrecht/termijnen"),
    ("/beheer/netwerken/<network_id>/partijen/<tenant_id>/verwijderen", "POST"):
        _hub_admin_only("POST", f"/beheer/netwerken/utrecht/partijen/{OTHER}/verwijderen"),
    ("/beheer/gebruikers", "GET"): _admin_list("/beheer/gebruikers"),
    ("/beheer/gebruikers", "POST"): _admin_list("/beheer/gebruikers", {
        "naam": "x", "email": "x@example.org", "gebruikersnaam": "iso.x",
        "rollen": ["tenant_admin"]}),
    ("/beheer/gebruikers/<user_id>/tweede-factor", "POST"): web_user_reset,
    ("/beheer/gebruikers/<user_id>/rollen", "GET"): web_user_roles("GET"),
    ("/beheer/gebruikers/<user_id>/rollen", "POST"): web_user_roles("POST"),
    ("/beheer/sleutels", "GET"): _admin_list("/beheer/sleutels"),
    ("/beheer/sleutels", "POST"): _admin_list("/beheer/sleutels",
                                              {"naam": "gestolen", "scopes": ["admin"]}),
    ("/beheer/sleutels/<key_id>/intrekken", "POST"): web_key_revoke,
    ("/beheer/koppelingen", "GET"): _admin_list("/beheer/koppelingen"),
    ("/beheer/koppelingen", "POST"): _admin_list("/beheer/koppelingen", {
        "soort": "webhook", "adres": "https://127.0.0.1:9/evil"}),
    ("/beheer/koppelingen/<endpoint_id>", "GET"): _web_endpoint("GET"),
    ("/beheer/koppelingen/<endpoint_id>", "POST"): _web_endpoint("POST"),
    ("/beheer/koppelingen/<endpoint_id>/test", "POST"): _web_endpoint("POST", "/test"),
    ("/beheer/koppelingen/<endpoint_id>/nieuw-geheim", "POST"):
        _web_endpoint("POST", "/nieuw-geheim"),
    ("/beheer/koppelingen/<endpoint_id>/uitschakelen", "POST"):
        _web_endpoint("POST", "/uitschakelen"),
    ("/beheer/mislukte-berichten", "GET"): web_dead_list,
    ("/beheer/mislukte-berichten", "POST"): web_dead_list,
    ("/beheer/mislukte-berichten/<delivery_id>", "GET"): web_dead_attempts,
    ("/beheer/mislukte-berichten/<delivery_id>/opnieuw", "POST"): web_dead_redrive,
}


def _system():
    from tenants.model import Principal

    return Principal.system()


def _principal(tenant_id):
    from tenants.model import Principal, Scope

    return Principal(tenant_id=tenant_id, key_id="test", scopes=frozenset(Scope))


def app_routes(app) -> set[tuple[str, str]]:
    # The Swagger UI (flask-smorest's api-docs: the public OpenAPI document) holds no tenant data.
    return {(rule.rule, method) for rule in app.url_map.iter_rules()
            if rule.endpoint != "static" and not rule.endpoint.startswith("api-docs.")
            for method in rule.methods - {"HEAD", "OPTIONS"}}


@pytest.fixture
def iso_world(sqlite_url, tmp_path):
    from tests.integration.pipeline import pipeline_world

    w = pipeline_world(sqlite_url, tmp_path, start=False)
    yield w
    w.container.close()


def test_every_route_of_the_app_has_an_isolation_case(iso_world):
    missing = app_routes(iso_world.app) - set(CASES)
    assert not missing, f"routes without a tenant-isolation case: {sorted(missing)}"
    stale = set(CASES) - app_routes(iso_world.app)
    assert not stale, f"isolation cases for routes that no longer exist: {sorted(stale)}"


@pytest.mark.parametrize("route", sorted(CASES), ids=lambda r: f"{r[1]} {r[0]}")
def test_a_tenant_reads_nothing_of_another_tenant(iso_world, route):
    CASES[route](iso_world)
