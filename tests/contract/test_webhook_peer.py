"""The webhook connector against a real HTTP(S) server: every signature checked with the PyPI
``standardwebhooks`` package, TLS verification with and without the endpoint's CA bundle, mutual
TLS, and the status codes that decide retryable, permanent and gone."""

from __future__ import annotations

import time

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from connectors.base import DeliveryRequest
from connectors.signing import new_webhook_secret
from connectors.webhook import WebhookConnector
from tests.contract.conftest import (
    LOOPBACK,
    WebhookReceiver,
    _server_context,
    request_for,
)
from tests.contract.test_connector_contract import cloud_event, new_id

pytestmark = pytest.mark.integration


@pytest.fixture
def connector():
    c = WebhookConnector(guard=LOOPBACK)
    yield c
    c.close()


@pytest.fixture
def receiver():
    with WebhookReceiver() as r:
        yield r


def send(connector, url: str, secrets: tuple[str, ...], event: dict | None = None, **config):
    return connector.deliver(request_for("webhook", new_id(), event or cloud_event(),
                                         {"url": url, **config}, secrets=secrets))


def test_the_request_is_a_structured_cloudevent_with_the_delivery_id_as_webhook_id(connector, receiver):
    secret = new_webhook_secret()
    receiver.accepted_secrets.append(secret)
    event = cloud_event()
    request = request_for("webhook", "dlv-42", event, {"url": receiver.url()}, secrets=(secret,))

    result = connector.deliver(request)

    assert (result.outcome, result.response_status) == ("success", 204)
    [seen] = receiver.received
    assert seen.headers["content-type"] == "application/cloudevents+json"
    assert seen.headers["webhook-id"] == "dlv-42"
    assert abs(int(seen.headers["webhook-timestamp"]) - time.time()) < 5
    assert seen.event == event


def test_standardwebhooks_accepts_the_hub_signature_and_rejects_tampering(connector, receiver):
    secret = new_webhook_secret()
    receiver.accepted_secrets.append(secret)
    assert send(connector, receiver.url(), (secret,)).outcome == "success"
    [seen] = receiver.received
    webhook = Webhook(secret)

    webhook.verify(seen.body, seen.headers)
    with pytest.raises(WebhookVerificationError):
        webhook.verify(seen.body.replace(b"Geluidsoverlast", b"Geluidsoverlasx"), seen.headers)
    tampered_ts = {**seen.headers, "webhook-timestamp": str(int(seen.headers["webhook-timestamp"]) + 1)}
    with pytest.raises(WebhookVerificationError):
        webhook.verify(seen.body, tampered_ts)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_webhook_secret()).verify(seen.body, seen.headers)


def test_a_stale_timestamp_is_rejected_by_the_receiver_and_that_is_a_permanent_401(receiver):
    secret = new_webhook_secret()
    receiver.accepted_secrets.append(secret)
    stale = WebhookConnector(clock=lambda: time.time() - 600, guard=LOOPBACK)
    try:
        result = send(stale, receiver.url(), (secret,))
    finally:
        stale.close()

    assert (result.outcome, result.response_status) == ("permanent", 401)
    assert receiver.received == [] and len(receiver.rejected) == 1
    [seen] = receiver.requests
    with pytest.raises(WebhookVerificationError, match="too old"):
        Webhook(secret).verify(seen.body, seen.headers)


def test_during_a_rotation_old_and_new_secret_both_verify_and_a_rotated_out_secret_does_not(
        connector, receiver):
    old, new, retired = new_webhook_secret(), new_webhook_secret(), new_webhook_secret()

    receiver.accepted_secrets[:] = [old]
    assert send(connector, receiver.url(), (new, old)).outcome == "success"
    receiver.accepted_secrets[:] = [new]
    assert send(connector, receiver.url(), (new, old)).outcome == "success"
    receiver.accepted_secrets[:] = [retired]
    result = send(connector, receiver.url(), (new, old))

    assert (result.outcome, result.response_status) == ("permanent", 401)
    seen = receiver.requests[0]
    assert len(seen.headers["webhook-signature"].split(" ")) == 2
    assert all(s.startswith("v1,") for s in seen.headers["webhook-signature"].split(" "))
    with pytest.raises(WebhookVerificationError):
        Webhook(retired).verify(seen.body, seen.headers)


