"""Real peers for the connector contract: an HTTPS server that checks every Standard Webhooks
signature with the PyPI ``standardwebhooks`` package, a separate vhost on the real RabbitMQ read
with pika, and a local aiosmtpd server speaking STARTTLS. Each peer offers the same four cases
(ok, retryable, permanent, timeout) so one suite runs against every connector."""

from __future__ import annotations

import email
import email.policy
import json
import shutil
import socket
import ssl
import subprocess
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote, urlsplit

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from connectors.base import AttemptResult, Connector, DeliveryRequest
from connectors.netguard import NetGuard
from connectors.registry import validate_endpoint_config
from connectors.signing import new_webhook_secret
from tests.conftest import IN_CI
from tests.contract.certs import TestCA

#: The peers of these tests listen on this machine.
LOOPBACK = NetGuard(allow_loopback=True)
CASES = ("ok", "retryable", "permanent", "timeout")
SHORT_TIMEOUT_S = 0.5


@dataclass
class Received:
    delivery_id: str
    event: dict
    headers: dict = field(default_factory=dict)
    body: bytes = b""


def request_for(alias: str, delivery_id: str, event: dict | None, config: dict, *,
                secrets: tuple[str, ...] = (), **extra: object) -> DeliveryRequest:
    public, secret = validate_endpoint_config(alias, config)
    return DeliveryRequest(delivery_id=delivery_id, message_id=f"msg-{delivery_id}",
                           recipient="partner", sender="mzwo-centrum", attempt=1, event=event,
                           endpoint_config=public, secret_config=secret, secrets=secrets,
                           endpoint_id=f"ep-{alias}", sender_name="Meldpunt Zorg en Woonoverlast",
                           **extra)


# -- shared -----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def ca() -> TestCA:
    return TestCA()


@pytest.fixture(scope="session")
def server_cert(ca: TestCA):
    return ca.issue("127.0.0.1", server=True)


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts TCP connections (the kernel's backlog) and never says a word."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    yield sock.getsockname()[1]
    sock.close()


def _server_context(server_cert, tmp_path, ca: TestCA | None = None) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(*server_cert.write(tmp_path, f"server-{uuid.uuid4().hex[:6]}"))
    if ca is not None:  # mutual TLS: a client certificate from this CA is required
        ctx.load_verify_locations(cadata=ca.pem)
        ctx.verify_mode = ssl.CERT_REQUIRED
    return ctx


# -- webhook ----------------------------------------------------------------------------------
class WebhookReceiver:
    """A threaded HTTP(S) server. ``/ok`` verifies the signature with ``standardwebhooks``
    against ``accepted_secrets`` (401 if none matches), ``/status/<n>`` answers n, ``/slow``
    answers after the client gave up."""

    def __init__(self, context: ssl.SSLContext | None = None) -> None:
        self.accepted_secrets: list[str] = []
        self.received: list[Received] = []
        self.requests: list[Received] = []
        self.rejected: list[str] = []
        self.release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                headers = {k.lower(): v for k, v in self.headers.items()}
                seen = Received(headers.get("webhook-id", ""), {}, headers, body)
                receiver.requests.append(seen)
                if self.path == "/slow":
                    receiver.release.wait(5)
                    return self._answer(200)
                if self.path.startswith("/status/"):
                    return self._answer(int(self.path.rsplit("/", 1)[1]))
                if self.path.startswith("/busy/"):  # 503 asking to wait n seconds
                    return self._answer(503, {"Retry-After": self.path.rsplit("/", 1)[1]})
                for secret in receiver.accepted_secrets:
                    try:
                        seen.event = Webhook(secret).verify(body, headers)
                    except WebhookVerificationError:
                        continue
                    receiver.received.append(seen)
                    return self._answer(204)
                receiver.rejected.append(seen.delivery_id)
                return self._answer(401)

            def _answer(self, status: int, headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.scheme = "http"
        if context is not None:
            self.scheme = "https"
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str = "/ok", host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.server.server_address[1]}{path}"

    def __enter__(self) -> WebhookReceiver:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def https_receiver(server_cert, tmp_path) -> Iterator[WebhookReceiver]:
    with WebhookReceiver(_server_context(server_cert, tmp_path)) as receiver:
        yield receiver


class WebhookPeer:
    alias = "webhook"

    def __init__(self, receiver: WebhookReceiver, ca: TestCA) -> None:
        from connectors.webhook import WebhookConnector

        self.receiver = receiver
        self.ca = ca
        self.secret = new_webhook_secret()
        receiver.accepted_secrets.append(self.secret)
        self.connector: Connector = WebhookConnector(guard=LOOPBACK)
        self.secret_values = [self.secret]

    def deliver(self, case: str, delivery_id: str, event: dict) -> AttemptResult:
        path = {"ok": "/ok", "retryable": "/status/503", "permanent": "/status/422",
                "timeout": "/slow"}[case]
        config = {"url": self.receiver.url(path), "ca_bundle": self.ca.pem,
                  "timeout_s": SHORT_TIMEOUT_S if case == "timeout" else 5}
        return self.connector.deliver(request_for("webhook", delivery_id, event, config,
                                                  secrets=(self.secret,)))

    def received(self) -> list[Received]:
        return list(self.receiver.received)


# -- amqp -------------------------------------------------------------------------------------
def _rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="session")
def partner_vhost(broker_url: str) -> Iterator[str]:
    """A separate vhost on the real RabbitMQ, as a partner's own broker; deleted afterwards."""
    if shutil.which("rabbitmqctl") is None:
        if IN_CI:
            pytest.fail("rabbitmqctl is needed to make the partner vhost (CI=true)")
        pytest.skip("rabbitmqctl not available")
    user = urlsplit(broker_url).username or "guest"
    name = f"ketenhub-partner-{uuid.uuid4().hex[:8]}"
    _rabbitmqctl("add_vhost", name)
    try:
        _rabbitmqctl("set_permissions", "-p", name, user, ".*", ".*", ".*")
        yield name
    finally:
        _rabbitmqctl("delete_vhost", name)


