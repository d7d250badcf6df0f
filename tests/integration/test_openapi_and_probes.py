"""The served OpenAPI document is valid and complete; probes tell the truth about dependencies."""

from __future__ import annotations

import re

from openapi_spec_validator import validate

from hub.app import create_app
from hub.bootstrap import bootstrap
from hub.config import Config
from tests.integration.conftest import new_master_key
from tests.integration.test_tenant_isolation import app_routes


def _openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", r"{\1}", rule)


def test_the_openapi_document_validates_and_lists_every_route(sqlite_world):
    spec = sqlite_world.client.get("/openapi.json").get_json()
    validate(spec)
    documented = {(path, method.upper()) for path, ops in spec["paths"].items()
                  for method in ops if method in {"get", "post", "put", "patch", "delete"}}
    web = {rule.rule for rule in sqlite_world.app.url_map.iter_rules()
           if rule.endpoint.startswith("web_")}  # pages for people, not the API
    routes = {(_openapi_path(rule), method) for rule, method in app_routes(sqlite_world.app)
              if rule not in web}
    assert routes - documented == set()


def test_authenticated_operations_declare_bearer_security_and_the_error_shape(sqlite_world):
    spec = sqlite_world.client.get("/openapi.json").get_json()
    op = spec["paths"]["/api/v1/admin/tenants"]["post"]
    assert op["security"] == [{"bearerAuth": []}]
    assert op["x-required-scopes"] == ["admin"]
    assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    error = spec["components"]["schemas"]["Error"]
    assert error["properties"]["error"]["$ref"].endswith("ErrorBody")
    assert "healthz" not in str(spec["paths"]["/healthz"].get("get", {}).get("security", ""))


def test_readiness_is_ok_with_the_real_database_and_broker(postgres_url, broker_url, tmp_path):
    config = Config(data_dir=tmp_path, database_url=postgres_url, broker_url=broker_url,
                    master_key=new_master_key())
    container = bootstrap(config)
    try:
        r = create_app(config, container).test_client().get("/readyz")
        assert r.status_code == 200
        assert r.json == {"status": "ready", "checks": {"database": "ok", "bus": "ok"}}
    finally:
        container.close()


def test_readiness_is_503_with_retry_after_when_the_broker_is_down(sqlite_url, tmp_path):
    config = Config(data_dir=tmp_path, database_url=sqlite_url,
                    broker_url="amqp://guest:guest@127.0.0.1:1//", readiness_timeout_s=0.5)
    container = bootstrap(config)
    try:
        r = create_app(config, container).test_client().get("/readyz")
        assert r.status_code == 503
        assert r.headers["Retry-After"]
        assert r.json["error"]["details"] == [{"field": "bus", "rule": "unavailable"}]
    finally:
        container.close()


def test_an_unreachable_database_answers_503_in_the_error_shape(tmp_path):
    config = Config(data_dir=tmp_path,
                    database_url="postgresql+psycopg://postgres@127.0.0.1:1/none",
                    master_key=new_master_key())
    container = bootstrap(config)
    try:
        client = create_app(config, container).test_client()
        r = client.get("/api/v1/admin/tenants", headers={"Authorization": "Bearer kh_abcdefghijkm_x"})
        assert r.status_code == 503
        assert r.json["error"]["code"] == "unavailable.database"
        assert r.headers["Retry-After"]
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert {"field": "database", "rule": "unavailable"} in ready.json["error"]["details"]
        assert client.get("/healthz").status_code == 200
    finally:
        container.close()


def test_metrics_count_requests_in_prometheus_text(sqlite_world):
    c = sqlite_world.client
    c.get("/api/v1/admin/tenants", headers=sqlite_world.headers())
    c.get("/api/v1/admin/tenants")
    text = c.get("/metrics").get_data(as_text=True)
    assert ('ketenhub_http_requests_total{endpoint="/api/v1/admin/tenants",method="GET",'
            'status="200"} 1.0') in text
    assert 'status="401"} 1.0' in text