@pytest.mark.parametrize(("status", "outcome", "code"), [
    (200, "success", None),
    (202, "success", None),
    (400, "permanent", "connector.rejected"),
    (404, "permanent", "connector.rejected"),
    (302, "permanent", "connector.redirect"),
    (429, "retryable", "connector.throttled"),
    (500, "retryable", "connector.server_error"),
    (503, "retryable", "connector.server_error"),
])
def test_the_response_status_decides_the_outcome_and_is_recorded(connector, receiver, status, outcome,
                                                                  code):
    result = send(connector, receiver.url(f"/status/{status}"), (new_webhook_secret(),))

    assert (result.outcome, result.error_code, result.response_status) == (outcome, code, status)
    assert result.disable_endpoint is False


def test_410_gone_is_permanent_and_disables_the_endpoint(connector, receiver):
    result = send(connector, receiver.url("/status/410"), (new_webhook_secret(),))

    assert (result.outcome, result.error_code, result.response_status) == (
        "permanent", "connector.endpoint_gone", 410)
    assert result.disable_endpoint is True


def test_a_refused_connection_is_retryable(connector):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, not listening: connection refused
        result = send(connector, f"http://127.0.0.1:{port}/ok", (new_webhook_secret(),))

    assert (result.outcome, result.error_code) == ("retryable", "connector.connection")


def test_plain_http_to_another_host_is_refused_at_send_time_without_a_request(connector):
    request = DeliveryRequest("dlv-1", "msg-1", "partner", "mzwo", 1, cloud_event(),
                              endpoint_config={"url": "http://partner.example.org/hook"},
                              secrets=(new_webhook_secret(),))

    result = connector.deliver(request)

    assert (result.outcome, result.error_code) == ("permanent", "connector.insecure_url")


def test_an_endpoint_without_a_signing_secret_is_a_permanent_failure(connector, receiver):
    result = send(connector, receiver.url(), ())

    assert (result.outcome, result.error_code) == ("permanent", "connector.missing_secret")
    assert receiver.requests == []


def test_https_with_the_endpoint_ca_bundle_succeeds_and_without_it_verification_fails(
        connector, https_receiver, ca):
    secret = new_webhook_secret()
    https_receiver.accepted_secrets.append(secret)

    trusted = send(connector, https_receiver.url(), (secret,), ca_bundle=ca.pem)
    untrusted = send(connector, https_receiver.url(), (secret,))
    by_name = send(connector, https_receiver.url(host="localhost"), (secret,), ca_bundle=ca.pem)

    assert trusted.outcome == "success"
    assert (untrusted.outcome, untrusted.error_code) == ("retryable", "connector.tls")
    assert by_name.outcome == "success"
    assert len(https_receiver.received) == 2


def test_a_certificate_from_another_ca_is_not_trusted(connector, https_receiver):
    from tests.contract.certs import TestCA

    result = send(connector, https_receiver.url(), (new_webhook_secret(),), ca_bundle=TestCA("Other").pem)

    assert (result.outcome, result.error_code) == ("retryable", "connector.tls")


def test_mutual_tls_succeeds_with_the_endpoint_client_certificate_and_fails_without(
        connector, ca, server_cert, tmp_path):
    secret = new_webhook_secret()
    client = ca.issue("ketenhub-client", server=False)
    with WebhookReceiver(_server_context(server_cert, tmp_path, ca=ca)) as mtls:
        mtls.accepted_secrets.append(secret)
        with_cert = send(connector, mtls.url(), (secret,), ca_bundle=ca.pem, client_cert=client.bundle)
        without = send(connector, mtls.url(), (secret,), ca_bundle=ca.pem)

    assert with_cert.outcome == "success"
    assert without.outcome == "retryable"
    assert without.error_code in {"connector.tls", "connector.connection"}
    assert len(mtls.received) == 1
