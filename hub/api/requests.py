"""Checks every request body passes before a view sees it: size, content type, JSON."""

from __future__ import annotations

from flask import request
from werkzeug.exceptions import RequestEntityTooLarge, RequestHeaderFieldsTooLarge

from hub.api import strict_json
from hub.errors import MalformedJson, UnsupportedMediaType

JSON_TYPES = frozenset({"application/json", "application/cloudevents+json"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def check_headers(max_count: int, max_bytes: int) -> None:
    """431 for more than ``max_count`` headers or more than ``max_bytes`` of them together."""
    count = size = 0
    for name, value in request.headers.items():
        count += 1
        size += len(name) + len(value) + 4
    if count > max_count or size > max_bytes:
        raise RequestHeaderFieldsTooLarge()


def check_size(limit: int) -> None:
    if request.content_length is not None and request.content_length > limit:
        raise RequestEntityTooLarge()


def check_json_body(limit: int) -> None:
    """415 for a non-JSON content type, 400 for a body that does not parse (strictly: no
    duplicate keys, lone surrogates or oversized numbers, see ``strict_json``). Empty is fine."""
    if request.method not in BODY_METHODS:
        return
    body = request.get_data(cache=True)
    if request.content_length is None and len(body) >= limit:
        # A streamed body is cut at the limit silently; one byte more means it was too large.
        if request.stream.read(1):
            raise RequestEntityTooLarge()
    if not body and not request.mimetype:
        return
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if request.mimetype not in JSON_TYPES or charset not in ("utf-8", "utf8"):
        raise UnsupportedMediaType()
    if not body:
        return
    try:
        strict_json.loads(body)
    except strict_json.MalformedJson:
        raise MalformedJson() from None