def test_every_operation_has_its_own_operation_id_and_its_error_answers(sqlite_world):
    spec = sqlite_world.client.get("/openapi.json").get_json()
    operations = [(path, method, op) for path, item in spec["paths"].items()
                  for method, op in item.items() if method in {"get", "post", "put", "patch", "delete"}]
    ids = [op["operationId"] for _, _, op in operations]
    assert len(ids) == len(set(ids)) == len(operations)
    for path, method, op in operations:
        responses = op["responses"]
        assert {"429", "431"} <= set(responses), (path, method)
        assert "Retry-After" in responses["429"]["headers"]
        if path.startswith("/api/"):
            assert {"401", "403"} <= set(responses), (path, method)
        if "{" in path and path.startswith("/api/"):
            assert "404" in responses, (path, method)
        if method in {"post", "put", "patch"} and path.startswith("/api/"):
            assert {"400", "413", "415", "422"} <= set(responses), (path, method)
    send = spec["paths"]["/api/v1/messages"]["post"]
    assert "Idempotent-Replayed" in send["responses"]["200"]["headers"]
    assert "409" in send["responses"]


def test_each_message_type_has_a_data_schema_and_a_cloudevent_variant(sqlite_world):
    from hub.intake.catalogue import MESSAGE_TYPES

    spec = sqlite_world.client.get("/openapi.json").get_json()
    schemas = spec["components"]["schemas"]
    body = spec["paths"]["/api/v1/messages"]["post"]["requestBody"]["content"]["application/json"]
    variants = body["schema"]["oneOf"]
    by_type = {v["allOf"][1]["properties"]["type"]["enum"][0]:
               v["allOf"][1]["properties"]["data"]["$ref"].rsplit("/", 1)[1] for v in variants}
    assert set(by_type) == set(MESSAGE_TYPES)
    assert all(name in schemas for name in by_type.values())
    assert "omschrijving" in schemas[by_type["nl.ketenhub.signaal.v1"]]["properties"]


def test_a_validation_detail_in_the_query_matches_the_published_error_schema(sqlite_world):
    r = sqlite_world.client.get("/api/v1/admin/deliveries?limit=veel", headers=sqlite_world.headers())
    assert r.status_code == 422
    [detail] = r.json["error"]["details"]
    assert detail["in"] == "query"
    spec = sqlite_world.client.get("/openapi.json").get_json()
    allowed = spec["components"]["schemas"]["ErrorDetail"]["properties"]
    assert set(detail) <= set(allowed) and detail["in"] in allowed["in"]["enum"]


def test_swagger_ui_is_served_on_the_same_document(sqlite_world):
    page = sqlite_world.client.get("/docs/")
    assert page.status_code == 200 and b"swagger-ui" in page.data.lower()
    assert sqlite_world.client.get("/docs/openapi.json").json["paths"] == \
        sqlite_world.client.get("/openapi.json").json["paths"]


def test_a_network_put_authorises_before_it_validates(sqlite_world):
    w = sqlite_world
    h = w.headers()
    body = {"id": "amsterdam", "name": "Amsterdam",
            "parties": [{"tenant_id": "mzwo-centrum", "role": "meldpunt"},
                        {"tenant_id": "ymere", "role": "woningcorporatie"}]}
    assert w.client.post("/api/v1/admin/networks", headers=h, json=body).status_code == 201
    garbage = {"name": 17, "parties": "geen lijst", "onbekend": True}
    # ymere's key has the admin scope but is no hub admin: refused before the body is read.
    party = w.client.put("/api/v1/admin/networks/amsterdam", headers=w.headers("ymere"), json=garbage)
    assert (party.status_code, party.json["error"]["code"]) == (403, "auth.hub_admin_required")
    stranger = w.client.put("/api/v1/admin/networks/amsterdam", headers=w.headers("arkin"),
                            json=garbage)
    missing = w.client.put("/api/v1/admin/networks/bestaat-niet", headers=w.headers("arkin"),
                           json=garbage)
    assert stranger.status_code == missing.status_code == 404
    assert w.client.put("/api/v1/admin/networks/amsterdam", headers=h, json=garbage).status_code == 422
