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
