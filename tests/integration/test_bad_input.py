"""Every kind of bad input gets its status and code in the one error shape, never echoes what
was sent, and stores nothing."""

from __future__ import annotations

import json

import pytest

from tenants.model import Principal

MARKER = "Zeldzaam-Kenmerk-7731"


def _tenant_ids(world):
    return [t.id for t in world.container.tenants.list(Principal.system(), limit=500).items]


def _assert_error(response, status, code):
    assert response.status_code == status, response.data
    body = response.get_json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["details"], list)
    assert MARKER.encode() not in response.data
    assert MARKER.lower().encode() not in response.data.lower()
    return body["error"]


def _post_tenant(world, data, content_type="application/json", headers=None):
    return world.client.post("/api/v1/admin/tenants", data=data, content_type=content_type,
                             headers=headers or world.headers())


BAD_BODIES = [
    ("malformed json", '{"id": "' + MARKER + '", "name": ', "application/json", 400,
     "request.malformed_json"),
    ("not utf-8", b'{"id": "\xff\xfe' + MARKER.encode() + b'"}', "application/json", 400,
     "request.malformed_json"),
    ("unknown field", json.dumps({"id": "nieuw", "name": "n", "kind": "ggd", "surprise": MARKER}),
     "application/json", 422, "validation.unknown_field"),
    ("bad enum value", json.dumps({"id": "nieuw", "name": "n", "kind": MARKER}),
     "application/json", 422, "validation.invalid"),
    ("missing field", json.dumps({"id": "nieuw", "kind": "ggd"}), "application/json", 422,
     "validation.required"),
    ("bad slug", json.dumps({"id": MARKER, "name": "n", "kind": "ggd"}), "application/json", 422,
     "validation.invalid"),
    ("wrong content type", json.dumps({"id": "nieuw", "name": MARKER, "kind": "ggd"}),
     "text/plain", 415, "request.unsupported_media_type"),
    ("form encoded", "id=" + MARKER, "application/x-www-form-urlencoded", 415,
     "request.unsupported_media_type"),
    ("json array", json.dumps([MARKER]), "application/json", 422, "validation.invalid"),
    ("too large", json.dumps({"id": "nieuw", "name": MARKER * 5000, "kind": "ggd"}),
     "application/json", 413, "request.too_large"),
]


@pytest.mark.parametrize("case", BAD_BODIES, ids=[c[0] for c in BAD_BODIES])
def test_a_bad_body_is_refused_in_the_error_shape_and_nothing_is_stored(world, case):
    _, data, content_type, status, code = case
    before = _tenant_ids(world)
    _assert_error(_post_tenant(world, data, content_type), status, code)
    assert _tenant_ids(world) == before


def test_an_unknown_field_names_the_field_as_a_json_pointer(world):
    error = _assert_error(_post_tenant(world, json.dumps(
        {"id": "nieuw", "name": "n", "kind": "ggd", "surprise": MARKER})), 422,
        "validation.unknown_field")
    assert {"field": "/surprise", "rule": "validation.unknown_field"}.items() <= \
        error["details"][0].items()


def test_a_body_over_64_kib_is_413_even_without_content_length(world):
    inner, seen = world.app.wsgi_app, {}

    def chunked_transfer(environ, start_response):
        # As a server does for Transfer-Encoding: chunked: no length, input terminated.
        environ.pop("CONTENT_LENGTH", None)
        environ["wsgi.input_terminated"] = True
        seen["length"] = environ.get("CONTENT_LENGTH")
        return inner(environ, start_response)

    world.app.wsgi_app = chunked_transfer
    body = json.dumps({"id": "nieuw", "name": "x" * 70_000, "kind": "ggd"})
    r = world.client.post("/api/v1/admin/tenants", data=body, headers=world.headers(),
                          content_type="application/json")
    assert seen == {"length": None}
    _assert_error(r, 413, "request.too_large")


AUTH_CASES = [
    ("no header", {}, 401, "auth.missing_key"),
    ("empty bearer", {"Authorization": "Bearer "}, 401, "auth.missing_key"),
    ("basic auth", {"Authorization": "Basic " + MARKER}, 401, "auth.missing_key"),
    ("unknown key", {"Authorization": "Bearer kh_abcdefghijkm_" + MARKER}, 401,
     "auth.invalid_key"),
    ("garbage key", {"Authorization": "Bearer " + MARKER}, 401, "auth.invalid_key"),
]


@pytest.mark.parametrize("case", AUTH_CASES, ids=[c[0] for c in AUTH_CASES])
def test_a_request_without_a_valid_key_is_401_and_stores_nothing(world, case):
    _, headers, status, code = case
    before = _tenant_ids(world)
    r = world.client.post("/api/v1/admin/tenants", headers=headers,
                          json={"id": "nieuw", "name": MARKER, "kind": "ggd"})
    _assert_error(r, status, code)
    assert _tenant_ids(world) == before


def test_a_key_without_the_scope_is_403(world):
    r = world.client.post("/api/v1/admin/tenants/ymere/keys", headers=world.headers(),
                          json={"name": "narrow", "scopes": ["messages:send"]})
    narrow = {"Authorization": f"Bearer {r.json['key']}"}
    _assert_error(world.client.get("/api/v1/admin/tenants", headers=narrow), 403,
                  "auth.insufficient_scope")


def test_an_unknown_path_and_a_wrong_method_use_the_error_shape(world):
    _assert_error(world.client.get("/api/v1/" + MARKER, headers=world.headers()), 404,
                  "not_found")
    _assert_error(world.client.get("/no/such/" + MARKER), 404, "not_found")
    _assert_error(world.client.delete("/api/v1/admin/tenants", headers=world.headers()), 405,
                  "method_not_allowed")


def test_a_query_parameter_out_of_range_is_422(world):
    r = world.client.get("/api/v1/admin/tenants", headers=world.headers(),
                         query_string={"limit": 100000})
    error = _assert_error(r, 422, "validation.invalid")
    assert error["details"][0]["field"] == "/limit"


LABELS = [
    ("/api/v1/admin/tenants", {"id": "nieuw", "name": "Stichting 111222333", "kind": "ggd"}),
    ("/api/v1/admin/tenants/ymere/keys", {"name": "sleutel van cliënt met schizofrenie",
                                          "scopes": ["admin"]}),
    ("/api/v1/admin/tenants/ymere/users", {"email": "a@b.nl", "name": "Bsn 111 222 333",
                                           "roles": []}),
    ("/api/v1/admin/networks", {"id": "n", "name": "Netwerk haloperidol-gebruikers"}),
]


@pytest.mark.parametrize("case", LABELS, ids=[c[0] for c in LABELS])
def test_a_label_with_a_bsn_or_medical_data_is_refused_and_not_stored(world, case):
    path, body = case
    before = _tenant_ids(world)
    r = world.client.post(path, json=body, headers=world.headers())
    assert r.status_code == 422
    assert r.json["error"]["code"] in {"privacy.bsn", "privacy.medical"}
    assert r.json["error"]["details"][0]["field"] == "/name"
    for secret in (b"111222333", b"111 222 333", b"schizofrenie", b"haloperidol"):
        assert secret not in r.data
    assert _tenant_ids(world) == before
