"""Networks (convenanten): parties, areas, the standard regiecheck list and permitted flows."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace
from datetime import date

from tenants.clock import Clock, utcnow
from tenants.errors import Conflict, InvalidInput, NotFound, StaleVersion
from tenants.model import (
    DEFAULT_REGIECHECK_TERMIJN,
    DEFAULT_TERMIJNEN,
    Area,
    Bewaartermijnen,
    Flow,
    Network,
    Party,
    Principal,
    RegiecheckPartner,
    TermijnRegel,
    Toewijzingsadvies,
)
from tenants.pagination import Page, paginate
from tenants.ports import TenantsUnitOfWork
from tenants.services._common import UowFactory, require_hub_admin
from tenants.services.network_rules import check_network
from tenants.verwerkingen import Verwerking


@dataclass(frozen=True)
class NetworkSpec:
    """What an admin submits to create or replace a network."""

    id: str
    name: str
    valid_from: date | None = None
    valid_until: date | None = None
    parties: tuple[Party, ...] = ()
    areas: tuple[Area, ...] = ()
    regiecheck_partners: tuple[RegiecheckPartner, ...] = ()
    flows: tuple[Flow, ...] = ()
    regiecheck_termijn_werkdagen: int = DEFAULT_REGIECHECK_TERMIJN
    #: None: the seeds' default terms (``DEFAULT_TERMIJNEN``); an empty tuple sets none.
    termijnen: tuple[TermijnRegel, ...] | None = None
    closing_days: tuple[date, ...] = ()
    bevrijdingsdag: str = "lustrum"
    toewijzingsadvies: tuple[Toewijzingsadvies, ...] = ()
    bewaartermijnen: Bewaartermijnen = Bewaartermijnen()
    #: Its own verwerkingsregister; empty: the hub's defaults (``DEFAULT_VERWERKINGSREGISTER``).
    verwerkingsregister: tuple[Verwerking, ...] = ()


class NetworkService:
    def __init__(self, uow: UowFactory, clock: Clock = utcnow,
                 screen: Callable[[object], None] = lambda value: None,
                 on_change: Callable[[], None] = lambda: None) -> None:
        self._uow = uow
        self._clock = clock
        #: Raises when a label holds a BSN or medical data (wired to the privacy guard).
        self._screen = screen
        #: Told after every committed change, so cached read models refresh at once.
        self._on_change = on_change

    def create(self, principal: Principal, spec: NetworkSpec) -> Network:
        require_hub_admin(principal)
        with self._uow() as uow:
            if uow.networks.get(spec.id) is not None:
                raise Conflict("Er bestaat al een netwerk met dit id.",
                               [{"field": "/id", "rule": "conflict"}])
            network = self._build(uow, spec)
            uow.networks.add(network)
            uow.audit.record(action="network.created", tenant_id=None, actor=principal.key_id,
                             subject_id=network.id, facts=_network_facts(network),
                             at=network.created_at)
            uow.commit()
            self._on_change()
        return network

    def check_may_replace(self, principal: Principal, network_id: str) -> None:
        """Raise as ``replace`` would for who asks (404 unseen, 403 not a hub admin), before
        anything of a new definition is read: authorisation comes before validation."""
        with self._uow() as uow:
            current = uow.networks.get(network_id)
        if current is None or not _visible(principal, current):
            raise NotFound()
        require_hub_admin(principal)

    def replace(self, principal: Principal, spec: NetworkSpec,
                if_version: str | None = None) -> Network:
        """Replace the definition as a whole. With ``if_version`` (the version the editor
        read), a network changed since answers ``StaleVersion`` and nothing is stored."""
        with self._uow() as uow:
            current = self._editable(uow, principal, spec.id, if_version)
            network = self._build(uow, spec, created_at=current.created_at)
            return self._store(uow, principal, network, "network.changed",
                               _network_facts(network))

    def add_party(self, principal: Principal, network_id: str, party: Party,
                  if_version: str | None = None) -> Network:
        """Onboard one party; the rest of the convenant stays as it is."""
        with self._uow() as uow:
            current = self._editable(uow, principal, network_id, if_version)
            if party.tenant_id in current.party_ids():
                raise Conflict("Deze organisatie is al partij in dit netwerk.",
                               [{"field": "/tenant_id", "rule": "conflict"}])
            spec = replace(spec_of(current), parties=(*current.parties, party))
            network = self._build(uow, spec, created_at=current.created_at)
            return self._store(uow, principal, network, "network.party_added",
                               _party_facts(party))

    def remove_party(self, principal: Principal, network_id: str, tenant_id: str,
                     if_version: str | None = None) -> Network:
        """Take one party out, with its places on the regiecheck list and in the
        toewijzingsadvies. A party that still holds an area (or is its
        veiligheidscoördinator) is refused: its area needs another meldpunt first."""
        with self._uow() as uow:
            current = self._editable(uow, principal, network_id, if_version)
            party = next((p for p in current.parties if p.tenant_id == tenant_id), None)
            if party is None:
                raise NotFound()
            if any(tenant_id in (a.tenant_id, a.veiligheidscoordinator) for a in current.areas):
                raise Conflict("Deze partij heeft nog een gebied in dit netwerk.",
                               [{"field": "/areas", "rule": "conflict.party_has_area"}])
            spec = replace(
                spec_of(current),
                parties=tuple(p for p in current.parties if p.tenant_id != tenant_id),
                regiecheck_partners=tuple(r for r in current.regiecheck_partners
                                          if r.tenant_id != tenant_id),
                toewijzingsadvies=tuple(t for t in current.toewijzingsadvies
                                        if t.tenant_id != tenant_id))
            network = self._build(uow, spec, created_at=current.created_at)
            return self._store(uow, principal, network, "network.party_removed",
                               _party_facts(party))

    def _editable(self, uow: TenantsUnitOfWork, principal: Principal, network_id: str,
                  if_version: str | None) -> Network:
        uow.networks.lock(network_id)
        current = uow.networks.get(network_id)
        if current is None or not _visible(principal, current):
            raise NotFound()
        require_hub_admin(principal)
        if if_version is not None and if_version != version_of(current):
            raise StaleVersion()
        return current

    def _store(self, uow: TenantsUnitOfWork, principal: Principal, network: Network,
               action: str, facts: dict) -> Network:
        uow.networks.replace(network)
        uow.audit.record(action=action, tenant_id=None, actor=principal.key_id,
                         subject_id=network.id, facts=facts, at=self._clock())
        uow.commit()
        self._on_change()
        return network

    def get(self, principal: Principal, network_id: str) -> Network:
        with self._uow() as uow:
            network = uow.networks.get(network_id)
        if network is None or not _visible(principal, network):
            raise NotFound()
        return network

    def list(self, principal: Principal, *, after: str | None = None,
             limit: int | None = None) -> Page[Network]:
        party = None if principal.is_hub_admin else principal.tenant_id
        with self._uow() as uow:
            return paginate(lambda a, n: uow.networks.list(after=a, limit=n, party=party),
                            after, limit, key=lambda n: n.id)

    def _build(self, uow: TenantsUnitOfWork, spec: NetworkSpec,
               created_at: object = None) -> Network:
        self._screen({"name": spec.name, "parties": [{"role": p.role} for p in spec.parties],
                      "verwerkingsregister": [{"naam": v.naam, "doel": v.doel}
                                              for v in spec.verwerkingsregister]})
        details = check_network(uow, spec)
        if details:
            raise InvalidInput(details=details)
        return Network(id=spec.id, name=spec.name.strip(),
                       created_at=created_at or self._clock(),  # type: ignore[arg-type]
                       valid_from=spec.valid_from, valid_until=spec.valid_until,
                       parties=spec.parties, areas=spec.areas,
                       regiecheck_partners=spec.regiecheck_partners, flows=spec.flows,
                       regiecheck_termijn_werkdagen=spec.regiecheck_termijn_werkdagen,
                       termijnen=DEFAULT_TERMIJNEN if spec.termijnen is None else spec.termijnen,
                       closing_days=tuple(sorted(set(spec.closing_days))),
                       bevrijdingsdag=spec.bevrijdingsdag,
                       toewijzingsadvies=spec.toewijzingsadvies,
                       bewaartermijnen=spec.bewaartermijnen,
                       verwerkingsregister=spec.verwerkingsregister)


def _visible(principal: Principal, network: Network) -> bool:
    return principal.is_hub_admin or principal.tenant_id in network.party_ids()


def _network_facts(network: Network) -> dict:
    """What the processing log keeps of a convenant change: who takes part, no labels."""
    return {"parties": sorted(p.tenant_id for p in network.parties),
            "valid_from": network.valid_from.isoformat() if network.valid_from else None,
            "valid_until": network.valid_until.isoformat() if network.valid_until else None}


def _party_facts(party: Party) -> dict:
    return {"tenant_id": party.tenant_id,
            "valid_from": party.valid_from.isoformat() if party.valid_from else None,
            "valid_until": party.valid_until.isoformat() if party.valid_until else None}


def version_of(network: Network) -> str:
    """The network's version: a hash of its whole definition, so any change gives a new one
    (the API's ``ETag``; an editor sends back the version it read)."""
    definition = {k: v for k, v in asdict(network).items() if k != "created_at"}
    canonical = json.dumps(definition, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:20]


def spec_of(network: Network) -> NetworkSpec:
    """The definition a network was built from (to change one part and keep the rest)."""
    names = {f.name for f in fields(NetworkSpec)}
    return NetworkSpec(**{k: getattr(network, k) for k in names})
