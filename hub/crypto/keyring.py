"""The master key and the data keys it wraps. Payloads are sealed with a tenant's data key;
destroying that key (crypto-shredding) makes the tenant's stored payloads unreadable."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import threading
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12
KEY_BYTES = 32


class MasterKey:
    def __init__(self, key: bytes) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError("the master key must be 32 bytes (base64 of 32 random bytes)")
        self._aead = AESGCM(key)
        self._derive_base = hmac.new(key, b"ketenhub-derive", hashlib.sha256).digest()
        #: Identifies which master key wrapped a data key, without revealing it.
        self.key_id = hashlib.sha256(b"ketenhub-master:" + key).hexdigest()[:16]

    def derive(self, label: str) -> bytes:
        """A 32-byte secret for one purpose (e.g. pseudonyms), derived so nothing is stored."""
        return hmac.new(self._derive_base, label.encode(), hashlib.sha256).digest()

    def wrap(self, data_key: bytes, context: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, data_key, context)

    def unwrap(self, wrapped: bytes, context: bytes) -> bytes:
        return self._aead.decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], context)


def load_master_key(value: str, key_file: str, data_dir: Path, embedded: bool) -> MasterKey:
    """From ``KETENHUB_MASTER_KEY`` (base64), else ``KETENHUB_MASTER_KEY_FILE``; the embedded
    default generates ``<data_dir>/master.key`` on first start."""
    if value:
        return MasterKey(base64.b64decode(value))
    path = Path(key_file) if key_file else data_dir / "master.key"
    if not path.exists():
        if key_file or not embedded:
            raise FileNotFoundError(
                "no master key: set KETENHUB_MASTER_KEY or KETENHUB_MASTER_KEY_FILE")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(base64.b64encode(os.urandom(KEY_BYTES)).decode())
    return MasterKey(base64.b64decode(path.read_text().strip()))


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def seal(data_key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(data_key).encrypt(nonce, plaintext, aad)


def open_sealed(data_key: bytes, blob: bytes, aad: bytes) -> bytes:
    return AESGCM(data_key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)


class DataKeyCache:
    """Unwrapped data keys by (tenant, version), so a hot path unwraps each key once."""

    def __init__(self) -> None:
        self._keys: dict[tuple[str, int], bytes] = {}
        self._lock = threading.Lock()

    def get(self, tenant_id: str, version: int) -> bytes | None:
        return self._keys.get((tenant_id, version))

    def put(self, tenant_id: str, version: int, key: bytes) -> None:
        with self._lock:
            self._keys[(tenant_id, version)] = key

    def forget(self, tenant_id: str) -> None:
        with self._lock:
            for k in [k for k in self._keys if k[0] == tenant_id]:
                del self._keys[k]
