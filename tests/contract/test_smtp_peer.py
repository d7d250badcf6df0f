"""The SMTP connector against a local aiosmtpd server: STARTTLS with a self-signed CA, implicit
TLS, a notification without personal data by default, the payload only when configured and
encrypted, and never a silent fall-back to plain text."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from connectors.smtp import SmtpConnector
from tests.contract.conftest import MailHandler, _server_context, free_port, request_for
from tests.contract.test_connector_contract import cloud_event, new_id

pytestmark = pytest.mark.integration

PERSONAL = ("Jan de Vries", "Kerkstraat", "1011AB", "0612345678", "client-4711", "Geluidsoverlast")


def personal_event() -> dict:
    event = cloud_event({"omschrijving": "Geluidsoverlast door Jan de Vries",
                         "adres": {"straat": "Kerkstraat", "huisnummer": 12, "postcode": "1011AB"},
                         "telefoon": "0612345678"})
    event["subject"] = "client-4711"
    return event


def whole_mail(message) -> str:
    return message.as_string()


@pytest.fixture
def plain_server():
    handler = MailHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


def starttls(port: int, ca, **kw) -> SmtpConnector:
    return SmtpConnector(host="127.0.0.1", port=port, tls="starttls", sender="noreply@ketenhub.test",
                         inbox_url_template="https://hub.ketenhub.test/inbox/{delivery_id}",
                         ca_bundle=ca.pem, **kw)


def test_by_default_the_mail_names_type_sender_deadline_and_link_and_no_personal_data(mail_server, ca):
    handler, port = mail_server
    deadline = datetime(2025, 3, 7, 16, 0, tzinfo=UTC)
    request = request_for("smtp", "dlv-mail-1", personal_event(), {"to": "partner@example.org"},
                          deadline=deadline)

    result = starttls(port, ca).deliver(request)

    assert result.outcome == "success"
    [(message, over_tls)] = handler.messages
    assert over_tls
    text = whole_mail(message)
    assert not [p for p in PERSONAL if p in text]
    assert message["Subject"] == "[Ketenhub] Signaal van Meldpunt Zorg en Woonoverlast"
    body = message.get_body(("plain",)).get_content()
    assert "https://hub.ketenhub.test/inbox/dlv-mail-1" in body
    assert "07-03-2025 17:00" in body  # the deadline in Dutch time
    assert "nl.ketenhub.signaal.v1" in body
    assert list(message.iter_attachments()) == []
    assert message["Message-ID"] == "<dlv-mail-1@ketenhub.test>"


def test_the_payload_is_attached_only_when_configured_and_sent_over_starttls(mail_server, ca):
    handler, port = mail_server
    event = personal_event()

    result = starttls(port, ca).deliver(request_for(
        "smtp", new_id(), event, {"to": "partner@example.org", "include_payload": True}))

    assert result.outcome == "success"
    [(message, over_tls)] = handler.messages
    assert over_tls
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/cloudevents+json"
    assert json.loads(attachment.get_content()) == event
    assert "Jan de Vries" not in message["Subject"]


def test_without_tls_the_payload_stays_out_even_when_configured(plain_server):
    handler, port = plain_server
    connector = SmtpConnector(host="127.0.0.1", port=port, tls="none")

    result = connector.deliver(request_for(
        "smtp", new_id(), personal_event(), {"to": "partner@example.org", "include_payload": True}))

    assert result.outcome == "success"
    [(message, over_tls)] = handler.messages
    assert not over_tls
    assert list(message.iter_attachments()) == []
    assert not [p for p in PERSONAL if p in whole_mail(message)]


def test_plain_smtp_to_a_host_off_loopback_is_refused_when_configured():
    with pytest.raises(ValueError, match="loopback"):
        SmtpConnector(host="smtp.example.org", tls="none")


def test_a_server_that_does_not_offer_starttls_is_never_sent_to_in_plain(plain_server, ca):
    handler, port = plain_server

    result = starttls(port, ca).deliver(request_for("smtp", new_id(), personal_event(),
                                                    {"to": "partner@example.org"}))

    assert (result.outcome, result.error_code) == ("retryable", "connector.tls")
    assert handler.messages == []


def test_a_server_certificate_the_hub_does_not_trust_fails_verification(mail_server):
    handler, port = mail_server
    connector = SmtpConnector(host="127.0.0.1", port=port, tls="starttls")

    result = connector.deliver(request_for("smtp", new_id(), personal_event(),
                                           {"to": "partner@example.org"}))

    assert (result.outcome, result.error_code) == ("retryable", "connector.tls")
    assert handler.messages == []


def test_implicit_tls_on_the_submissions_port_works(server_cert, tmp_path, ca):
    handler = MailHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(),
                            ssl_context=_server_context(server_cert, tmp_path))
    controller.start()
    try:
        connector = SmtpConnector(host="127.0.0.1", port=controller.port, tls="ssl", ca_bundle=ca.pem)
        result = connector.deliver(request_for("smtp", new_id(), personal_event(),
                                               {"to": "partner@example.org"}))
    finally:
        controller.stop()

    assert result.outcome == "success"
    assert len(handler.messages) == 1


def test_the_hub_logs_in_with_its_credentials_and_a_wrong_password_is_retryable_and_never_logged(
        server_cert, tmp_path, ca, caplog):
    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == b"ketenhub" and auth_data.password == b"s3cret-smtp-pw"
        return AuthResult(success=ok, handled=False)

    handler = MailHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(),
                            tls_context=_server_context(server_cert, tmp_path), require_starttls=True,
                            authenticator=authenticator, auth_required=True)
    controller.start()
    caplog.set_level(logging.DEBUG)
    try:
        good = starttls(controller.port, ca, username="ketenhub", password="s3cret-smtp-pw")
        bad = starttls(controller.port, ca, username="ketenhub", password="wrong-pw-value")
        ok = good.deliver(request_for("smtp", new_id(), personal_event(), {"to": "partner@example.org"}))
        refused = bad.deliver(request_for("smtp", new_id(), personal_event(),
                                          {"to": "partner@example.org"}))
    finally:
        controller.stop()

    assert ok.outcome == "success"
    assert (refused.outcome, refused.error_code) == ("retryable", "connector.smtp_auth")
    assert "s3cret-smtp-pw" not in caplog.text and "wrong-pw-value" not in caplog.text
    assert "s3cret-smtp-pw" not in repr(good)
