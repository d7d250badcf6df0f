"""What every connector's endpoint configuration is built from: field checks that name the
field and the rule (never the value), and URL masking. Each connector validates and masks its
own config with these (``Connector.validate_config`` / ``mask_config``); the registry picks the
connector by alias (``connectors.registry.validate_endpoint_config``).

A connector's validation returns ``(public_config, secret_config)``. The public half is stored
in clear and handed back as ``DeliveryRequest.endpoint_config``; the secret half is stored
encrypted, handed back decrypted as ``DeliveryRequest.secret_config`` and never returned by the
API.
"""

from __future__ import annotations

import ipaddress
import math
import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from connectors.errors import InvalidEndpointConfig

DEFAULT_TIMEOUT_S = 10.0
MIN_TIMEOUT_S = 0.5
MAX_TIMEOUT_S = 30.0
MAX_URL = 2048
MAX_PEM = 64 * 1024
MASK = "***"
_PRIVATE_KEY = re.compile(rb"-----BEGIN ([A-Z ]*)PRIVATE KEY-----.+?-----END \1PRIVATE KEY-----",
                          re.DOTALL)


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


class ConfigErrors:
    """Collects every broken rule of a config, then raises them together."""

    def __init__(self) -> None:
        self.details: list[dict] = []

    def add(self, field: str, rule: str) -> None:
        self.details.append({"field": field, "rule": rule})

    def raise_if_any(self) -> None:
        if self.details:
            raise InvalidEndpointConfig(details=self.details)


def unknown_fields(config: dict, allowed: set[str], errors: ConfigErrors) -> None:
    """Every key outside ``allowed`` is an ``unknown_field``."""
    for key in sorted(set(config) - allowed, key=str):
        errors.add(f"/config/{key}", "unknown_field")


def string_field(config: dict, key: str, errors: ConfigErrors, *, required: bool,
                 max_len: int = 255, multiline: bool = False) -> str | None:
    """The string at ``key``, or None (with the broken rule recorded)."""
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


def timeout_field(config: dict, errors: ConfigErrors) -> float:
    """``timeout_s`` within its range, or the default."""
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


def ca_bundle_field(config: dict, errors: ConfigErrors) -> str | None:
    """``ca_bundle``: PEM text holding at least one certificate."""
    pem = string_field(config, "ca_bundle", errors, required=False, max_len=MAX_PEM, multiline=True)
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


def client_cert_field(config: dict, errors: ConfigErrors) -> tuple[dict, str] | None:
    """``client_cert``: certificate and matching private key (PEM); returns (a public summary,
    the PEM for the secret half)."""
    pem = string_field(config, "client_cert", errors, required=False, max_len=MAX_PEM, multiline=True)
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
