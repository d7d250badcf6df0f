"""The Flask app factory: routes, error handling and request checks around the container."""

from __future__ import annotations

import logging
import time

from flask import Flask, Response, g, request
from flask_smorest import Api

from hub.api import auth, openapi, ratelimit, requests
from hub.api.alerts.routes import blp as alerts_blp
from hub.api.audit.routes import blp as audit_blp
from hub.api.common import ErrorSchema
from hub.api.consents.routes import blp as consents_blp
from hub.api.deliveries.routes import blp as deliveries_blp
from hub.api.endpoints.routes import blp as endpoints_blp
from hub.api.errors import register_error_handlers
from hub.api.health.routes import blp as health_blp
from hub.api.inbox.routes import blp as inbox_blp
from hub.api.inzage.routes import blp as inzage_blp
from hub.api.messages.routes import blp as messages_blp
from hub.api.messages.schemas import CloudEventSchema
from hub.api.networks.routes import blp as networks_blp
from hub.api.privacy.routes import blp as privacy_blp
from hub.api.regiechecks.routes import blp as regiechecks_blp
from hub.api.regiechecks.schemas import AntwoordBodySchema
from hub.api.retention.routes import blp as retention_blp
from hub.api.stats.routes import blp as stats_blp
from hub.api.strict_json import StrictJSONProvider
from hub.api.tenants.routes import blp as tenants_blp
from hub.api.termijnen.routes import blp as termijnen_blp
from hub.api.zaken.routes import blp as zaken_blp
from hub.bootstrap import Container, bootstrap
from hub.config import Config
from hub.intake.schemas.common import AdresSchema
from hub.intake.schemas.regiecheck import RegiecheckVerzoekSchema
from hub.logs import configure_logging
from hub.metrics import Metrics
from hub.tracing import HEADER as REQUEST_ID_HEADER
from hub.tracing import bind_request_id, current_request_id, new_request_id
from hub.web import init_web

log = logging.getLogger("ketenhub.http")

BLUEPRINTS = (health_blp, messages_blp, inbox_blp, consents_blp, tenants_blp, endpoints_blp,
              networks_blp, deliveries_blp, privacy_blp, zaken_blp, regiechecks_blp, alerts_blp,
              audit_blp, termijnen_blp, inzage_blp, stats_blp, retention_blp)

API_DESCRIPTION = """Ketenhub routes signalen and regiechecks between the partners in zorg en
woonoverlast. Every error has one shape: `{"error": {"code", "message", "details"}}`.
Authenticate with `Authorization: Bearer <api key>`."""


class _Api(Api):
    ERROR_SCHEMA = ErrorSchema


def create_app(config: Config | None = None, container: Container | None = None) -> Flask:
    config = config or Config.from_env()
    configure_logging(config.log_level)
    container = container or bootstrap(config)

    app = Flask(__name__)
    app.json = StrictJSONProvider(app)
    app.config.update(
        API_TITLE="Ketenhub API",
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        MAX_CONTENT_LENGTH=config.max_body_bytes,
        API_SPEC_OPTIONS={"info": {"description": API_DESCRIPTION}},
        # Swagger UI at /docs/ (its assets from the swagger-ui-dist package on a CDN), reading
        # the same document as /openapi.json.
        OPENAPI_URL_PREFIX="/docs",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="/",
        OPENAPI_SWAGGER_UI_URL="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/",
    )
    app.extensions["ketenhub"] = container
    metrics = container.extras.setdefault("metrics", Metrics(container.monitoring))

    api = _Api(app)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "Tenant API key"})
    api.spec.components.schema("CloudEvent", schema=CloudEventSchema)
    # The message catalogue's adres, named apart from the consent registry's own AdresSchema.
    api.spec.components.schema("BerichtAdres", schema=AdresSchema)
    api.spec.components.schema("RegiecheckVerzoek", schema=RegiecheckVerzoekSchema)
    api.spec.components.schema("AntwoordBody", schema=AntwoordBodySchema)
    for blp in BLUEPRINTS:
        api.register_blueprint(blp)
    app.extensions["ketenhub_api"] = api
    openapi.register_message_schemas(api)
    openapi.complete(app, api)
    register_error_handlers(app)

    # The request checks, in order: headers; the failed-authentication limit per address;
    # size and authentication; the limits per key and tenant; the JSON body.
    @app.before_request
    def _check_headers() -> None:
        g.started = time.perf_counter()
        bind_request_id(new_request_id(request.headers.get(REQUEST_ID_HEADER)))
        requests.check_headers(config.max_headers, config.max_header_bytes)

    ratelimit.install_address_limit(app, config)

    @app.before_request
    def _authenticate() -> None:
        if request.path.startswith("/api/"):
            requests.check_size(config.max_body_bytes)
            auth.authenticate_request(container.keys.authenticate)

    ratelimit.install_key_and_tenant_limits(app, config)

    @app.before_request
    def _check_body() -> None:
        if request.path.startswith("/api/"):
            requests.check_json_body(config.max_body_bytes)

    @app.after_request
    def _observe(response: Response) -> Response:
        endpoint = request.url_rule.rule if request.url_rule else "<unmatched>"
        elapsed = time.perf_counter() - g.get("started", time.perf_counter())
        metrics.http_requests.labels(request.method, endpoint, str(response.status_code)).inc()
        metrics.http_latency.labels(endpoint).observe(elapsed)
        principal = g.get("principal")
        log.info("request", extra={
            "method": request.method, "endpoint": endpoint, "status": response.status_code,
            "tenant_id": principal.tenant_id if principal else None,
            "key_id": principal.key_id if principal else None,
            "duration_ms": round(elapsed * 1000, 2)})
        response.headers[REQUEST_ID_HEADER] = current_request_id() or ""
        return response

    init_web(app, container)  # after the request checks above, so they run first
    return app
