"""Key rotation without downtime.

- ``rotate_master``: every tenant data key wrapped by an earlier master key is wrapped again by
  the current one (``KETENHUB_MASTER_KEY``), while every process also knows the previous key
  (``KETENHUB_MASTER_KEY_PREVIOUS``): data keys themselves do not change, so no payload is
  re-encrypted and deliveries go on. The root the hub derives pseudonyms and signing keys from
  is stored wrapped too, so they stay the same under the new master key.
- ``rotate_data``: a new data key version for a tenant's new payloads; the older versions are
  retired but still open what they sealed, until retention shreds it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from cryptography.exceptions import InvalidTag

from hub.crypto.keyring import MasterKey, MasterKeyring
from hub.crypto.vault import PayloadVault
from hub.errors import ResourceNotFound
from hub.ports import HubUnitOfWork

#: The hub secret holding the derivation root (pseudonyms, anchors, web sessions).
DERIVE_BASE = "derive-base"
REWRAP_BATCH = 200


@dataclass(frozen=True)
class MasterRotation:
    master_key_id: str
    rewrapped: int
    unreadable: int


class KeyRotation:
    def __init__(self, *, uow: Callable[[], HubUnitOfWork], vault: PayloadVault,
                 clock: Callable[[], datetime]) -> None:
        self._uow = uow
        self._vault = vault
        self._clock = clock

    def rotate_master(self, actor: str | None = None) -> MasterRotation:
        """Re-wrap every data key (and the derivation root) under the current master key, in
        batches; safe to run again, and from several processes at once."""
        master = self._vault.master
        now = self._clock()
        with self._uow() as uow:
            stored = uow.data_keys.get_secret(DERIVE_BASE)
            if stored is None or stored[1] != master.key_id:
                uow.data_keys.put_secret(DERIVE_BASE, self._vault.wrap_secret(
                    DERIVE_BASE, master.derive_base), master.key_id, now)
            uow.commit()
        rewrapped, unreadable = 0, 0
        skipped: set[tuple[str, int]] = set()
        while True:
            with self._uow() as uow:
                rows = [r for r in uow.data_keys.wrapped_by_other(
                    master.key_id, REWRAP_BATCH + len(skipped)) if (r[0], r[1]) not in skipped]
                for tenant_id, version, wrapped in rows:
                    try:
                        uow.data_keys.rewrap(tenant_id, version,
                                             self._vault.rewrap(tenant_id, version, wrapped),
                                             master.key_id)
                        rewrapped += 1
                    except InvalidTag:  # wrapped by a key this process does not know
                        skipped.add((tenant_id, version))
                        unreadable += 1
                uow.commit()
            if not rows:
                break
        with self._uow() as uow:
            uow.audit.record(action="key.master_rotated", tenant_id=None, actor=actor,
                             subject_id=master.key_id, at=self._clock(),
                             facts={"rewrapped": rewrapped, "unreadable": unreadable})
            uow.commit()
        return MasterRotation(master.key_id, rewrapped, unreadable)

    def rotate_data(self, tenant_id: str, actor: str | None = None) -> int:
        """A new data key for the tenant; returns its version."""
        now = self._clock()
        with self._uow() as uow:
            if uow.tenants.get(tenant_id) is None:
                raise ResourceNotFound()
            version = self._vault.rotate_data(uow.data_keys, tenant_id)
            uow.data_keys.retire_before(tenant_id, version, now)
            uow.audit.record(action="key.data_rotated", tenant_id=tenant_id, actor=actor,
                             subject_id=f"{tenant_id}:{version}", at=now,
                             facts={"version": version})
            uow.commit()
        self._vault.forget(tenant_id)
        return version


def stable_derivation(keyring: MasterKeyring,
                      stored: tuple[bytes, str] | None) -> MasterKey:
    """The keyring deriving from the stored root when a rotation recorded one, else from the
    oldest configured key (the root before any rotation)."""
    if stored is None:
        return keyring.with_derive_base(keyring.original_derive_base)
    return keyring.with_derive_base(keyring.unwrap(
        stored[0], b"ketenhub-secret:" + DERIVE_BASE.encode()))
