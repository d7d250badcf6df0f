"""The AMQP connector against a separate vhost on the real RabbitMQ, read back with pika:
the CloudEvents binary-mode binding, persistence, publisher confirms, reused connections shared
safely between threads, and which broker refusals are permanent."""

from __future__ import annotations

import threading

import pytest

from tests.contract.conftest import AmqpPeer, request_for, vhost_url
from tests.contract.test_connector_contract import cloud_event, new_id

pytestmark = pytest.mark.integration


@pytest.fixture
def amqp(broker_url, partner_vhost, silent_port):
    p = AmqpPeer(broker_url, partner_vhost, silent_port)
    yield p
    p.close()


def test_the_message_is_persistent_binary_mode_with_cloudevents_headers_and_the_delivery_id(amqp):
    event = cloud_event()

    result = amqp.deliver("ok", "dlv-amqp-1", event)

    assert result.outcome == "success"
    [(method, props, body)] = amqp.messages()
    assert props.message_id == "dlv-amqp-1"
    assert props.delivery_mode == 2
    assert props.content_type == "application/json"
    headers = props.headers
    assert {k for k in headers if k.startswith("cloudEvents:")} == {
        f"cloudEvents:{k}" for k in event if k != "data"}
    assert headers["cloudEvents:id"] == event["id"]
    assert headers["cloudEvents:type"] == "nl.ketenhub.signaal.v1"
    assert method.routing_key == "ketenhub.signaal"
    import json
    assert json.loads(body) == event["data"]


def test_an_unknown_vhost_is_permanent(amqp, broker_url, partner_vhost):
    config = {**amqp.config(), "url": vhost_url(broker_url, partner_vhost,
                                                 vhost_override="no-such-vhost")}

    result = amqp.connector.deliver(request_for("amqp", new_id(), cloud_event(), config))

    assert (result.outcome, result.error_code) == ("permanent", "connector.vhost")


def test_a_refused_login_is_permanent(amqp):
    result = amqp.deliver("permanent", new_id(), cloud_event())

    assert (result.outcome, result.error_code) == ("permanent", "connector.access_refused")


def test_an_unroutable_message_is_retryable(amqp):
    result = amqp.deliver("retryable", new_id(), cloud_event())

    assert (result.outcome, result.error_code) == ("retryable", "connector.unroutable")


def test_a_missing_exchange_is_retryable_and_the_next_delivery_still_succeeds(amqp):
    config = {**amqp.config(), "exchange": "not.declared"}
    missing = amqp.connector.deliver(request_for("amqp", new_id(), cloud_event(), config))
    after = amqp.deliver("ok", new_id(), cloud_event())

    assert (missing.outcome, missing.error_code) == ("retryable", "connector.exchange_not_found")
    assert after.outcome == "success"


def test_a_broker_that_is_down_is_retryable(amqp, broker_url, partner_vhost):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        config = {**amqp.config(), "url": vhost_url(broker_url, partner_vhost,
                                                     port=s.getsockname()[1])}
        result = amqp.connector.deliver(request_for("amqp", new_id(), cloud_event(), config))

    assert (result.outcome, result.error_code) == ("retryable", "connector.connection")


def test_the_connection_is_reused_between_deliveries_to_the_same_url(amqp):
    amqp.deliver("ok", new_id(), cloud_event())
    [link] = amqp.connector._links.values()
    first = link.connection

    amqp.deliver("ok", new_id(), cloud_event())

    assert link.connection is first and first.is_open
    assert len(amqp.received()) == 2


def test_a_dead_cached_connection_is_replaced_within_the_same_attempt(amqp):
    amqp.deliver("ok", new_id(), cloud_event())
    [link] = amqp.connector._links.values()
    import socket

    link.connection._impl._transport._sock.shutdown(socket.SHUT_RDWR)  # the broker went away

    result = amqp.deliver("ok", new_id(), cloud_event())

    assert result.outcome == "success"
    assert len(amqp.received()) == 2


def test_many_threads_share_one_connector_without_losing_or_mixing_messages(amqp):
    ids = [new_id() for _ in range(60)]
    results: dict[str, str] = {}

    def worker(chunk: list[str]) -> None:
        for delivery_id in chunk:
            results[delivery_id] = amqp.deliver("ok", delivery_id, cloud_event()).outcome

    threads = [threading.Thread(target=worker, args=(ids[i::6],)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert set(results.values()) == {"success"} and len(results) == 60
    assert sorted(r.delivery_id for r in amqp.received()) == sorted(ids)
