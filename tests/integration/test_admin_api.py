"""The admin API end to end over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.integration.conftest import build_world


def test_an_admin_onboards_a_tenant_and_issues_it_a_key_that_works(world):
    c, h = world.client, world.headers()
    r = c.post("/api/v1/admin/tenants", headers=h,
               json={"id": "de-key", "name": "De Key", "kind": "woningcorporatie",
                     "kvk": "12345678"})
    assert r.status_code == 201, r.json
    assert r.json["status"] == "active" and r.json["kind"] == "woningcorporatie"
    r = c.post("/api/v1/admin/tenants/de-key/keys", headers=h,
               json={"name": "crm", "scopes": ["messages:send", "admin"]})
    assert r.status_code == 201
    key = r.json["key"]
    assert key.startswith("kh_") and r.json["scopes"] == ["admin", "messages:send"]
    r = c.get("/api/v1/admin/tenants", headers={"Authorization": f"Bearer {key}"})
    assert [t["id"] for t in r.json["items"]] == ["de-key"]
    listed = c.get("/api/v1/admin/tenants/de-key/keys", headers=h).json["items"]
    assert all("key" not in k for k in listed)
    assert listed[0]["last_used_at"] is not None


def test_a_revoked_key_answers_401_afterwards(world):
    c, h = world.client, world.headers()
    r = c.post("/api/v1/admin/tenants/ymere/keys", headers=h,
               json={"name": "tmp", "scopes": ["admin"]})
    key_id, key = r.json["id"], r.json["key"]
    auth = {"Authorization": f"Bearer {key}"}
    assert c.get("/api/v1/admin/tenants/ymere", headers=auth).status_code == 200
    r = c.post(f"/api/v1/admin/tenants/ymere/keys/{key_id}/revoke", headers=h)
    assert r.status_code == 200 and r.json["status"] == "revoked"
    r = c.get("/api/v1/admin/tenants/ymere", headers=auth)
    assert r.status_code == 401 and r.json["error"]["code"] == "auth.invalid_key"


def test_a_suspended_tenant_is_refused_and_can_be_reactivated(world):
    c, h = world.client, world.headers()
    assert c.post("/api/v1/admin/tenants/arkin/suspend", headers=h).json["status"] == "suspended"
    r = c.get("/api/v1/admin/tenants/arkin", headers=world.headers("arkin"))
    assert r.status_code == 403 and r.json["error"]["code"] == "auth.tenant_suspended"
    c.post("/api/v1/admin/tenants/arkin/activate", headers=h)
    assert c.get("/api/v1/admin/tenants/arkin", headers=world.headers("arkin")).status_code == 200


def test_a_tenant_admin_may_not_suspend_even_itself(world):
    r = world.client.post("/api/v1/admin/tenants/arkin/suspend", headers=world.headers("arkin"))
    assert r.status_code == 403 and r.json["error"]["code"] == "auth.hub_admin_required"


def test_tenants_are_listed_in_pages_with_a_cursor(world):
    c, h = world.client, world.headers()
    ids, cursor = [], None
    while True:
        r = c.get("/api/v1/admin/tenants", headers=h,
                  query_string={"limit": 2, **({"after": cursor} if cursor else {})})
        assert r.status_code == 200
        ids += [t["id"] for t in r.json["items"]]
        cursor = r.json["next"]
        if cursor is None:
            break
    assert ids == sorted(["ketenhub", "mzwo-centrum", "ymere", "arkin"])


def test_a_network_round_trips_through_the_api(world):
    c, h = world.client, world.headers()
    body = {"id": "amsterdam", "name": "Convenant Amsterdam",
            "valid_from": "2026-01-01", "valid_until": "2030-12-31",
            "parties": [{"tenant_id": "mzwo-centrum", "role": "meldpunt"},
                        {"tenant_id": "ymere", "role": "woningcorporatie",
                         "valid_until": "2027-06-30"}],
            "areas": [{"tenant_id": "mzwo-centrum", "pc4_from": 1011, "pc4_to": 1018}],
            "regiecheck_partners": [{"tenant_id": "ymere"},
                                    {"tenant_kind": "politie", "standaard": False}],
            "flows": [{"message_type": "nl.ketenhub.signaal.v1", "from_kind": "woningcorporatie",
                       "to_kind": "meldpunt", "basis": "convenant"}]}
    r = c.post("/api/v1/admin/networks", headers=h, json=body)
    assert r.status_code == 201, r.json
    got = c.get("/api/v1/admin/networks/amsterdam", headers=world.headers("ymere")).json
    assert got["parties"][1]["valid_until"] == "2027-06-30"
    assert got["regiecheck_partners"][1] == {"tenant_id": None, "tenant_kind": "politie",
                                             "standaard": False}
    assert got["regiecheck_termijn_werkdagen"] == 3  # the default answer term
    body["regiecheck_termijn_werkdagen"] = 5
    r = c.put("/api/v1/admin/networks/amsterdam", headers=h, json=body)
    assert r.status_code == 200 and r.json["regiecheck_termijn_werkdagen"] == 5
    r = c.put("/api/v1/admin/networks/amsterdam", headers=h,
              json=body | {"regiecheck_termijn_werkdagen": 0})
    assert r.status_code == 422
    assert r.json["error"]["details"][0]["field"] == "/regiecheck_termijn_werkdagen"
    body["name"] = "Convenant Amsterdam 2027"
    body["parties"] = body["parties"][:1]
    body["regiecheck_partners"] = []
    r = c.put("/api/v1/admin/networks/amsterdam", headers=h, json=body)
    assert r.status_code == 200 and r.json["name"] == "Convenant Amsterdam 2027"
    r = c.get("/api/v1/admin/networks/amsterdam", headers=world.headers("ymere"))
    assert r.status_code == 404


def test_an_invalid_network_is_refused_whole(world):
    c, h = world.client, world.headers()
    r = c.post("/api/v1/admin/networks", headers=h, json={
        "id": "bad", "name": "x", "parties": [{"tenant_id": "ymere", "role": "x"}],
        "areas": [{"tenant_id": "ymere", "pc4_from": 1011, "pc4_to": 1018}]})
    assert r.status_code == 422
    assert r.json["error"]["details"][0]["field"] == "/areas/0/tenant_id"
    assert c.get("/api/v1/admin/networks/bad", headers=h).status_code == 404


def test_an_areas_veiligheidscoordinator_is_a_party_and_round_trips(world):
    c, h = world.client, world.headers()
    body = {"id": "amsterdam", "name": "Convenant Amsterdam",
            "parties": [{"tenant_id": "mzwo-centrum", "role": "meldpunt"},
                        {"tenant_id": "arkin", "role": "zorgaanbieder"}],
            "areas": [{"tenant_id": "mzwo-centrum", "pc4_from": 1011, "pc4_to": 1018,
                       "veiligheidscoordinator": "ymere"}]}
    refused = c.post("/api/v1/admin/networks", headers=h, json=body)
    assert refused.status_code == 422
    assert refused.json["error"]["details"] == [{"field": "/areas/0/veiligheidscoordinator",
                                                 "rule": "validation.not_a_party"}]
    body["areas"][0]["veiligheidscoordinator"] = "arkin"
    assert c.post("/api/v1/admin/networks", headers=h, json=body).status_code == 201
    got = c.get("/api/v1/admin/networks/amsterdam", headers=h).json
    assert got["areas"] == [{"tenant_id": "mzwo-centrum", "pc4_from": 1011, "pc4_to": 1018,
                             "veiligheidscoordinator": "arkin"}]


def test_users_are_registered_with_roles(world):
    c, h = world.client, world.headers()
    r = c.post("/api/v1/admin/tenants/arkin/users", headers=world.headers("arkin"),
               json={"email": "FG@arkin.example", "name": "F. Gegevens",
                     "roles": ["privacy_officer"]})
    assert r.status_code == 201 and r.json["email"] == "fg@arkin.example"
    r = c.post("/api/v1/admin/tenants/arkin/users", headers=h,
               json={"email": "fg@arkin.example", "name": "Dup", "roles": []})
    assert r.status_code == 409
    r = c.post("/api/v1/admin/tenants/arkin/users", headers=world.headers("arkin"),
               json={"email": "boss@arkin.example", "name": "B", "roles": ["hub_admin"]})
    assert r.status_code == 422
    users = c.get("/api/v1/admin/tenants/arkin/users", headers=h).json["items"]
    assert [u["roles"] for u in users] == [["privacy_officer"]]


def test_an_expired_key_answers_401(world):
    c, h = world.client, world.headers()
    soon = (datetime.now(UTC) + timedelta(seconds=2)).isoformat()
    r = c.post("/api/v1/admin/tenants/ymere/keys", headers=h,
               json={"name": "short", "scopes": ["admin"], "expires_at": soon})
    assert r.status_code == 201
    world.container.keys._clock = lambda: datetime.now(UTC) + timedelta(seconds=5)
    r = c.get("/api/v1/admin/tenants/ymere", headers={"Authorization": f"Bearer {r.json['key']}"})
    assert r.status_code == 401 and r.json["error"]["code"] == "auth.invalid_key"


def test_a_stale_put_is_refused_with_412_and_the_newer_convenant_stays(world):
    c, h = world.client, world.headers()
    body = {"id": "amsterdam", "name": "Convenant Amsterdam",
            "parties": [{"tenant_id": "mzwo-centrum", "role": "meldpunt"}]}
    created = c.post("/api/v1/admin/networks", headers=h, json=body)
    read = c.get("/api/v1/admin/networks/amsterdam", headers=h)
    assert read.headers["ETag"] == created.headers["ETag"] == f'"{read.json["version"]}"'
    first = c.put("/api/v1/admin/networks/amsterdam", headers=h | {"If-Match": read.headers["ETag"]},
                  json=body | {"name": "Eerste redacteur"})
    assert first.status_code == 200 and first.headers["ETag"] != read.headers["ETag"]
    stale = c.put("/api/v1/admin/networks/amsterdam", headers=h | {"If-Match": read.headers["ETag"]},
                  json=body | {"name": "Tweede redacteur"})
    assert stale.status_code == 412
    assert stale.json["error"]["code"] == "conflict.stale_version"
    now = c.get("/api/v1/admin/networks/amsterdam", headers=h)
    assert now.json["name"] == "Eerste redacteur" and now.headers["ETag"] == first.headers["ETag"]
    # Without If-Match a PUT still replaces, as existing clients expect.
    assert c.put("/api/v1/admin/networks/amsterdam", headers=h, json=body).status_code == 200


def test_a_network_read_edited_and_sent_back_whole_is_checked_against_its_version(world):
    c, h = world.client, world.headers()
    c.post("/api/v1/admin/networks", headers=h, json={
        "id": "amsterdam", "name": "Convenant Amsterdam",
        "parties": [{"tenant_id": "mzwo-centrum", "role": "meldpunt"}]})
    read = c.get("/api/v1/admin/networks/amsterdam", headers=h).json
    first = c.put("/api/v1/admin/networks/amsterdam", headers=h,
                  json=read | {"name": "Eerste redacteur"})
    assert first.status_code == 200, first.json
    stale = c.put("/api/v1/admin/networks/amsterdam", headers=h,
                  json=read | {"name": "Tweede redacteur"})
    assert stale.status_code == 412 and stale.json["error"]["code"] == "conflict.stale_version"
    assert c.get("/api/v1/admin/networks/amsterdam", headers=h).json["name"] == "Eerste redacteur"


def test_a_party_is_added_and_removed_without_resending_the_network(world):
    c, h = world.client, world.headers()
    c.post("/api/v1/admin/networks", headers=h, json={
        "id": "amsterdam", "name": "Convenant Amsterdam",
        "parties": [{"tenant_id": "mzwo-centrum", "role": "meldpunt"}],
        "areas": [{"tenant_id": "mzwo-centrum", "pc4_from": 1011, "pc4_to": 1018}]})
    etag = c.get("/api/v1/admin/networks/amsterdam", headers=h).headers["ETag"]
    r = c.post("/api/v1/admin/networks/amsterdam/parties", headers=h | {"If-Match": etag},
               json={"tenant_id": "ymere", "role": "woningcorporatie"})
    assert r.status_code == 200, r.json
    assert [p["tenant_id"] for p in r.json["parties"]] == ["mzwo-centrum", "ymere"]
    assert r.json["areas"][0]["pc4_from"] == 1011
    again = c.post("/api/v1/admin/networks/amsterdam/parties", headers=h | {"If-Match": etag},
                   json={"tenant_id": "arkin", "role": "zorgaanbieder"})
    assert again.status_code == 412
    unknown = c.post("/api/v1/admin/networks/amsterdam/parties", headers=h,
                     json={"tenant_id": "niet-bestaand", "role": "x"})
    assert unknown.status_code == 422 and "niet-bestaand" not in unknown.get_data(as_text=True)
    assert c.delete("/api/v1/admin/networks/amsterdam/parties/mzwo-centrum",
                    headers=h).status_code == 409  # it holds the area
    r = c.delete("/api/v1/admin/networks/amsterdam/parties/ymere", headers=h)
    assert r.status_code == 200 and [p["tenant_id"] for p in r.json["parties"]] == ["mzwo-centrum"]
    with world.container.uow() as uow:
        actions = [e["action"] for e in uow.audit.list() if e["subject_id"] == "amsterdam"]
    assert "network.party_added" in actions and "network.party_removed" in actions


def test_a_change_that_waits_for_a_concurrent_one_sees_its_version_and_is_refused(postgres_url,
                                                                                   tmp_path):
    """Two editors read version v0; the first holds the network while it writes. The second
    (If-Match v0) waits for it, then reads the new version: 412, not a silent overwrite."""
    import threading
    from dataclasses import replace

    from tenants.errors import StaleVersion
    from tenants.model import Party, Principal
    from tenants.services import NetworkSpec
    from tenants.services.networks import version_of

    w = build_world(postgres_url, tmp_path)
    try:
        c, system = w.container, Principal.system()
        c.networks.create(system, NetworkSpec(id="amsterdam", name="Convenant",
                                              parties=(Party("mzwo-centrum", "meldpunt"),)))
        v0 = version_of(c.networks.get(system, "amsterdam"))
        outcome: list[object] = []

        def second_editor() -> None:
            try:
                c.networks.add_party(system, "amsterdam", Party("arkin", "zorgaanbieder"),
                                     if_version=v0)
                outcome.append("stored")
            except StaleVersion as exc:
                outcome.append(exc)

        with c.uow() as uow:
            uow.networks.lock("amsterdam")
            current = uow.networks.get("amsterdam")
            editor = threading.Thread(target=second_editor)
            editor.start()
            editor.join(1.0)  # it waits on the lock (without one it would have stored by now)
            uow.networks.replace(replace(current, name="Eerste redacteur"))
            uow.commit()
        editor.join(30)
        assert len(outcome) == 1 and isinstance(outcome[0], StaleVersion)
        network = c.networks.get(system, "amsterdam")
        assert network.name == "Eerste redacteur" and network.party_ids() == {"mzwo-centrum"}
    finally:
        w.container.close()
