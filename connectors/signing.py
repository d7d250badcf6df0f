"""Standard Webhooks signing (https://www.standardwebhooks.com): ``v1`` is HMAC-SHA256 over
``{webhook-id}.{webhook-timestamp}.{body}`` with the endpoint's ``whsec_`` secret (base64 key).

During a secret rotation the hub signs with every secret still valid and sends the signatures
space-separated in one ``webhook-signature`` header; a receiver accepts any one that matches.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets as _secrets
from collections.abc import Iterable

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32


def new_webhook_secret() -> str:
    """A fresh signing secret: ``whsec_`` + base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(_secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def secret_key(secret: str) -> bytes:
    """The HMAC key inside a ``whsec_`` secret. Raises ValueError (without the secret) if it is
    not one."""
    if not isinstance(secret, str) or not secret.startswith(SECRET_PREFIX):
        raise ValueError("not a signing secret")
    encoded = secret[len(SECRET_PREFIX):]
    try:
        key = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("not a signing secret") from None
    if len(key) < 16:
        raise ValueError("signing secret too short")
    return key


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """One ``v1,<base64 HMAC-SHA256>`` signature of ``msg_id.timestamp.body``."""
    to_sign = f"{msg_id}.{int(timestamp)}.".encode() + body
    digest = hmac.new(secret_key(secret), to_sign, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def signature_header(secrets: Iterable[str], msg_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` value: one signature per valid secret, space-separated, in the
    order given (newest first), duplicates dropped."""
    signatures: list[str] = []
    for secret in secrets:
        signature = sign(secret, msg_id, timestamp, body)
        if signature not in signatures:
            signatures.append(signature)
    if not signatures:
        raise ValueError("no signing secret")
    return " ".join(signatures)


def webhook_headers(secrets: Iterable[str], msg_id: str, timestamp: int,
                    body: bytes) -> dict[str, str]:
    """The three Standard Webhooks headers for one request."""
    return {"webhook-id": msg_id, "webhook-timestamp": str(int(timestamp)),
            "webhook-signature": signature_header(secrets, msg_id, timestamp, body)}
