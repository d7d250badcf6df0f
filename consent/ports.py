"""Ports: what the consent services need from storage. Adapters live in ``hub.persistence``
(SQL) and ``consent.memory`` (in-memory double for unit tests).

Storage never holds identity fields (names, birth date): only the pseudonym ``client_ref``."""

from __future__ import annotations

import abc
from collections.abc import Sequence

from consent.model import BegeleideWoning, Consent, ConsentStatus
from tenants.model import TenantKind
from tenants.ports import ProcessingLog, UnitOfWork


class ConsentRepository(abc.ABC):
    """Consents as append-only versions; reads return the latest version unless told otherwise."""

    @abc.abstractmethod
    def add_version(self, consent: Consent) -> None:
        """Append ``consent`` as version ``consent.version`` of ``consent.id``. Version 1 creates
        the consent; version n+1 requires version n to be the latest. Raises
        ``consent.errors.ConsentConflict`` when that version already exists (a concurrent
        change): the adapter's unique key is (id, version)."""

    @abc.abstractmethod
    def latest(self, consent_id: str) -> Consent | None: ...

    @abc.abstractmethod
    def versions(self, consent_id: str) -> Sequence[Consent]:
        """Every version, oldest first; empty when unknown."""

    @abc.abstractmethod
    def list(self, *, after: str | None, limit: int, client_ref: str | None = None,
             status: ConsentStatus | None = None,
             visible_to: tuple[str, TenantKind | None] | None = None) -> Sequence[Consent]:
        """Latest versions ordered by id with id > ``after``.

        ``status`` filters on the recorded status of the latest version. ``visible_to``
        (tenant id, kind) keeps consents the tenant controls or that have a provision (of either
        effect) naming the tenant or its kind. That is a superset of what the tenant may see: the
        service refines it (deny provisions, network membership)."""

    @abc.abstractmethod
    def for_client(self, client_ref: str, network_id: str) -> Sequence[Consent]:
        """Latest versions of every consent of the client in the network, any status."""


class BegeleideWoningRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, woning: BegeleideWoning) -> None: ...

    @abc.abstractmethod
    def get(self, woning_id: str) -> BegeleideWoning | None: ...

    @abc.abstractmethod
    def update(self, woning: BegeleideWoning) -> None:
        """Store the contractvorm, omklap_datum and einde_datum of an existing woning."""

    @abc.abstractmethod
    def find_by_address(self, address_key: str, *,
                        network_id: str | None = None) -> Sequence[BegeleideWoning]:
        """Woningen whose ``address_key()`` equals ``address_key`` (see
        ``consent.model.address_key``; adapters store it in an indexed column), ordered by id."""

    def find_by_addresses(self, address_keys: Sequence[str]) -> dict[str, list[BegeleideWoning]]:
        """``find_by_address`` for several keys at once; keys without woningen are left out.
        Adapters answer it with one query."""
        found = {key: list(self.find_by_address(key)) for key in address_keys}
        return {key: woningen for key, woningen in found.items() if woningen}

    def for_clients(self, client_refs: Sequence[str]) -> list[BegeleideWoning]:
        """Woningen of these clients (internal refs), for an inzage. Adapters answer it with
        one query."""
        wanted, out, after = set(client_refs), [], None
        while True:
            page = list(self.list(after=after, limit=500))
            out += [w for w in page if w.client_ref in wanted]
            if len(page) < 500:
                return out
            after = page[-1].id

    @abc.abstractmethod
    def list(self, *, after: str | None, limit: int,
             zorgaanbieder: str | None = None) -> Sequence[BegeleideWoning]:
        """Woningen ordered by id with id > ``after``; ``zorgaanbieder`` restricts to one."""


class ConsentUnitOfWork(UnitOfWork):
    """One transaction over the consent repositories."""

    consents: ConsentRepository
    woningen: BegeleideWoningRepository
    audit: ProcessingLog
