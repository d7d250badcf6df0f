"""Completing the OpenAPI document flask-smorest builds from the blueprints, so that it tells a
partner (and a contract fuzzer) everything each operation can answer:

- an ``operationId`` per operation (the view's endpoint name);
- the error answers every operation can give besides its own — 401/403 where a key is needed,
  404 where the path names a resource, 400/413/415/422 where a body or query is read, 429 and
  431 everywhere — each in the one error shape, 429 and 503 with ``Retry-After``;
- a ``data`` schema per message type, and the ``POST /api/v1/messages`` body as one CloudEvent
  variant per type.
"""

from __future__ import annotations

import re

from flask import Flask
from flask_smorest import Api

from hub.intake.catalogue import EMITTED_TYPES, MESSAGE_TYPES

ERROR = {"$ref": "#/components/schemas/Error"}
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before trying again",
                               "schema": {"type": "integer", "minimum": 1}}}
REPLAYED = {"Idempotent-Replayed": {
    "description": "`true`: a repeat of an earlier (source, id), answered as it was then",
    "schema": {"type": "string", "enum": ["true"]}}}

#: The error answers by status: (description, extra headers).
ERROR_RESPONSES: dict[str, tuple[str, dict]] = {
    "400": ("Malformed request: the body is no JSON the hub accepts (duplicate keys, lone "
            "surrogates, oversized numbers)", {}),
    "401": ("No or an invalid API key", {}),
    "403": ("The key lacks the scope, or the tenant is suspended", {}),
    "404": ("Unknown, or another tenant's (never told apart)", {}),
    "409": ("Conflict with the current state", {}),
    "413": ("Body over the limit", {}),
    "415": ("Content-Type is not JSON (UTF-8)", {}),
    "422": ("Well-formed but refused: schema or privacy rule", {}),
    "429": ("Rate limited", RETRY_AFTER),
    "431": ("Request headers too many or too large", {}),
    "503": ("A dependency is down", RETRY_AFTER),
}
_BODY_METHODS = {"post", "put", "patch"}
_PATH_PARAM = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def _error_response(status: str) -> dict:
    description, headers = ERROR_RESPONSES[status]
    response: dict = {"description": description,
                      "content": {"application/json": {"schema": ERROR}}}
    if headers:
        response["headers"] = headers
    return response


def _data_component(schema: type) -> str:
    return schema.__name__.removesuffix("Schema") + "Data"


def register_message_schemas(api: Api) -> None:
    """A component per message type's ``data``, and one CloudEvent variant per type a partner
    may send (``CloudEvent.<type>``)."""
    for schema in {**MESSAGE_TYPES, **EMITTED_TYPES}.values():
        name = _data_component(schema)
        if name not in api.spec.components.schemas:
            api.spec.components.schema(name, schema=schema)


def _message_variants() -> list[dict]:
    return [{"allOf": [{"$ref": "#/components/schemas/CloudEvent"}, {
        "type": "object",
        "properties": {"type": {"type": "string", "enum": [message_type]},
                       "data": {"$ref": f"#/components/schemas/{_data_component(schema)}"}}}]}
        for message_type, schema in MESSAGE_TYPES.items()]


def complete(app: Flask, api: Api) -> None:
    """Add what flask-smorest leaves out (see the module docstring); call after every
    blueprint is registered."""
    paths: dict[str, dict] = api.spec._paths  # apispec keeps the paths here until to_dict()
    endpoints = {(_PATH_PARAM.sub(r"{\1}", rule.rule), method.lower()): rule.endpoint
                 for rule in app.url_map.iter_rules()
                 for method in (rule.methods or set()) - {"HEAD", "OPTIONS"}}
    shared = {e for e in endpoints.values() if sum(v == e for v in endpoints.values()) > 1}
    variants = _message_variants()
    for path, item in paths.items():
        for method, operation in item.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            endpoint = endpoints.get((path, method), f"{path}_{method}")
            name = endpoint if endpoint not in shared else f"{endpoint}_{method}"
            operation.setdefault("operationId", re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_"))
            _complete_responses(path, method, item, operation)
            if path == "/api/v1/messages" and method == "post":
                _document_messages(operation, variants)


def _complete_responses(path: str, method: str, item: dict, operation: dict) -> None:
    responses: dict = operation.setdefault("responses", {})
    wanted = {"429", "431"}
    if path.startswith("/api/"):
        wanted |= {"401", "403"}
        parameters = [*item.get("parameters", []), *operation.get("parameters", [])]
        if any(p.get("in") == "path" for p in parameters if isinstance(p, dict)):
            wanted.add("404")
        if any(p.get("in") == "query" for p in parameters if isinstance(p, dict)):
            wanted.add("422")
        if method in _BODY_METHODS:
            wanted |= {"400", "413", "415", "422"}
        wanted.add("503")
    for status in sorted(wanted):
        if status not in responses:
            responses[status] = _error_response(status)
        elif status in ("429", "503") and "$ref" not in responses[status]:
            responses[status].setdefault("headers", {}).update(RETRY_AFTER)


def _document_messages(operation: dict, variants: list[dict]) -> None:
    body = operation.get("requestBody", {}).get("content", {})
    for media in body.values():
        media["schema"] = {"oneOf": variants}
    replay = operation.get("responses", {}).get("200")
    if isinstance(replay, dict):
        replay.setdefault("headers", {}).update(REPLAYED)
    operation["responses"].setdefault("409", _error_response("409"))
