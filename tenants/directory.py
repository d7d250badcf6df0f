"""A read model of tenants and networks for routing and policy: who is in which convenant,
which meldpunt covers which PC4, which flows are permitted. Cached for a short time."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from tenants.model import Bewaartermijnen, Network, Tenant, TenantKind


@dataclass(frozen=True)
class Snapshot:
    tenants: dict[str, Tenant]
    networks: tuple[Network, ...]
    _by_party: dict[str, tuple[Network, ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, tenants: list[Tenant], networks: list[Network]) -> Snapshot:
        by_party: dict[str, list[Network]] = {}
        for network in networks:
            for party in network.parties:
                by_party.setdefault(party.tenant_id, []).append(network)
        return cls({t.id: t for t in tenants}, tuple(networks),
                   {k: tuple(v) for k, v in by_party.items()})

    def tenant(self, tenant_id: str) -> Tenant | None:
        return self.tenants.get(tenant_id)

    def bewaartermijnen(self, network_id: str | None) -> Bewaartermijnen:
        """The network's retention settings; the defaults for no (or an unknown) network."""
        found = next((n for n in self.networks if n.id == network_id), None)
        return found.bewaartermijnen if found else Bewaartermijnen()

    def zaak_jaren(self, meldpunt: str) -> int:
        """Years a meldpunt's closed zaak is kept: the longest of its networks' settings."""
        return max((n.bewaartermijnen.zaak_jaren for n in self._by_party.get(meldpunt, ())),
                   default=Bewaartermijnen().zaak_jaren)

    def shared_networks(self, a: str, b: str, on: date) -> list[Network]:
        """Networks in force on ``on`` in which both tenants are parties on that day."""
        found = []
        for network in self._by_party.get(a, ()):
            if not network.holds_on(on):
                continue
            parties = {p.tenant_id: p for p in network.parties}
            if a in parties and b in parties and parties[a].holds_on(on) and parties[b].holds_on(on):
                found.append(network)
        return found

    def networks_of(self, tenant_id: str, on: date) -> list[str]:
        """Networks in force on ``on`` in which the tenant is a party that day."""
        return [n.id for n in self._by_party.get(tenant_id, ()) if n.holds_on(on) and any(
            p.tenant_id == tenant_id and p.holds_on(on) for p in n.parties)]

    def meldpunten_for(self, pc4: int, sender: str, on: date) -> list[tuple[str, Network]]:
        """The meldpunten whose area holds ``pc4``, in the networks the sender is party of."""
        found = []
        for network in self._by_party.get(sender, ()):
            if not network.holds_on(on):
                continue
            for area in network.areas:
                if area.contains(pc4):
                    found.append((area.tenant_id, network))
        return found

    def parties_of_kind(self, sender: str, kinds: set[TenantKind], on: date) -> list[str]:
        found: set[str] = set()
        for network in self._by_party.get(sender, ()):
            if not network.holds_on(on):
                continue
            for party in network.parties:
                tenant = self.tenants.get(party.tenant_id)
                if tenant is not None and tenant.kind in kinds and party.holds_on(on):
                    found.add(tenant.id)
        return sorted(found)


class Directory:
    """Hands out snapshots no older than ``ttl`` seconds. Take one snapshot *before* opening a
    transaction and ask it everything: loading one inside a SQLite write transaction would wait
    on that very transaction."""

    def __init__(self, load: Callable[[], Snapshot], ttl: float = 2.0,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._load = load
        self._ttl = ttl
        self._monotonic = monotonic
        self._snapshot: Snapshot | None = None
        self._loaded_at = 0.0
        self._lock = threading.Lock()

    def snapshot(self) -> Snapshot:
        now = self._monotonic()
        snap = self._snapshot
        if snap is None or now - self._loaded_at >= self._ttl:
            with self._lock:
                if self._snapshot is None or self._monotonic() - self._loaded_at >= self._ttl:
                    self._snapshot = self._load()
                    self._loaded_at = self._monotonic()
                snap = self._snapshot
        return snap

    def invalidate(self) -> None:
        with self._lock:
            self._snapshot = None
