"""The one place where errors become HTTP: one body shape, one status table (API.md)."""

from __future__ import annotations

import logging

from flask import Flask, Response, g, has_request_context, jsonify
from werkzeug.exceptions import HTTPException

from connectors.errors import ConnectorError
from consent.errors import ConsentConflict, ConsentError, ConsentNotFound, InvalidConsent, NotController
from hub.errors import (
    BusUnavailable,
    DatabaseUnavailable,
    HubError,
    IdempotencyMismatch,
    InvalidMessage,
    MalformedJson,
    ResourceNotFound,
    StateConflict,
    UnsupportedMediaType,
)
from hub.flows.regiecheck.errors import AlleenMeldpunt, RegiecheckError
from hub.flows.zaken.errors import NotAMeldpunt, UnknownZaak
from hub.stats.errors import NotForThisTenant, UnknownNetwork
from tenants import errors as te

log = logging.getLogger("ketenhub.api")

#: Domain errors → HTTP status. The first matching class wins, so subclasses come first.
STATUS_BY_ERROR: tuple[tuple[type[Exception], int], ...] = (
    (te.MissingCredentials, 401),
    (te.InvalidCredentials, 401),
    (te.TenantSuspended, 403),
    (te.InsufficientScope, 403),
    (te.HubAdminOnly, 403),
    (te.NotFound, 404),
    (te.Conflict, 409),
    (te.StaleVersion, 412),
    (te.InvalidInput, 422),
    (te.TenantsError, 400),
    (ConsentNotFound, 404),
    (NotController, 403),
    (ConsentConflict, 409),
    (InvalidConsent, 422),
    (ConsentError, 422),
    (ConnectorError, 422),
    (AlleenMeldpunt, 403),
    (RegiecheckError, 422),
    (InvalidMessage, 422),
    (UnknownZaak, 404),
    (NotAMeldpunt, 403),
    (NotForThisTenant, 403),
    (UnknownNetwork, 404),
    (ResourceNotFound, 404),
    (StateConflict, 409),
    (UnsupportedMediaType, 415),
    (MalformedJson, 400),
    (IdempotencyMismatch, 409),
    (DatabaseUnavailable, 503),
    (BusUnavailable, 503),
    (HubError, 400),
    (te.KetenhubError, 400),
)

#: Werkzeug's own errors (routing, body limits, JSON parsing) → our codes and Dutch messages.
HTTP_CODES: dict[int, tuple[str, str]] = {
    400: ("request.malformed_json", "De body is geen geldige JSON."),
    401: ("auth.missing_key", "Geen geldige API-sleutel meegestuurd."),
    403: ("auth.forbidden", "Niet toegestaan."),
    404: ("not_found", "De gevraagde resource bestaat niet."),
    405: ("method_not_allowed", "Deze methode is niet toegestaan op deze resource."),
    409: ("conflict", "Conflict met de huidige toestand."),
    412: ("conflict.stale_version", "De meegestuurde versie (If-Match) is niet meer de huidige."),
    413: ("request.too_large", "De body is groter dan toegestaan."),
    415: ("request.unsupported_media_type",
          "Content-Type moet application/json zijn."),
    422: ("validation.invalid", "De invoer voldoet niet aan het schema."),
    429: ("rate_limited", "Te veel verzoeken. Probeer het later opnieuw."),
    431: ("request.header_too_large", "De headers van het verzoek zijn te groot of te talrijk."),
    500: ("internal", "Er ging iets mis in de hub. De fout is vastgelegd."),
    503: ("unavailable", "Een afhankelijkheid is tijdelijk niet bereikbaar."),
}

RETRY_AFTER_S = "5"


def error_response(status: int, code: str, message: str,
                   details: list[dict] | None = None, *, retry_after_s: int | None = None) -> Response:
    body: dict = {"error": {"code": code, "message": message, "details": details or []}}
    response = jsonify(body)
    response.status_code = status
    if status in (429, 503):
        response.headers["Retry-After"] = str(retry_after_s) if retry_after_s else RETRY_AFTER_S
    return response


def status_for(exc: Exception) -> int:
    for cls, status in STATUS_BY_ERROR:
        if isinstance(exc, cls):
            return status
    return 500


def _domain_error(exc: te.KetenhubError) -> Response:
    status = status_for(exc)
    if status >= 500:
        log.warning("dependency unavailable", extra={"error_code": exc.code})
    return error_response(status, exc.code, exc.message, exc.details)


def _http_error(exc: HTTPException) -> Response:
    status = exc.code or 500
    code, message = HTTP_CODES.get(status, ("http_error", exc.name))
    details: list[dict] = []
    data = getattr(exc, "data", None) or {}
    if status == 422 and "messages" in data:
        details = flatten_validation_messages(data["messages"])
        code = _dominant_rule(details)
        message = "De invoer voldoet niet aan het schema."
    elif status == 400 and "messages" in data:
        code, message = HTTP_CODES[400]
    elif status == 400:
        code, message = "request.bad_request", "Het verzoek is ongeldig."
    retry_after = g.get("retry_after_s") if status == 429 and has_request_context() else None
    return error_response(status, code, message, details, retry_after_s=retry_after)


def _unexpected(exc: Exception) -> Response:
    # The exception type and traceback go to the log; never the request body.
    log.exception("unhandled error", extra={"error_type": type(exc).__name__})
    code, message = HTTP_CODES[500]
    return error_response(500, code, message)


_RULE_BY_MESSAGE = {
    "Unknown field.": "validation.unknown_field",
    "Missing data for required field.": "validation.required",
    "Field may not be null.": "validation.null",
}


def flatten_validation_messages(messages: dict) -> list[dict]:
    """webargs/marshmallow's nested messages → [{"field": JSON pointer, "rule", "message"}]."""
    details: list[dict] = []

    def walk(node: object, path: list[str], location: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, path + ([] if key == "_schema" else [str(key)]), location)
        elif isinstance(node, list):
            for item in node:
                if isinstance(item, str):
                    pointer = "/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in path)
                    entry = {"field": pointer if path else "", "rule":
                             _RULE_BY_MESSAGE.get(item, "validation.invalid"), "message": item}
                    if location != "json":
                        entry["in"] = location
                    details.append(entry)
                else:
                    walk(item, path, location)

    for location, nested in messages.items():
        walk(nested, [], location)
    return details


def _dominant_rule(details: list[dict]) -> str:
    rules = {d["rule"] for d in details}
    for rule in ("validation.unknown_field", "validation.required"):
        if rule in rules:
            return rule
    return "validation.invalid"


#: The JSON answers, for a second handler (the web's) that serves pages on other paths.
http_error_response = _http_error
domain_error_response = _domain_error
unexpected_error_response = _unexpected
DOMAIN_ERROR_BASES = tuple({cls for cls, _ in STATUS_BY_ERROR})


def register_error_handlers(app: Flask) -> None:
    """Registered after flask-smorest so ours replace its handlers."""
    domain_bases = tuple({cls for cls, _ in STATUS_BY_ERROR})
    for base in domain_bases:
        app.register_error_handler(base, _domain_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
