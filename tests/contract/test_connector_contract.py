"""One contract, every connector, a real peer each: success, retryable failure, permanent
failure, timeout, the same delivery twice, a payload at the 64 KiB limit — and whatever
happens, ``deliver()`` answers with an attempt record instead of losing the delivery."""

from __future__ import annotations

import json
import logging
import uuid

import pytest

from connectors.base import AttemptResult

MAX_BODY_BYTES = 64 * 1024

pytestmark = pytest.mark.integration


def cloud_event(data: dict | None = None) -> dict:
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": "urn:nld:oin:00000001234567890000:meldpunt",
        "type": "nl.ketenhub.signaal.v1",
        "time": "2025-03-04T10:00:00Z",
        "datacontenttype": "application/json",
        "data": data if data is not None else {"omschrijving": "Geluidsoverlast in portiek",
                                               "adres": {"postcode": "1011AB", "huisnummer": 12}},
    }


def event_of_size(size: int) -> dict:
    """A CloudEvent whose compact JSON is exactly ``size`` bytes."""
    event = cloud_event({"omschrijving": ""})
    base = len(json.dumps(event, separators=(",", ":")).encode())
    event["data"]["omschrijving"] = "x" * (size - base)
    return event


def new_id() -> str:
    return f"dlv-{uuid.uuid4().hex}"


def test_a_delivery_the_peer_accepts_is_a_success_and_arrives_intact(peer):
    event = cloud_event()
    delivery_id = new_id()

    result = peer.deliver("ok", delivery_id, event)

    assert result.outcome == "success", result
    assert result.error_code is None
    [received] = peer.received()
    assert received.delivery_id == delivery_id
    assert received.event == event


def test_a_failure_that_may_pass_later_is_retryable_and_nothing_is_accepted(peer):
    result = peer.deliver("retryable", new_id(), cloud_event())

    assert result.outcome == "retryable", result
    assert result.error_code and result.error_code.startswith("connector.")
    assert result.disable_endpoint is False
    assert peer.received() == []


def test_a_failure_that_can_never_pass_is_permanent(peer):
    result = peer.deliver("permanent", new_id(), cloud_event())

    assert result.outcome == "permanent", result
    assert result.error_code and result.error_code.startswith("connector.")
    assert result.disable_endpoint is False
    assert peer.received() == []


def test_a_peer_that_does_not_answer_in_time_is_a_retryable_timeout(peer):
    result = peer.deliver("timeout", new_id(), cloud_event())

    assert result.outcome == "retryable", result
    assert result.error_code == "connector.timeout"


def test_the_same_delivery_sent_twice_arrives_twice_with_the_same_id_so_the_peer_can_deduplicate(peer):
    event = cloud_event()
    delivery_id = new_id()

    first = peer.deliver("ok", delivery_id, event)
    second = peer.deliver("ok", delivery_id, event)

    assert (first.outcome, second.outcome) == ("success", "success")
    received = peer.received()
    assert [r.delivery_id for r in received] == [delivery_id, delivery_id]
    assert received[0].event == received[1].event == event


def test_a_payload_at_the_64_kib_limit_is_delivered_whole(peer):
    event = event_of_size(MAX_BODY_BYTES)
    assert len(json.dumps(event, separators=(",", ":")).encode()) == MAX_BODY_BYTES

    result = peer.deliver("ok", new_id(), event)

    assert result.outcome == "success", result
    [received] = peer.received()
    assert received.event == event


def test_no_failure_raises_every_one_answers_with_an_attempt_record(peer):
    results = [peer.deliver(case, new_id(), cloud_event())
               for case in ("retryable", "permanent", "timeout")]

    assert all(isinstance(r, AttemptResult) for r in results)
    assert [r.outcome for r in results] == ["retryable", "permanent", "retryable"]


def test_endpoint_secrets_appear_in_no_log_line_and_no_attempt_record(peer, caplog):
    caplog.set_level(logging.DEBUG)
    results = [peer.deliver(case, new_id(), cloud_event()) for case in
               ("ok", "retryable", "permanent", "timeout")]

    for secret in peer.secret_values:
        assert secret not in caplog.text
        assert all(secret not in repr(r) for r in results)
