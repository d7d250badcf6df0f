from __future__ import annotations

from hub.api.errors import flatten_validation_messages
from tenants.pagination import clamp_limit, decode_cursor, encode_cursor


def test_a_cursor_round_trips_and_garbage_starts_from_the_beginning():
    assert decode_cursor(encode_cursor("mzwo-centrum")) == "mzwo-centrum"
    assert decode_cursor("%%%not-base64") is None
    assert decode_cursor(None) is None


def test_limits_are_clamped_to_one_through_five_hundred():
    assert clamp_limit(None) == 100
    assert clamp_limit(0) == 1
    assert clamp_limit(10_000) == 500


def test_nested_validation_messages_become_json_pointers_with_rules():
    details = flatten_validation_messages({"json": {
        "surprise": ["Unknown field."],
        "parties": {0: {"tenant_id": ["Missing data for required field."]}},
        "a/b": ["Not a valid string."]}})
    assert {"field": "/surprise", "rule": "validation.unknown_field",
            "message": "Unknown field."} in details
    assert any(d["field"] == "/parties/0/tenant_id" and d["rule"] == "validation.required"
               for d in details)
    assert any(d["field"] == "/a~1b" for d in details)


def test_query_validation_messages_say_where_they_come_from():
    details = flatten_validation_messages({"query": {"limit": ["Must be less than 500."]}})
    assert details == [{"field": "/limit", "rule": "validation.invalid",
                        "message": "Must be less than 500.", "in": "query"}]
