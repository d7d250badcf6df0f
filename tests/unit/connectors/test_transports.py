"""The parts of each transport that need no peer: the e-mail a delivery becomes, the AMQP
headers and body, and how statuses and broker errors are classified."""

from __future__ import annotations

from datetime import UTC, datetime

import pika.exceptions as px
import pytest
from pika.adapters.utils import connection_workflow as cw

from connectors.amqp import AmqpConnector, event_body, event_headers
from connectors.base import DeliveryRequest
from connectors.errors import EndpointGone, PermanentDeliveryError, RetryableDeliveryError
from connectors.smtp import SmtpConnector
from connectors.webhook import WebhookConnector, encode_event

EVENT = {"specversion": "1.0", "id": "e-1", "source": "urn:nld:oin:1:meldpunt",
         "type": "nl.ketenhub.urgent.v1", "subject": "client-4711", "time": "2025-03-04T10:00:00Z",
         "datacontenttype": "application/json",
         "data": {"naam": "Jan de Vries", "adres": "Kerkstraat 12", "telefoon": "0612345678"}}
PERSONAL = ("Jan de Vries", "Kerkstraat", "0612345678", "client-4711")


def mail_request(**config) -> DeliveryRequest:
    return DeliveryRequest("dlv-9", "msg-9", "ymere", "mzwo-centrum", 1, EVENT,
                           deadline=datetime(2025, 7, 1, 8, 30, tzinfo=UTC),
                           endpoint_config={"to": "team@ymere.example.nl", **config},
                           sender_name="MZWO Centrum")


def test_the_notification_mail_has_type_sender_deadline_and_link_but_no_personal_data():
    smtp = SmtpConnector(sender="noreply@ketenhub.example.nl",
                         inbox_url_template="https://ketenhub.example.nl/inbox/{delivery_id}")

    message = smtp.compose(mail_request())

    text = message.as_string()
    assert not [p for p in PERSONAL if p in text]
    assert message["Subject"] == "[Ketenhub] Urgente melding van MZWO Centrum"
    body = message.get_body(("plain",)).get_content()
    assert "https://ketenhub.example.nl/inbox/dlv-9" in body
    assert "01-07-2025 10:30 CEST" in body
    assert list(message.iter_attachments()) == []


def test_the_mail_links_to_the_inbox_item_by_the_one_delivery_id_it_also_names_as_kenmerk():
    smtp = SmtpConnector(inbox_url_template="https://ketenhub.example.nl/inbox/{delivery_id}")
    message = smtp.compose(mail_request())
    body = message.get_body(("plain",)).get_content()
    assert "https://ketenhub.example.nl/inbox/dlv-9" in body and "Kenmerk: dlv-9" in body
    assert message["X-Ketenhub-Delivery-Id"] == "dlv-9"
    assert message["Message-ID"].startswith("<dlv-9@")


def test_the_payload_is_attached_only_when_configured_and_the_server_is_reached_over_tls():
    with_tls = SmtpConnector(tls="starttls").compose(mail_request(include_payload=True))
    plain = SmtpConnector(host="127.0.0.1", tls="none").compose(mail_request(include_payload=True))

    assert len(list(with_tls.iter_attachments())) == 1
    assert list(plain.iter_attachments()) == []
    assert not [p for p in PERSONAL if p in plain.as_string()]


def test_a_sender_name_with_line_breaks_can_not_inject_headers():
    request = DeliveryRequest("d", "m", "r", "s", 1, EVENT, endpoint_config={"to": "a@b.nl"},
                              sender_name="Evil\r\nBcc: spy@evil.example")

    message = SmtpConnector().compose(request)

    assert message["Bcc"] is None
    assert "\n" not in message["Subject"]


def test_the_smtp_connector_refuses_an_unknown_tls_mode_and_keeps_its_password_out_of_repr():
    with pytest.raises(ValueError):
        SmtpConnector(tls="maybe")
    assert "pw" not in repr(SmtpConnector(username="u", password="pw"))
    assert SmtpConnector(tls="ssl").port == 465 and SmtpConnector().port == 587


