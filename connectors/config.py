"""Per-connector endpoint configuration: validation, the split into a public and a secret half,
and masking for API output.

``validate_endpoint_config(alias, config)`` returns ``(public_config, secret_config)``. The
public half is stored in clear and handed back as ``DeliveryRequest.endpoint_config``; the
secret half is stored encrypted, handed back decrypted as ``DeliveryRequest.secret_config`` and
never returned by the API. Webhook signing secrets (``whsec_…``) are not part of the config: the
endpoint store makes them with ``new_webhook_secret()`` and rotates them.

Errors name the field and the rule, never the offending value.
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Callable
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from connectors.errors import InvalidEndpointConfig
from connectors.signing import new_webhook_secret

__all__ = ["validate_endpoint_config", "mask_config", "new_webhook_secret", "is_loopback_host",
           "mask_amqp_url", "mask_url", "ALIASES"]

ALIASES = ("webhook", "amqp", "smtp")
DEFAULT_TIMEOUT_S = 10.0
MIN_TIMEOUT_S = 0.5
MAX_TIMEOUT_S = 30.0
MAX_URL = 2048
MAX_PEM = 64 * 1024
MASK = "***"
_EXCHANGE = re.compile(r"^[A-Za-z0-9_.:\-]{0,255}$")
_PRIVATE_KEY = re.compile(rb"-----BEGIN ([A-Z ]*)PRIVATE KEY-----.+?-----END \1PRIVATE KEY-----",
                          re.DOTALL)
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-]{1,64}@"
                    r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)*"
                    r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?$")


def is_loopback_host(host: str | None) -> bool:
    """True for ``localhost``, 127.0.0.0/8 and ::1 — the only hosts plain transport may reach."""
    if not host:
        return False
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _Errors:
    def __init__(self) -> None:
        self.details: list[dict] = []

    def add(self, field: str, rule: str) -> None:
        self.details.append({"field": field, "rule": rule})

    def raise_if_any(self) -> None:
        if self.details:
            raise InvalidEndpointConfig(details=self.details)


def _unknown_fields(config: dict, allowed: set[str], errors: _Errors) -> None:
    for key in sorted(set(config) - allowed, key=str):
        errors.add(f"/config/{key}", "unknown_field")


def _string(config: dict, key: str, errors: _Errors, *, required: bool,
            max_len: int = 255, multiline: bool = False) -> str | None:
    if key not in config or config[key] is None:
        if required:
            errors.add(f"/config/{key}", "required")
        return None
    value = config[key]
    if not isinstance(value, str):
        errors.add(f"/config/{key}", "type.string")
        return None
    if len(value) > max_len:
        errors.add(f"/config/{key}", "max_length")
        return None
    allowed = {"\n", "\r", "\t"} if multiline else set()
    if any((ord(c) < 32 or ord(c) == 127) and c not in allowed for c in value):
        errors.add(f"/config/{key}", "control_characters")
        return None
    return value


def _timeout(config: dict, errors: _Errors) -> float:
    if "timeout_s" not in config or config["timeout_s"] is None:
        return DEFAULT_TIMEOUT_S
    value = config["timeout_s"]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        errors.add("/config/timeout_s", "type.number")
        return DEFAULT_TIMEOUT_S
    if not MIN_TIMEOUT_S <= value <= MAX_TIMEOUT_S:
        errors.add("/config/timeout_s", "range")
        return DEFAULT_TIMEOUT_S
    return float(value)


def _ca_bundle(config: dict, errors: _Errors) -> str | None:
    pem = _string(config, "ca_bundle", errors, required=False, max_len=MAX_PEM, multiline=True)
    if pem is None:
        return None
    from cryptography import x509

    try:
        certs = x509.load_pem_x509_certificates(pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        certs = []
    if not certs:
        errors.add("/config/ca_bundle", "pem.certificate")
        return None
    return pem


def _client_cert(config: dict, errors: _Errors) -> tuple[dict, str] | None:
    pem = _string(config, "client_cert", errors, required=False, max_len=MAX_PEM, multiline=True)
    if pem is None:
        return None
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        PublicFormat,
        load_pem_private_key,
    )

    try:
        data = pem.encode("ascii")
        certs = x509.load_pem_x509_certificates(data)
        block = _PRIVATE_KEY.search(data)
        if block is None:
            raise ValueError("no private key")
        key = load_pem_private_key(block.group(0), password=None)
        if key.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo) != \
                certs[0].public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo):
            raise ValueError("key does not match certificate")
    except (ValueError, TypeError, AttributeError, UnicodeEncodeError):
        errors.add("/config/client_cert", "pem.client_cert")
        return None
    leaf = certs[0]
    summary = {"subject": leaf.subject.rfc4514_string(),
               "not_after": leaf.not_valid_after_utc.isoformat()}
    return summary, pem


def _webhook(config: dict) -> tuple[dict, dict]:
    errors = _Errors()
    _unknown_fields(config, {"url", "timeout_s", "ca_bundle", "client_cert"}, errors)
    public: dict = {}
    secret: dict = {}
    url = _string(config, "url", errors, required=True, max_len=MAX_URL)
    if url is not None:
        rule = webhook_url_problem(url)
        if rule:
            errors.add("/config/url", rule)
        else:
            public["url"] = url
    public["timeout_s"] = _timeout(config, errors)
    ca_bundle = _ca_bundle(config, errors)
    if ca_bundle is not None:
        public["ca_bundle"] = ca_bundle
    client = _client_cert(config, errors)
    if client is not None:
        public["client_cert"], secret["client_cert"] = client
    errors.raise_if_any()
    return public, secret


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


def _amqp(config: dict) -> tuple[dict, dict]:
    errors = _Errors()
    _unknown_fields(config, {"url", "exchange", "routing_key", "timeout_s", "ca_bundle"}, errors)
    public: dict = {}
    secret: dict = {}
    url = _string(config, "url", errors, required=True, max_len=MAX_URL)
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
    exchange = _string(config, "exchange", errors, required=True)
    if exchange is not None:
        if _EXCHANGE.match(exchange) and not exchange.startswith("amq."):
            public["exchange"] = exchange
        else:
            errors.add("/config/exchange", "amqp.exchange")
    routing_key = _string(config, "routing_key", errors, required=True)
    if routing_key is not None:
        if len(routing_key.encode("utf-8")) <= 255:
            public["routing_key"] = routing_key
        else:
            errors.add("/config/routing_key", "max_length")
    public["timeout_s"] = _timeout(config, errors)
    ca_bundle = _ca_bundle(config, errors)
    if ca_bundle is not None:
        public["ca_bundle"] = ca_bundle
    errors.raise_if_any()
    return public, secret


def _smtp(config: dict) -> tuple[dict, dict]:
    errors = _Errors()
    _unknown_fields(config, {"to", "include_payload"}, errors)
    public: dict = {"include_payload": False}
    to = _string(config, "to", errors, required=True, max_len=254)
    if to is not None:
        if _EMAIL.match(to):
            public["to"] = to
        else:
            errors.add("/config/to", "email")
    include = config.get("include_payload", False)
    if include is None:
        include = False
    if not isinstance(include, bool):
        errors.add("/config/include_payload", "type.boolean")
    else:
        public["include_payload"] = include
    errors.raise_if_any()
    return public, {}


_VALIDATORS: dict[str, Callable[[dict], tuple[dict, dict]]] = {
    "webhook": _webhook, "amqp": _amqp, "smtp": _smtp,
}


def validate_endpoint_config(alias: str, config: dict) -> tuple[dict, dict]:
    """Validate ``config`` for the connector ``alias``; return ``(public_config, secret_config)``
    with defaults filled in, or raise ``InvalidEndpointConfig`` listing every broken rule."""
    validator = _VALIDATORS.get(alias)
    if validator is None:
        raise InvalidEndpointConfig(details=[{"field": "/connector", "rule": "connector.unknown"}])
    if not isinstance(config, dict):
        raise InvalidEndpointConfig(details=[{"field": "/config", "rule": "type.object"}])
    return validator(config)


def mask_url(url: str) -> str:
    """A URL fit for output: password and query values replaced by ``***``."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return MASK
    netloc = parts.hostname or ""
    if ":" in netloc:
        netloc = f"[{netloc}]"
    if port is not None:
        netloc = f"{netloc}:{port}"
    if parts.username is not None:
        userinfo = quote(unquote(parts.username), safe="")
        netloc = f"{userinfo}:{MASK}@{netloc}" if parts.password is not None else f"{userinfo}@{netloc}"
    query = urlencode([(k, MASK) for k, _ in parse_qsl(parts.query, keep_blank_values=True)],
                      safe="*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


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


def mask_config(alias: str, public_config: dict) -> dict:
    """The public config as the API shows it: nothing secret, URLs masked (defence in depth —
    the public half should hold no secret in the first place)."""
    shown = {k: v for k, v in public_config.items() if k not in {"password", "secret", "secrets"}}
    if "url" in shown and isinstance(shown["url"], str):
        shown["url"] = mask_amqp_url(shown["url"]) if alias == "amqp" else mask_url(shown["url"])
    return shown
