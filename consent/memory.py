"""In-memory double of the consent storage port, for unit tests. Commit copies, rollback drops."""

from __future__ import annotations

from collections.abc import Sequence

from consent.errors import ConsentConflict
from consent.model import BegeleideWoning, Consent, ConsentStatus
from consent.ports import BegeleideWoningRepository, ConsentRepository, ConsentUnitOfWork
from tenants.memory import MemoryProcessingLog
from tenants.model import TenantKind


class MemoryConsentStore:
    """The 'database': committed state shared by units of work."""

    def __init__(self) -> None:
        self.consents: dict[str, list[Consent]] = {}
        self.woningen: dict[str, BegeleideWoning] = {}
        #: The processing log's entries (dicts), oldest first.
        self.audit: list[dict] = []


class _Consents(ConsentRepository):
    def __init__(self, rows: dict[str, list[Consent]]) -> None:
        self.rows = rows

    def add_version(self, consent: Consent) -> None:
        versions = self.rows.get(consent.id, [])
        if consent.version != len(versions) + 1:
            raise ConsentConflict()
        self.rows[consent.id] = [*versions, consent]

    def latest(self, consent_id: str) -> Consent | None:
        versions = self.rows.get(consent_id)
        return versions[-1] if versions else None

    def versions(self, consent_id: str) -> Sequence[Consent]:
        return list(self.rows.get(consent_id, []))

    def list(self, *, after: str | None, limit: int, client_ref: str | None = None,
             status: ConsentStatus | None = None,
             visible_to: tuple[str, TenantKind | None] | None = None) -> Sequence[Consent]:
        def keep(c: Consent) -> bool:
            if client_ref is not None and c.client_ref != client_ref:
                return False
            if status is not None and c.status is not status:
                return False
            if visible_to is not None:
                tenant_id, kind = visible_to
                return c.controller == tenant_id or c.applies_to(tenant_id, kind)
            return True

        rows = sorted((v[-1] for v in self.rows.values() if keep(v[-1])), key=lambda c: c.id)
        return [c for c in rows if after is None or c.id > after][:limit]

    def for_client(self, client_ref: str, network_id: str) -> Sequence[Consent]:
        return sorted((v[-1] for v in self.rows.values()
                       if v[-1].client_ref == client_ref and v[-1].network_id == network_id),
                      key=lambda c: c.id)


class _Woningen(BegeleideWoningRepository):
    def __init__(self, rows: dict[str, BegeleideWoning]) -> None:
        self.rows = rows

    def add(self, woning: BegeleideWoning) -> None:
        if woning.id in self.rows:
            raise ConsentConflict()
        self.rows[woning.id] = woning

    def get(self, woning_id: str) -> BegeleideWoning | None:
        return self.rows.get(woning_id)

    def update(self, woning: BegeleideWoning) -> None:
        self.rows[woning.id] = woning

    def find_by_address(self, address_key: str, *,
                        network_id: str | None = None) -> Sequence[BegeleideWoning]:
        return sorted((w for w in self.rows.values() if w.address_key() == address_key
                       and (network_id is None or w.network_id == network_id)),
                      key=lambda w: w.id)

    def list(self, *, after: str | None, limit: int,
             zorgaanbieder: str | None = None) -> Sequence[BegeleideWoning]:
        rows = sorted((w for w in self.rows.values()
                       if zorgaanbieder is None or w.zorgaanbieder == zorgaanbieder),
                      key=lambda w: w.id)
        return [w for w in rows if after is None or w.id > after][:limit]


class MemoryConsentUnitOfWork(ConsentUnitOfWork):
    """Works on a copy of the store; ``commit`` publishes the copy, anything else discards it."""

    def __init__(self, store: MemoryConsentStore) -> None:
        self._store = store
        self._stage()
        self.commits = 0

    def _stage(self) -> None:
        self._consents = {k: list(v) for k, v in self._store.consents.items()}
        self._woningen = dict(self._store.woningen)
        self.consents = _Consents(self._consents)
        self.woningen = _Woningen(self._woningen)
        self._audit_entries = list(self._store.audit)
        self.audit = MemoryProcessingLog(self._audit_entries)

    def __enter__(self) -> MemoryConsentUnitOfWork:
        self._stage()
        return self

    def commit(self) -> None:
        self._store.consents = {k: list(v) for k, v in self._consents.items()}
        self._store.woningen = dict(self._woningen)
        self._store.audit = list(self._audit_entries)
        self.commits += 1

    def rollback(self) -> None:
        self._stage()
