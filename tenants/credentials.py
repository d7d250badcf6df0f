"""API key material: generation, parsing and hashing. Keys are shown once and stored hashed."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

KEY_PREFIX = "kh"
_KEY_ID_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


@dataclass(frozen=True)
class KeyMaterial:
    key_id: str
    plaintext: str

    @property
    def secret_hash(self) -> str:
        return hash_key(self.plaintext)


def generate_key() -> KeyMaterial:
    """A new key ``kh_<id>_<secret>``: the id is public (logs, lists), the secret is 256 bits."""
    key_id = "".join(secrets.choice(_KEY_ID_ALPHABET) for _ in range(12))
    return KeyMaterial(key_id=key_id, plaintext=f"{KEY_PREFIX}_{key_id}_{secrets.token_urlsafe(32)}")


def parse_key_id(plaintext: str) -> str | None:
    """The key id inside a presented key, or None when it is not shaped like one of ours."""
    parts = plaintext.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or len(parts[1]) != 12 or not parts[2]:
        return None
    if any(c not in _KEY_ID_ALPHABET for c in parts[1]):
        return None
    return parts[1]


def hash_key(plaintext: str) -> str:
    """SHA-256 of the key: the secret has 256 bits of entropy, so no slow hash is needed."""
    return hashlib.sha256(plaintext.encode("utf-8")).hexdigest()


def key_matches(plaintext: str, secret_hash: str) -> bool:
    return hmac.compare_digest(hash_key(plaintext), secret_hash)
