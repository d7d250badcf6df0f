"""AMQP: publish the CloudEvent to a partner's own broker, vhost and exchange (pika).

- CloudEvents AMQP binding, binary mode: every context attribute as a ``cloudEvents:<attr>``
  application header, ``data`` as the JSON body, ``content_type`` ``application/json``.
- ``message_id`` is the delivery id (stable across retries), messages are persistent, published
  ``mandatory`` with publisher confirms: the attempt succeeds only when the broker confirmed.
- Connections are reused per endpoint URL. pika's BlockingConnection is not thread-safe, so each
  URL has its own lock; a stale connection is replaced once per attempt.
- Failures are retryable (broker down, timeout, unroutable, nack, missing exchange) except a
  refused login, an unknown vhost or refused access, which are permanent.
- The URL carries the partner's password: it is never logged nor put in an error.
- Every new connection goes to the address the ``NetGuard`` checked for the host (TLS still
  verifies the name): no loopback, private or link-local broker, also not after a DNS change.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import ssl
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

import pika
import pika.exceptions as px
from pika.adapters.blocking_connection import BlockingChannel
from pika.adapters.utils import connection_workflow as cw

from connectors.base import Connector, DeliveryRequest
from connectors.config import (
    DEFAULT_TIMEOUT_S,
    MASK,
    MAX_URL,
    ConfigErrors,
    ca_bundle_field,
    is_loopback_host,
    string_field,
    timeout_field,
    unknown_fields,
)
from connectors.errors import AddressRefused, PermanentDeliveryError, RetryableDeliveryError
from connectors.netguard import NetGuard

log = logging.getLogger("ketenhub.connectors.amqp")

HEADER_PREFIX = "cloudEvents:"
CONTENT_TYPE = "application/json"
_ACCESS_REFUSED = 403
_NOT_FOUND = 404
_NOT_ALLOWED = 530
#: Retryable failures the broker itself answered: publishing again at once would not help.
_BROKER_ANSWERS = frozenset({"connector.unroutable", "connector.nacked",
                             "connector.exchange_not_found", "connector.broker_closed"})


def event_headers(event: dict) -> dict[str, Any]:
    """The context attributes as ``cloudEvents:<attr>`` headers (``data`` excluded)."""
    headers: dict[str, Any] = {}
    for name, value in event.items():
        if name in {"data", "data_base64"}:
            continue
        if isinstance(value, str | bool | int):
            headers[HEADER_PREFIX + name] = value
        elif value is not None:
            headers[HEADER_PREFIX + name] = json.dumps(value, separators=(",", ":"))
    return headers


def event_body(event: dict) -> bytes:
    return json.dumps(event.get("data"), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


_EXCHANGE = re.compile(r"^[A-Za-z0-9_.:\-]{0,255}$")


def mask_amqp_url(url: str) -> str:
    """``amqp://user:***@host:port/vhost``: the password masked, the port explicit, options
    (query) dropped."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return MASK
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    netloc = f"{host}:{port or (5671 if scheme == 'amqps' else 5672)}"
    if parts.username is not None:
        userinfo = quote(unquote(parts.username), safe="")
        netloc = f"{userinfo}:{MASK}@{netloc}"
    return urlunsplit((scheme, netloc, parts.path or "/", "", ""))


@dataclass
class _Link:
    lock: threading.Lock = field(default_factory=threading.Lock)
    connection: pika.BlockingConnection | None = None
    channel: BlockingChannel | None = None

    def drop(self) -> None:
        connection, self.connection, self.channel = self.connection, None, None
        if connection is not None:
            try:
                if connection.is_open:
                    connection.close()
            except Exception:  # noqa: BLE001 - closing a broken connection may fail any way
                pass


