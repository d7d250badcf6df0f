"""Standard Webhooks signatures as the hub makes them, checked against the reference
``standardwebhooks`` package without any I/O."""

from __future__ import annotations

import base64
import time
from datetime import UTC, datetime

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from connectors.signing import new_webhook_secret, sign, signature_header, webhook_headers

BODY = b'{"specversion":"1.0","id":"e-1","type":"nl.ketenhub.signaal.v1","data":{"a":1}}'


def test_the_signature_matches_the_published_test_vector():
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    signature = sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, b'{"test": 2432232314}')

    assert signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_the_signature_equals_the_reference_implementation():
    secret = new_webhook_secret()
    now = int(time.time())

    expected = Webhook(secret).sign("dlv-1", datetime.fromtimestamp(now, UTC), BODY.decode())

    assert sign(secret, "dlv-1", now, BODY) == expected


def test_a_new_secret_is_whsec_and_32_random_bytes():
    secrets = {new_webhook_secret() for _ in range(50)} | {new_webhook_secret()}

    assert len(secrets) == 51
    for secret in secrets:
        assert secret.startswith("whsec_")
        assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32


def test_the_reference_receiver_accepts_every_hub_signature():
    for _ in range(20):
        secret = new_webhook_secret()
        headers = webhook_headers([secret], "dlv-x", int(time.time()), BODY)
        assert Webhook(secret).verify(BODY, headers)["id"] == "e-1"


def test_the_reference_receiver_rejects_a_tampered_body_timestamp_or_id():
    secret = new_webhook_secret()
    headers = webhook_headers([secret], "dlv-x", int(time.time()), BODY)
    webhook = Webhook(secret)

    for body, changed in [(BODY.replace(b'"a":1', b'"a":2'), {}),
                          (BODY, {"webhook-timestamp": str(int(headers["webhook-timestamp"]) - 1)}),
                          (BODY, {"webhook-id": "dlv-y"})]:
        with pytest.raises(WebhookVerificationError):
            webhook.verify(body, {**headers, **changed})


def test_the_reference_receiver_rejects_a_stale_timestamp_even_when_correctly_signed():
    secret = new_webhook_secret()
    headers = webhook_headers([secret], "dlv-x", int(time.time()) - 6 * 60, BODY)

    with pytest.raises(WebhookVerificationError, match="too old"):
        Webhook(secret).verify(BODY, headers)


def test_during_rotation_both_secrets_sign_newest_first_and_a_retired_secret_is_rejected():
    new, old, retired = new_webhook_secret(), new_webhook_secret(), new_webhook_secret()
    now = int(time.time())

    header = signature_header([new, old], "dlv-x", now, BODY)
    headers = {"webhook-id": "dlv-x", "webhook-timestamp": str(now), "webhook-signature": header}

    assert header.split(" ") == [sign(new, "dlv-x", now, BODY), sign(old, "dlv-x", now, BODY)]
    Webhook(new).verify(BODY, headers)
    Webhook(old).verify(BODY, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(retired).verify(BODY, headers)


def test_a_secret_given_twice_is_signed_once():
    secret = new_webhook_secret()

    assert signature_header([secret, secret], "d", 1, BODY).count("v1,") == 1


def test_no_secret_or_a_malformed_one_is_an_error_that_does_not_repeat_it():
    with pytest.raises(ValueError):
        signature_header([], "d", 1, BODY)
    for bad in ("geheim-zonder-prefix", "whsec_!!!notbase64", "whsec_"):
        with pytest.raises(ValueError) as caught:
            sign(bad, "d", 1, BODY)
        assert bad not in str(caught.value)
