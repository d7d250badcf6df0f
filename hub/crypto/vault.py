"""Sealing and opening message payloads with the sending tenant's data key."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from hub.crypto.keyring import DataKeyCache, MasterKey, new_data_key, open_sealed, seal


class DataKeyStore(Protocol):
    def current(self, tenant_id: str) -> tuple[int, bytes] | None: ...

    def get(self, tenant_id: str, version: int) -> bytes | None: ...

    def add(self, tenant_id: str, version: int, wrapped: bytes, master_key_id: str,
            at: datetime) -> None: ...


def _context(tenant_id: str, version: int) -> bytes:
    return f"ketenhub-dek:{tenant_id}:{version}".encode()


class PayloadVault:
    def __init__(self, master: MasterKey, clock: Callable[[], datetime]) -> None:
        self._master = master
        self._clock = clock
        self._cache = DataKeyCache()
        #: The current data key version per tenant, once seen committed in the database.
        self._current: dict[str, int] = {}

    def seal(self, store: DataKeyStore, tenant_id: str, plaintext: bytes,
             aad: bytes) -> tuple[int, bytes]:
        """Encrypt with the tenant's current data key, creating the first one when needed
        (in the caller's transaction, so a rolled-back message leaves no key behind)."""
        version = self._current.get(tenant_id)
        key = self._cache.get(tenant_id, version) if version is not None else None
        if key is None:
            current = store.current(tenant_id)
            if current is None:
                # A new key is only cached as current once it has been read back committed.
                version, key = 1, new_data_key()
                store.add(tenant_id, version, self._master.wrap(key, _context(tenant_id, version)),
                          self._master.key_id, self._clock())
                return version, seal(key, plaintext, aad)
            version = current[0]
            key = self._master.unwrap(current[1], _context(tenant_id, version))
            self._cache.put(tenant_id, version, key)
            self._current[tenant_id] = version
        return version, seal(key, plaintext, aad)

    def forget(self, tenant_id: str) -> None:
        """Drop cached keys of a tenant (after rotation or crypto-shredding)."""
        self._current.pop(tenant_id, None)
        self._cache.forget(tenant_id)

    def open(self, store: DataKeyStore, tenant_id: str, version: int, blob: bytes,
             aad: bytes) -> bytes:
        key = self._cache.get(tenant_id, version)
        if key is None:
            wrapped = store.get(tenant_id, version)
            if wrapped is None:
                raise LookupError("the data key of this payload no longer exists")
            key = self._master.unwrap(wrapped, _context(tenant_id, version))
            self._cache.put(tenant_id, version, key)
        return open_sealed(key, blob, aad)
