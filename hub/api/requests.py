"""Checks every request body passes before a view sees it: size, content type, JSON."""

from __future__ import annotations

import json

from flask import request
from werkzeug.exceptions import RequestEntityTooLarge

from hub.errors import MalformedJson, UnsupportedMediaType

JSON_TYPES = frozenset({"application/json", "application/cloudevents+json"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def check_size(limit: int) -> None:
    if request.content_length is not None and request.content_length > limit:
        raise RequestEntityTooLarge()


def check_json_body(limit: int) -> None:
    """415 for a non-JSON content type, 400 for a body that does not parse. Empty is fine."""
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
        json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise MalformedJson() from None