class AmqpConnector(Connector):
    """``AmqpConnector(timeout_s=None, app_id="ketenhub", guard=NetGuard())``.

    ``timeout_s`` bounds connecting and socket operations; an endpoint's own ``timeout_s``
    wins when set (default 10 s). ``guard`` decides which broker addresses may be connected
    to (by default public ones only).
    """

    alias = "amqp"
    config_summary = "{url, exchange, routing_key, timeout_s?, ca_bundle?}"

    @classmethod
    def validate_config(cls, config: dict) -> tuple[dict, dict]:
        errors = ConfigErrors()
        unknown_fields(config, {"url", "exchange", "routing_key", "timeout_s", "ca_bundle"}, errors)
        public: dict = {}
        secret: dict = {}
        url = string_field(config, "url", errors, required=True, max_len=MAX_URL)
        if url is not None:
            try:
                parts = urlsplit(url)
                parts.port  # noqa: B018 - raises ValueError on a bad port
                valid_host = bool(parts.hostname)
            except ValueError:
                parts, valid_host = None, False
            if parts is None or not valid_host:
                errors.add("/config/url", "url.invalid")
            elif parts.scheme.lower() not in {"amqp", "amqps"}:
                errors.add("/config/url", "url.scheme")
            elif MASK in (parts.password or ""):
                errors.add("/config/url", "url.masked")
            elif parts.scheme.lower() == "amqp" and not is_loopback_host(parts.hostname):
                # Partner data never crosses a network unencrypted: amqps, or plain to loopback.
                errors.add("/config/url", "url.insecure")
            else:
                public["url"] = mask_amqp_url(url)
                secret["url"] = url
        exchange = string_field(config, "exchange", errors, required=True)
        if exchange is not None:
            if _EXCHANGE.match(exchange) and not exchange.startswith("amq."):
                public["exchange"] = exchange
            else:
                errors.add("/config/exchange", "amqp.exchange")
        routing_key = string_field(config, "routing_key", errors, required=True)
        if routing_key is not None:
            if len(routing_key.encode("utf-8")) <= 255:
                public["routing_key"] = routing_key
            else:
                errors.add("/config/routing_key", "max_length")
        public["timeout_s"] = timeout_field(config, errors)
        ca_bundle = ca_bundle_field(config, errors)
        if ca_bundle is not None:
            public["ca_bundle"] = ca_bundle
        errors.raise_if_any()
        return public, secret

    @classmethod
    def mask_config(cls, public_config: dict) -> dict:
        shown = super().mask_config({k: v for k, v in public_config.items() if k != "url"})
        if isinstance(public_config.get("url"), str):
            shown["url"] = mask_amqp_url(public_config["url"])
        return shown

    @classmethod
    def check_destination(cls, public_config: dict, secret_config: dict, guard: NetGuard) -> None:
        guard.check_url(secret_config.get("url") or public_config["url"])

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> AmqpConnector:
        """``allow_loopback_endpoints``: whether a loopback broker is allowed."""
        return cls(guard=NetGuard(allow_loopback=bool(settings.get("allow_loopback_endpoints"))))

    def __init__(self, *, timeout_s: float | None = None, app_id: str = "ketenhub",
                 guard: NetGuard | None = None) -> None:
        self._timeout_s = timeout_s
        self._guard = guard or NetGuard()
        self._app_id = app_id
        self._lock = threading.Lock()
        self._links: dict[str, _Link] = {}

    def _link(self, url: str) -> _Link:
        key = hashlib.sha256(url.encode()).hexdigest()  # the URL holds a password: hash it
        with self._lock:
            return self._links.setdefault(key, _Link())

    def close(self) -> None:
        with self._lock:
            links, self._links = list(self._links.values()), {}
        for link in links:
            with link.lock:
                link.drop()

    def _parameters(self, url: str, timeout: float, ca_bundle: str | None) -> pika.URLParameters:
        try:
            params = pika.URLParameters(url)
        except (ValueError, TypeError):
            raise PermanentDeliveryError("connector.invalid_config") from None
        scheme = urlsplit(url).scheme.lower()
        if scheme == "amqps":
            ctx = ssl.create_default_context()
            if ca_bundle:
                ctx.load_verify_locations(cadata=ca_bundle)
            params.ssl_options = pika.SSLOptions(ctx, server_hostname=params.host)
        else:  # an ssl_options query argument can not weaken or switch anything
            params.ssl_options = None
        params.socket_timeout = timeout
        params.stack_timeout = timeout
        params.blocked_connection_timeout = timeout
        params.connection_attempts = 1
        return params

    def _connect(self, link: _Link, params: pika.URLParameters) -> BlockingChannel:
        if link.connection is not None and link.connection.is_open and link.channel is not None \
                and link.channel.is_open:
            return link.channel
        link.drop()
        # Resolve and check now, and connect to that very address (the name stays for TLS).
        params.host = self._guard.pinned_address(params.host, params.port)
        link.connection = pika.BlockingConnection(params)
        link.channel = link.connection.channel()
        link.channel.confirm_delivery()
        return link.channel

    def _send(self, request: DeliveryRequest) -> int | None:
        config = request.endpoint_config
        url = request.secret_config.get("url") or config.get("url")
        if not isinstance(url, str) or "***" in (urlsplit(url).password or ""):
            raise PermanentDeliveryError("connector.invalid_config")
        if urlsplit(url).scheme.lower() == "amqp" and not is_loopback_host(urlsplit(url).hostname):
            raise PermanentDeliveryError("connector.insecure_url")
        if request.event is None:
            raise PermanentDeliveryError("connector.no_payload")
        timeout = float(config.get("timeout_s") or self._timeout_s or DEFAULT_TIMEOUT_S)
        exchange = config.get("exchange", "")
        routing_key = config.get("routing_key", "")
        event = request.event
        properties = pika.BasicProperties(
            content_type=CONTENT_TYPE, content_encoding="utf-8", delivery_mode=2,
            message_id=request.delivery_id, app_id=self._app_id, timestamp=int(time.time()),
            type=event.get("type") if isinstance(event.get("type"), str) else None,
            headers=event_headers(event))
        body = event_body(event)
        params = self._parameters(url, timeout, config.get("ca_bundle"))
        link = self._link(url)
        with link.lock:
            for reused in (True, False):
                was_open = link.connection is not None and link.connection.is_open
                try:
                    channel = self._connect(link, params)
                    channel.basic_publish(exchange, routing_key, body, properties, mandatory=True)
                    return None
                except Exception as exc:  # noqa: BLE001 - converted below, never re-raised raw
                    link.drop()
                    error = self._convert(exc)
                    # A cached connection may have died idle: one fresh try, then give up.
                    if reused and was_open and isinstance(error, RetryableDeliveryError) \
                            and error.code not in _BROKER_ANSWERS:
                        continue
                    raise error from None
        raise RetryableDeliveryError("connector.connection")  # pragma: no cover

    @staticmethod
    def _convert(exc: Exception) -> RetryableDeliveryError | PermanentDeliveryError:
        if isinstance(exc, AddressRefused):
            log.info("amqp destination refused", extra={"rule": exc.code})
            return PermanentDeliveryError("connector.address_refused")
        if isinstance(exc, px.UnroutableError):
            return RetryableDeliveryError("connector.unroutable")
        if isinstance(exc, px.NackError):
            return RetryableDeliveryError("connector.nacked")
        if isinstance(exc, px.ProbableAuthenticationError | px.AuthenticationError):
            return PermanentDeliveryError("connector.access_refused")
        if isinstance(exc, px.ProbableAccessDeniedError):
            return PermanentDeliveryError("connector.vhost")
        if isinstance(exc, px.ConnectionClosedByBroker | px.ChannelClosedByBroker):
            if exc.reply_code == _ACCESS_REFUSED:
                return PermanentDeliveryError("connector.access_refused")
            if exc.reply_code == _NOT_ALLOWED:
                return PermanentDeliveryError("connector.vhost")
            if exc.reply_code == _NOT_FOUND:
                return RetryableDeliveryError("connector.exchange_not_found")
            return RetryableDeliveryError("connector.broker_closed")
        if isinstance(exc, px.AMQPHeartbeatTimeout | px.ConnectionBlockedTimeout
                      | TimeoutError):
            return RetryableDeliveryError("connector.timeout")
        if isinstance(exc, cw.AMQPConnectorStackTimeout):
            return RetryableDeliveryError("connector.timeout")
        if isinstance(exc, cw.AMQPConnectorTransportSetupError):
            return RetryableDeliveryError("connector.tls")
        if isinstance(exc, cw.AMQPConnectorException):
            return RetryableDeliveryError("connector.connection")
        if isinstance(exc, px.AMQPConnectionError):
            # pika wraps the cause: a stack timeout, a refused socket, a TLS failure.
            text = " ".join(type(a).__name__ for a in exc.args)
            if "Timeout" in text or "timeout" in str(exc.args[:1]).lower():
                return RetryableDeliveryError("connector.timeout")
            if "SSL" in text or any(isinstance(a, ssl.SSLError) for a in exc.args):
                return RetryableDeliveryError("connector.tls")
            return RetryableDeliveryError("connector.connection")
        if isinstance(exc, ssl.SSLError):
            return RetryableDeliveryError("connector.tls")
        if isinstance(exc, OSError | px.AMQPError):
            return RetryableDeliveryError("connector.connection")
        log.warning("unexpected amqp failure", extra={"error_type": type(exc).__name__})
        return RetryableDeliveryError("connector.unexpected")
