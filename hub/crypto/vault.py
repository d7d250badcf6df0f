"""Sealing and opening payloads. A message payload is sealed with a data key of its own
(crypto-shredding destroys one message), wrapped by the sending tenant's data key, which the
master key wraps in turn. Other stored secrets (endpoint secrets, regiecheck persons) are
sealed with the tenant's data key directly."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from hub.crypto.keyring import DataKeyCache, MasterKey, new_data_key, open_sealed, seal


class PayloadShredded(LookupError):
    """Raised when a payload is opened whose data key was destroyed (crypto-shredded)."""


class DataKeyStore(Protocol):
    def current(self, tenant_id: str) -> tuple[int, bytes] | None: ...

    def get(self, tenant_id: str, version: int) -> bytes | None: ...

    def add(self, tenant_id: str, version: int, wrapped: bytes, master_key_id: str,
            at: datetime) -> None: ...


def _context(tenant_id: str, version: int) -> bytes:
    return f"ketenhub-dek:{tenant_id}:{version}".encode()


def _message_key_context(tenant_id: str, aad: bytes) -> bytes:
    return b"ketenhub-mk:" + tenant_id.encode() + b":" + aad


@dataclass(frozen=True)
class SealedMessage:
    """A payload sealed under its own key: the tenant key version that wraps that key, the
    wrapped key (stored in ``message_keys``) and the ciphertext."""

    key_version: int
    wrapped_key: bytes
    blob: bytes


class PayloadVault:
    def __init__(self, master: MasterKey, clock: Callable[[], datetime],
                 current_ttl_s: float = 60.0) -> None:
        self._master = master
        self._clock = clock
        self._cache = DataKeyCache()
        #: The current data key version per tenant, once seen committed in the database, with
        #: when it was read: after ``current_ttl_s`` it is read again, so a ``rotate-data`` in
        #: another process is picked up without a restart.
        self._current: dict[str, tuple[int, float]] = {}
        self._ttl = current_ttl_s

    @property
    def master(self) -> MasterKey:
        return self._master

    def _tenant_key(self, store: DataKeyStore, tenant_id: str) -> tuple[int, bytes, bool]:
        """(version, key, committed) of the tenant's current data key; a first key is created
        in the caller's transaction (so a rolled-back message leaves no key behind)."""
        cached = self._current.get(tenant_id)
        if cached is not None and time.monotonic() - cached[1] < self._ttl:
            key = self._cache.get(tenant_id, cached[0])
            if key is not None:
                return cached[0], key, True
        current = store.current(tenant_id)
        if current is None:
            # A new key is only cached as current once it has been read back committed.
            version, key = 1, new_data_key()
            store.add(tenant_id, version, self._master.wrap(key, _context(tenant_id, version)),
                      self._master.key_id, self._clock())
            return version, key, False
        version = current[0]
        key = self._cache.get(tenant_id, version) or self._master.unwrap(
            current[1], _context(tenant_id, version))
        self._cache.put(tenant_id, version, key)
        self._current[tenant_id] = (version, time.monotonic())
        return version, key, True

    def seal(self, store: DataKeyStore, tenant_id: str, plaintext: bytes,
             aad: bytes) -> tuple[int, bytes]:
        """Encrypt with the tenant's current data key."""
        version, key, _ = self._tenant_key(store, tenant_id)
        return version, seal(key, plaintext, aad)

    def seal_message(self, store: DataKeyStore, tenant_id: str, plaintext: bytes,
                     aad: bytes) -> SealedMessage:
        """Encrypt under a new key of its own, wrapped by the tenant's current data key: no
        query beyond the tenant key's (cached), the wrapped key is stored with the message."""
        version, tenant_key, _ = self._tenant_key(store, tenant_id)
        message_key = new_data_key()
        return SealedMessage(version, seal(tenant_key, message_key,
                                           _message_key_context(tenant_id, aad)),
                             seal(message_key, plaintext, aad))

    def forget(self, tenant_id: str) -> None:
        """Drop cached keys of a tenant (after rotation or crypto-shredding)."""
        self._current.pop(tenant_id, None)
        self._cache.forget(tenant_id)

    def _key(self, store: DataKeyStore, tenant_id: str, version: int) -> bytes:
        key = self._cache.get(tenant_id, version)
        if key is None:
            wrapped = store.get(tenant_id, version)
            if wrapped is None:
                raise LookupError("the data key of this payload no longer exists")
            key = self._master.unwrap(wrapped, _context(tenant_id, version))
            self._cache.put(tenant_id, version, key)
        return key

    def open(self, store: DataKeyStore, tenant_id: str, version: int, blob: bytes,
             aad: bytes) -> bytes:
        return open_sealed(self._key(store, tenant_id, version), blob, aad)

    def open_message(self, store: DataKeyStore, tenant_id: str, version: int,
                     wrapped_key: bytes | None, blob: bytes, aad: bytes) -> bytes:
        """A message payload: through its own key, or (stored before message keys existed)
        the tenant's key directly. Raises ``PayloadShredded`` when its key was destroyed."""
        if not blob:
            raise PayloadShredded("the data key of this message was destroyed")
        if wrapped_key is None:
            return self.open(store, tenant_id, version, blob, aad)
        message_key = open_sealed(self._key(store, tenant_id, version), wrapped_key,
                                  _message_key_context(tenant_id, aad))
        return open_sealed(message_key, blob, aad)

    def rotate_data(self, store: DataKeyStore, tenant_id: str) -> int:
        """A new data key for the tenant's new payloads (the caller retires the older ones in
        the same transaction); old payloads keep opening with their version."""
        current = store.current(tenant_id)
        version = (current[0] if current else 0) + 1
        store.add(tenant_id, version, self._master.wrap(new_data_key(),
                                                        _context(tenant_id, version)),
                  self._master.key_id, self._clock())
        self.forget(tenant_id)
        return version

    def rewrap(self, tenant_id: str, version: int, wrapped: bytes) -> bytes:
        """A tenant data key wrapped by an earlier master key, wrapped again by the current."""
        context = _context(tenant_id, version)
        return self._master.wrap(self._master.unwrap(wrapped, context), context)

    def wrap_secret(self, name: str, secret: bytes) -> bytes:
        return self._master.wrap(secret, b"ketenhub-secret:" + name.encode())
