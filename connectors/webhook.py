"""Webhook: an HTTPS POST of the CloudEvent in structured mode
(``Content-Type: application/cloudevents+json``), signed the Standard Webhooks way.

- ``webhook-id`` is the delivery id (stable across retries, so receivers can deduplicate),
  ``webhook-timestamp`` the send time, ``webhook-signature`` one ``v1,<sig>`` per valid secret.
- 2xx success; 410 ``EndpointGone`` (the endpoint is disabled); 408/429 and 5xx, timeouts,
  connection and TLS errors retryable; 3xx (never followed) and other 4xx permanent.
- TLS verification is always on: the system/certifi roots plus the endpoint's ``ca_bundle``;
  an endpoint may carry a ``client_cert`` (cert + key PEM) for mTLS. Plain ``http://`` only to
  loopback, checked at configuration and again here.
- Every new connection resolves the host through the ``NetGuard`` and connects to the one
  address it checked (TLS still verifies the name): no loopback, private or link-local
  destination, also not after the name is re-pointed (DNS rebinding). Through an egress
  ``proxy`` the proxy connects, and must apply the same rules.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import ssl
import tempfile
import threading
import time
from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from connectors.base import Connector, DeliveryRequest
from connectors.config import (
    DEFAULT_TIMEOUT_S,
    MAX_URL,
    ConfigErrors,
    ca_bundle_field,
    client_cert_field,
    is_loopback_host,
    string_field,
    timeout_field,
    unknown_fields,
)
from connectors.errors import (
    AddressRefused,
    EndpointGone,
    PermanentDeliveryError,
    RetryableDeliveryError,
)
from connectors.netguard import NetGuard
from connectors.signing import webhook_headers

log = logging.getLogger("ketenhub.connectors.webhook")

CONTENT_TYPE = "application/cloudevents+json"
USER_AGENT = "Ketenhub-Webhook/1"
RETRYABLE_4XX = frozenset({408, 425, 429})


def retry_after_seconds(header: str | None, now: float) -> float | None:
    """A receiver's ``Retry-After`` (delay-seconds or an HTTP date) as seconds from ``now``
    (epoch seconds); None when absent or unreadable."""
    if not header:
        return None
    value = header.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        return None
    return max(0.0, moment.timestamp() - now)


def encode_event(event: dict) -> bytes:
    """The structured-mode body: the CloudEvent as compact UTF-8 JSON."""
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def tls_context(ca_bundle: str | None = None, client_cert: str | None = None) -> ssl.SSLContext:
    """A verifying client context: default roots (and certifi's), plus ``ca_bundle`` PEM text,
    plus an optional client certificate+key PEM for mTLS."""
    ctx = ssl.create_default_context()
    try:
        ctx.load_verify_locations(cafile=requests.certs.where())
    except (OSError, ssl.SSLError):  # pragma: no cover - certifi missing: system roots only
        pass
    if ca_bundle:
        ctx.load_verify_locations(cadata=ca_bundle)
    if client_cert:
        # ssl only loads a key from a file: a private 0600 file that lives for one call.
        fd, path = tempfile.mkstemp(prefix="ketenhub-mtls-", suffix=".pem")
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(client_cert)
            ctx.load_cert_chain(path)
        finally:
            os.unlink(path)
    ctx.check_hostname = True
    ctx.verify_mode = ssl.CERT_REQUIRED
    return ctx


def _pinned_pool(base: type[HTTPConnectionPool], guard: NetGuard) -> type[HTTPConnectionPool]:
    """A pool class whose every new connection goes to the address ``guard`` checked."""

    class PinnedPool(base):  # type: ignore[valid-type, misc]
        def _new_conn(self) -> Any:
            conn = super()._new_conn()
            # urllib3 connects to ``_dns_host``; ``host`` stays the name (SNI, certificate).
            conn._dns_host = guard.pinned_address(self.host, self.port or self.scheme_port)
            return conn

    PinnedPool.scheme_port = 443 if base is HTTPSConnectionPool else 80  # type: ignore[attr-defined]
    return PinnedPool


class _PinnedAdapter(HTTPAdapter):
    """An adapter whose direct connections go only to addresses the guard allows."""

    def __init__(self, guard: NetGuard) -> None:
        self._guard = guard
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _pinned_pool(HTTPConnectionPool, self._guard),
            "https": _pinned_pool(HTTPSConnectionPool, self._guard)}


class _ContextAdapter(_PinnedAdapter):
    """An adapter whose pools use one fixed, verifying SSL context (the CA bundle in memory)."""

    def __init__(self, ctx: ssl.SSLContext, guard: NetGuard) -> None:
        self._ctx = ctx
        super().__init__(guard)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ssl_context"] = self._ctx
        super().init_poolmanager(*args, **kwargs)

    def proxy_manager_for(self, proxy: str, **kwargs: Any) -> Any:
        kwargs["ssl_context"] = self._ctx
        return super().proxy_manager_for(proxy, **kwargs)

    def cert_verify(self, conn: Any, url: str, verify: Any, cert: Any) -> None:
        # Trust comes from the context alone; verification can not be switched off.
        conn.cert_reqs = "CERT_REQUIRED"


def webhook_url_problem(url: str) -> str | None:
    """The rule a webhook URL breaks, or None: https anywhere, plain http only to loopback, no
    credentials in the URL (the request is signed instead)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return "url.invalid"
    scheme = parts.scheme.lower()
    if scheme not in {"https", "http"} or not host:
        return "url.invalid" if not host and scheme in {"https", "http"} else "url.scheme"
    if parts.username is not None or parts.password is not None:
        return "url.credentials"
    if scheme == "http" and not is_loopback_host(host):
        return "url.https_required"
    return None


class WebhookConnector(Connector):
    """``WebhookConnector(proxy=None, user_agent=USER_AGENT, clock=time.time, guard=NetGuard())``.

    ``proxy`` is an explicit egress proxy URL for https (the environment's proxy variables and
    ``.netrc`` are ignored). ``guard`` decides which addresses may be connected to (by
    default public ones only). Sessions (connection pools) are kept per thread and per TLS
    material, so the connector may be shared by delivery worker threads.
    """

    alias = "webhook"
    signs = True
    config_summary = "{url, timeout_s?, ca_bundle?, client_cert?}"

    @classmethod
    def validate_config(cls, config: dict) -> tuple[dict, dict]:
        errors = ConfigErrors()
        unknown_fields(config, {"url", "timeout_s", "ca_bundle", "client_cert"}, errors)
        public: dict = {}
        secret: dict = {}
        url = string_field(config, "url", errors, required=True, max_len=MAX_URL)
        if url is not None:
            rule = webhook_url_problem(url)
            if rule:
                errors.add("/config/url", rule)
            else:
                public["url"] = url
        public["timeout_s"] = timeout_field(config, errors)
        ca_bundle = ca_bundle_field(config, errors)
        if ca_bundle is not None:
            public["ca_bundle"] = ca_bundle
        client = client_cert_field(config, errors)
        if client is not None:
            public["client_cert"], secret["client_cert"] = client
        errors.raise_if_any()
        return public, secret

    @classmethod
    def check_destination(cls, public_config: dict, secret_config: dict, guard: NetGuard) -> None:
        guard.check_url(public_config["url"])

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> WebhookConnector:
        """``allow_loopback_endpoints``: whether loopback destinations are allowed."""
        return cls(guard=NetGuard(allow_loopback=bool(settings.get("allow_loopback_endpoints"))))

    def __init__(self, *, proxy: str | None = None, user_agent: str = USER_AGENT,
                 clock: Any = time.time, guard: NetGuard | None = None) -> None:
        self._proxy = proxy
        self._guard = guard or NetGuard()
        self._user_agent = user_agent
        self._clock = clock
        self._local = threading.local()
        self._lock = threading.Lock()
        self._sessions: list[requests.Session] = []
        self._contexts: dict[str, ssl.SSLContext] = {}

    # -- sessions ---------------------------------------------------------------------------
    def _context(self, ca_bundle: str | None, client_cert: str | None) -> tuple[str, ssl.SSLContext]:
        key = hashlib.sha256(f"{ca_bundle or ''}\0{client_cert or ''}".encode()).hexdigest()
        with self._lock:
            ctx = self._contexts.get(key)
        if ctx is None:
            try:
                ctx = tls_context(ca_bundle, client_cert)
            except (ssl.SSLError, ValueError, OSError):
                raise PermanentDeliveryError("connector.tls_config") from None
            with self._lock:
                ctx = self._contexts.setdefault(key, ctx)
        return key, ctx

    def _session(self, ca_bundle: str | None, client_cert: str | None) -> requests.Session:
        key, ctx = self._context(ca_bundle, client_cert)
        sessions: dict[str, requests.Session] = getattr(self._local, "sessions", None) or {}
        self._local.sessions = sessions
        session = sessions.get(key)
        if session is None:
            session = requests.Session()
            session.trust_env = False
            session.mount("https://", _ContextAdapter(ctx, self._guard))
            session.mount("http://", _PinnedAdapter(self._guard))
            if self._proxy:
                session.proxies = {"https": self._proxy}
            sessions[key] = session
            with self._lock:
                self._sessions.append(session)
        return session

    def close(self) -> None:
        with self._lock:
            sessions, self._sessions = self._sessions, []
            self._contexts.clear()
        for session in sessions:
            session.close()
        self._local = threading.local()

    # -- sending ----------------------------------------------------------------------------
    def _send(self, request: DeliveryRequest) -> int | None:
        config = request.endpoint_config
        url = config.get("url")
        if not isinstance(url, str) or webhook_url_problem(url) is not None:
            raise PermanentDeliveryError("connector.insecure_url")
        if request.event is None:
            raise PermanentDeliveryError("connector.no_payload")
        if not request.secrets:
            raise PermanentDeliveryError("connector.missing_secret")
        timeout = float(config.get("timeout_s") or DEFAULT_TIMEOUT_S)
        body = encode_event(request.event)
        try:
            headers = webhook_headers(request.secrets, request.delivery_id, int(self._clock()), body)
        except ValueError:
            raise PermanentDeliveryError("connector.invalid_secret") from None
        headers.update({"Content-Type": CONTENT_TYPE, "User-Agent": self._user_agent})
        session = self._session(config.get("ca_bundle"), request.secret_config.get("client_cert"))
        try:
            response = session.post(url, data=body, headers=headers, timeout=(timeout, timeout),
                                    allow_redirects=False, stream=True)
        except AddressRefused as exc:
            log.info("webhook destination refused", extra={"rule": exc.code,
                                                           "endpoint_id": request.endpoint_id})
            raise PermanentDeliveryError("connector.address_refused") from None
        except requests.exceptions.SSLError:
            raise RetryableDeliveryError("connector.tls") from None
        except requests.exceptions.Timeout:
            raise RetryableDeliveryError("connector.timeout") from None
        except requests.exceptions.ConnectionError:
            raise RetryableDeliveryError("connector.connection") from None
        except requests.exceptions.RequestException:
            raise RetryableDeliveryError("connector.http_error") from None
        status = response.status_code
        retry_after = retry_after_seconds(response.headers.get("Retry-After"), self._clock())
        response.close()  # the body is not read: only the status counts
        return self._classify(status, retry_after)

    @staticmethod
    def _classify(status: int, retry_after_s: float | None = None) -> int:
        if 200 <= status < 300:
            return status
        if status == 410:
            raise EndpointGone(response_status=status)
        if status >= 500 or status in RETRYABLE_4XX:
            raise RetryableDeliveryError("connector.server_error" if status >= 500
                                         else "connector.throttled", status,
                                         retry_after_s=retry_after_s)
        if 300 <= status < 400:
            raise PermanentDeliveryError("connector.redirect", status)
        if 400 <= status < 500:
            raise PermanentDeliveryError("connector.rejected", status)
        raise RetryableDeliveryError("connector.unexpected_status", status)