def test_amqp_headers_carry_every_context_attribute_and_the_body_only_the_data():
    headers = event_headers({**EVENT, "ketenhubpriority": 2, "extra": {"a": 1}})

    assert headers["cloudEvents:id"] == "e-1"
    assert headers["cloudEvents:specversion"] == "1.0"
    assert headers["cloudEvents:ketenhubpriority"] == 2
    assert headers["cloudEvents:extra"] == '{"a":1}'
    assert "cloudEvents:data" not in headers
    assert event_body(EVENT) == encode_event(EVENT["data"])


@pytest.mark.parametrize(("exc", "kind", "code"), [
    (px.UnroutableError([]), RetryableDeliveryError, "connector.unroutable"),
    (px.NackError([]), RetryableDeliveryError, "connector.nacked"),
    (px.ProbableAuthenticationError(), PermanentDeliveryError, "connector.access_refused"),
    (px.ProbableAccessDeniedError(), PermanentDeliveryError, "connector.vhost"),
    (px.ConnectionClosedByBroker(530, "vhost not found"), PermanentDeliveryError, "connector.vhost"),
    (px.ConnectionClosedByBroker(403, "ACCESS_REFUSED"), PermanentDeliveryError,
     "connector.access_refused"),
    (px.ChannelClosedByBroker(403, "ACCESS_REFUSED"), PermanentDeliveryError,
     "connector.access_refused"),
    (px.ChannelClosedByBroker(404, "NOT_FOUND"), RetryableDeliveryError, "connector.exchange_not_found"),
    (px.ConnectionClosedByBroker(320, "shutdown"), RetryableDeliveryError, "connector.broker_closed"),
    (px.StreamLostError(), RetryableDeliveryError, "connector.connection"),
    (cw.AMQPConnectorStackTimeout(), RetryableDeliveryError, "connector.timeout"),
    (TimeoutError(), RetryableDeliveryError, "connector.timeout"),
    (ConnectionRefusedError(), RetryableDeliveryError, "connector.connection"),
])
def test_broker_errors_are_retryable_except_refused_access_and_unknown_vhosts(exc, kind, code):
    converted = AmqpConnector._convert(exc)

    assert type(converted) is kind and converted.code == code


@pytest.mark.parametrize(("status", "kind", "code"), [
    (410, EndpointGone, "connector.endpoint_gone"),
    (400, PermanentDeliveryError, "connector.rejected"),
    (401, PermanentDeliveryError, "connector.rejected"),
    (301, PermanentDeliveryError, "connector.redirect"),
    (408, RetryableDeliveryError, "connector.throttled"),
    (429, RetryableDeliveryError, "connector.throttled"),
    (500, RetryableDeliveryError, "connector.server_error"),
    (504, RetryableDeliveryError, "connector.server_error"),
])
def test_webhook_statuses_other_than_2xx_are_classified(status, kind, code):
    with pytest.raises(kind) as caught:
        WebhookConnector._classify(status)

    assert type(caught.value) is kind and caught.value.code == code
    assert caught.value.response_status == status


def test_webhook_2xx_is_success_with_its_status():
    assert WebhookConnector._classify(201) == 201


def test_the_structured_body_is_compact_utf8_json():
    assert encode_event({"a": "é", "b": [1, 2]}) == '{"a":"é","b":[1,2]}'.encode()


SAMENLOOP = {"eerdere_signalen_3_jaar": 2, "open_zaak": "MZWO-C-2026-0042"}


def test_a_meldpunts_samenloop_is_in_the_mail_the_amqp_headers_and_the_webhook_body():
    event = {**EVENT, "samenloop": SAMENLOOP}
    request = DeliveryRequest("dlv-9", "msg-9", "mzwo-centrum", "ymere", 1, event,
                              endpoint_config={"to": "team@mzwo.example.nl"})

    body = SmtpConnector().compose(request).get_body(("plain",)).get_content()

    assert "Samenloop: 2 eerdere signalen op dit adres in 3 jaar; open zaak MZWO-C-2026-0042." \
        in body
    assert event_headers(event)["cloudEvents:samenloop"] == \
        '{"eerdere_signalen_3_jaar":2,"open_zaak":"MZWO-C-2026-0042"}'
    assert b'"samenloop":{"eerdere_signalen_3_jaar":2' in encode_event(event)


def test_a_mail_without_samenloop_says_nothing_about_it():
    body = SmtpConnector().compose(mail_request()).get_body(("plain",)).get_content()
    assert "Samenloop" not in body