def vhost_url(broker_url: str, vhost: str, *, password: str | None = None, port: int | None = None,
              vhost_override: str | None = None) -> str:
    parts = urlsplit(broker_url)
    user = parts.username or "guest"
    secret = (parts.password or "guest") if password is None else password
    return (f"amqp://{quote(user, safe='')}:{quote(secret, safe='')}@{parts.hostname or '127.0.0.1'}:"
            f"{port or parts.port or 5672}/{quote(vhost_override or vhost, safe='')}")


class AmqpPeer:
    alias = "amqp"
    exchange = "partner.events"

    def __init__(self, broker_url: str, vhost: str, silent_port: int) -> None:
        import pika

        from connectors.amqp import AmqpConnector

        self.broker_url = broker_url
        self.vhost = vhost
        self.silent_port = silent_port
        self.url = vhost_url(broker_url, vhost)
        self.connection = pika.BlockingConnection(pika.URLParameters(self.url))
        self.channel = self.connection.channel()
        self.channel.exchange_declare(self.exchange, "topic", durable=True)
        self.queue = self.channel.queue_declare("", exclusive=True).method.queue
        self.channel.queue_bind(self.queue, self.exchange, routing_key="ketenhub.#")
        self.connector: Connector = AmqpConnector(guard=LOOPBACK)
        self.secret_values = [urlsplit(broker_url).password or "guest"]

    def config(self, case: str = "ok") -> dict:
        url = self.url
        if case == "permanent":
            url = vhost_url(self.broker_url, self.vhost, password="wrong-password")
        elif case == "timeout":
            url = vhost_url(self.broker_url, self.vhost, port=self.silent_port)
        routing_key = "nobody.listens" if case == "retryable" else "ketenhub.signaal"
        config = {"url": url, "exchange": self.exchange, "routing_key": routing_key}
        if case == "timeout":
            config["timeout_s"] = SHORT_TIMEOUT_S
        return config

    def deliver(self, case: str, delivery_id: str, event: dict) -> AttemptResult:
        return self.connector.deliver(request_for("amqp", delivery_id, event, self.config(case)))

    def messages(self) -> list[tuple[object, object, bytes]]:
        out = []
        while True:
            method, properties, body = self.channel.basic_get(self.queue, auto_ack=True)
            if method is None:
                return out
            out.append((method, properties, body))

    def received(self) -> list[Received]:
        result = []
        for _, props, body in self.messages():
            headers = dict(props.headers or {})
            event = {k.removeprefix("cloudEvents:"): (v.decode() if isinstance(v, bytes) else v)
                     for k, v in headers.items() if k.startswith("cloudEvents:")}
            event["data"] = json.loads(body)
            result.append(Received(props.message_id, event, headers, body))
        return result

    def close(self) -> None:
        self.connector.close()
        if self.connection.is_open:
            self.connection.close()


