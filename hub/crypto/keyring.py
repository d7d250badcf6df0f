"""The master key and the data keys it wraps. Payloads are sealed with a tenant's data key;
destroying that key (crypto-shredding) makes the tenant's stored payloads unreadable."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import threading
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12
KEY_BYTES = 32


class MasterKey:
    def __init__(self, key: bytes, derive_base: bytes | None = None) -> None:
        if len(key) != KEY_BYTES:
            raise ValueError("the master key must be 32 bytes (base64 of 32 random bytes)")
        self._key = key
        self._aead = AESGCM(key)
        #: The root of every derived secret (pseudonyms, anchors, web sessions). It comes from
        #: the first master key and survives rotations (stored wrapped in ``hub_secrets``).
        self._derive_base = derive_base or hmac.new(key, b"ketenhub-derive",
                                                    hashlib.sha256).digest()
        #: Identifies which master key wrapped a data key, without revealing it.
        self.key_id = hashlib.sha256(b"ketenhub-master:" + key).hexdigest()[:16]

    @property
    def derive_base(self) -> bytes:
        return self._derive_base

    def with_derive_base(self, derive_base: bytes) -> MasterKey:
        """This key, deriving its secrets from ``derive_base`` (an earlier key's)."""
        return MasterKey(self._key, derive_base)

    def derive(self, label: str) -> bytes:
        """A 32-byte secret for one purpose (e.g. pseudonyms), derived so nothing is stored."""
        return hmac.new(self._derive_base, label.encode(), hashlib.sha256).digest()

    def wrap(self, data_key: bytes, context: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, data_key, context)

    def unwrap(self, wrapped: bytes, context: bytes) -> bytes:
        return self._aead.decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], context)


class MasterKeyring(MasterKey):
    """The master key in use plus the previous ones during a rotation: wraps with the current
    key, unwraps with whichever key wrapped (so data keys re-wrapped or not both open)."""

    def __init__(self, current: MasterKey, previous: tuple[MasterKey, ...] = ()) -> None:
        super().__init__(current._key, current.derive_base)
        self.previous = previous

    def unwrap(self, wrapped: bytes, context: bytes) -> bytes:
        try:
            return super().unwrap(wrapped, context)
        except InvalidTag:
            for key in self.previous:
                try:
                    return key.unwrap(wrapped, context)
                except InvalidTag:
                    continue
            raise

    def with_derive_base(self, derive_base: bytes) -> MasterKeyring:
        return MasterKeyring(MasterKey(self._key, derive_base), self.previous)

    @property
    def original_derive_base(self) -> bytes:
        """Before any rotation was recorded: the oldest configured key's derivation root."""
        return self.previous[-1].derive_base if self.previous else self.derive_base


def load_keyring(value: str, key_file: str, previous_value: str, previous_file: str,
                 data_dir: Path, embedded: bool) -> MasterKeyring:
    """The current master key (``load_master_key``) and, during a rotation, the previous one
    from ``KETENHUB_MASTER_KEY_PREVIOUS`` (base64) or ``KETENHUB_MASTER_KEY_PREVIOUS_FILE``."""
    current = load_master_key(value, key_file, data_dir, embedded)
    previous: tuple[MasterKey, ...] = ()
    if previous_value:
        previous = (MasterKey(base64.b64decode(previous_value)),)
    elif previous_file:
        previous = (MasterKey(base64.b64decode(Path(previous_file).read_text().strip())),)
    return MasterKeyring(current, tuple(p for p in previous if p.key_id != current.key_id))


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

    def forget_all(self) -> None:
        with self._lock:
            self._keys.clear()

    def forget(self, tenant_id: str) -> None:
        with self._lock:
            for k in [k for k in self._keys if k[0] == tenant_id]:
                del self._keys[k]