# -- smtp -------------------------------------------------------------------------------------
class MailHandler:
    """Accepts mail for anyone but ``weg@`` (550, permanent) and ``later@`` (451, retryable)."""

    def __init__(self) -> None:
        self.messages: list[tuple[object, bool]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.startswith("weg@"):
            return "550 5.1.1 Mailbox unavailable"
        if address.startswith("later@"):
            return "451 4.3.0 Try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append((email.message_from_bytes(envelope.original_content,
                                                       policy=email.policy.default),
                              session.ssl is not None))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def mail_server(server_cert, tmp_path) -> Iterator[tuple[MailHandler, int]]:
    """aiosmtpd on a free port, STARTTLS offered and required, a self-signed CA's certificate."""
    from aiosmtpd.controller import Controller

    handler = MailHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(),
                            tls_context=_server_context(server_cert, tmp_path),
                            require_starttls=True)
    controller.start()
    try:
        yield handler, controller.port
    finally:
        controller.stop()


class SmtpPeer:
    alias = "smtp"

    def __init__(self, handler: MailHandler, port: int, ca: TestCA, silent_port: int) -> None:
        from connectors.smtp import SmtpConnector

        self.handler = handler
        self.connector: Connector = SmtpConnector(
            host="127.0.0.1", port=port, tls="starttls", sender="noreply@ketenhub.test",
            inbox_url_template="https://hub.ketenhub.test/inbox/{delivery_id}", ca_bundle=ca.pem)
        self.slow: Connector = SmtpConnector(host="127.0.0.1", port=silent_port, tls="starttls",
                                             timeout_s=SHORT_TIMEOUT_S, ca_bundle=ca.pem)
        self.secret_values: list[str] = []

    def deliver(self, case: str, delivery_id: str, event: dict) -> AttemptResult:
        to = {"ok": "partner@example.org", "retryable": "later@example.org",
              "permanent": "weg@example.org", "timeout": "partner@example.org"}[case]
        connector = self.slow if case == "timeout" else self.connector
        return connector.deliver(request_for("smtp", delivery_id, event,
                                             {"to": to, "include_payload": True}))

    def received(self) -> list[Received]:
        result = []
        for message, _tls in self.handler.messages:
            attachment = next(part for part in message.iter_attachments()
                              if part.get_filename() == "bericht.json")
            result.append(Received(message["X-Ketenhub-Delivery-Id"],
                                   json.loads(attachment.get_content()), dict(message.items())))
        return result


# -- the parametrised peer ----------------------------------------------------------------------
@pytest.fixture(params=["webhook", "amqp", "smtp"])
def peer(request: pytest.FixtureRequest, ca: TestCA, silent_port: int):
    if request.param == "webhook":
        webhook = WebhookPeer(request.getfixturevalue("https_receiver"), ca)
        yield webhook
        webhook.connector.close()
    elif request.param == "amqp":
        amqp = AmqpPeer(request.getfixturevalue("broker_url"),
                        request.getfixturevalue("partner_vhost"), silent_port)
        try:
            yield amqp
        finally:
            amqp.close()
    else:
        handler, port = request.getfixturevalue("mail_server")
        yield SmtpPeer(handler, port, ca, silent_port)
