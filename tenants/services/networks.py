"""Networks (convenanten): parties, areas, the standard regiecheck list and permitted flows."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from tenants.clock import Clock, utcnow
from tenants.errors import Conflict, InvalidInput, NotFound
from tenants.model import (
    BEVRIJDINGSDAG_MODES,
    DEFAULT_REGIECHECK_TERMIJN,
    DEFAULT_TERMIJNEN,
    MAX_REGIECHECK_TERMIJN,
    PC4_MAX,
    PC4_MIN,
    Area,
    Bewaartermijnen,
    Flow,
    Network,
    Party,
    Principal,
    RegiecheckPartner,
    TenantKind,
    TermijnRegel,
    Toewijzingsadvies,
    is_slug,
)
from tenants.pagination import Page, paginate
from tenants.ports import TenantsUnitOfWork
from tenants.services._common import UowFactory, require_hub_admin
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

    def replace(self, principal: Principal, spec: NetworkSpec) -> Network:
        with self._uow() as uow:
            current = uow.networks.get(spec.id)
            if current is None or not _visible(principal, current):
                raise NotFound()
            require_hub_admin(principal)
            network = self._build(uow, spec, created_at=current.created_at)
            uow.networks.replace(network)
            uow.audit.record(action="network.changed", tenant_id=None, actor=principal.key_id,
                             subject_id=network.id, facts=_network_facts(network),
                             at=self._clock())
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
        details = _check(uow, spec)
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


def _check(uow: TenantsUnitOfWork, spec: NetworkSpec) -> list[dict]:
    details: list[dict] = []

    def fail(field: str, rule: str) -> None:
        details.append({"field": field, "rule": rule})

    if not is_slug(spec.id):
        fail("/id", "validation.slug")
    seen_activities: set[str] = set()
    for i, verwerking in enumerate(spec.verwerkingsregister):
        if verwerking.id in seen_activities:
            fail(f"/verwerkingsregister/{i}/id", "validation.duplicate")
        seen_activities.add(verwerking.id)
    if spec.valid_from and spec.valid_until and spec.valid_until < spec.valid_from:
        fail("/valid_until", "validation.before_valid_from")
    kinds: dict[str, TenantKind] = {}
    for i, party in enumerate(spec.parties):
        tenant = uow.tenants.get(party.tenant_id)
        if tenant is None:
            fail(f"/parties/{i}/tenant_id", "validation.unknown_tenant")
        elif party.tenant_id in kinds:
            fail(f"/parties/{i}/tenant_id", "validation.duplicate")
        else:
            kinds[party.tenant_id] = tenant.kind
        if party.valid_from and party.valid_until and party.valid_until < party.valid_from:
            fail(f"/parties/{i}/valid_until", "validation.before_valid_from")
    for i, area in enumerate(spec.areas):
        if kinds.get(area.tenant_id) is not TenantKind.MELDPUNT:
            fail(f"/areas/{i}/tenant_id", "validation.not_a_meldpunt_party")
        if not PC4_MIN <= area.pc4_from <= area.pc4_to <= PC4_MAX:
            fail(f"/areas/{i}", "validation.pc4_range")
        if area.veiligheidscoordinator is not None and area.veiligheidscoordinator not in kinds:
            fail(f"/areas/{i}/veiligheidscoordinator", "validation.not_a_party")
    ordered = sorted(enumerate(spec.areas), key=lambda ia: ia[1].pc4_from)
    for (_, left), (j, right) in zip(ordered, ordered[1:], strict=False):
        if right.pc4_from <= left.pc4_to:
            fail(f"/areas/{j}", "validation.pc4_overlap")
    for i, partner in enumerate(spec.regiecheck_partners):
        if (partner.tenant_id is None) == (partner.tenant_kind is None):
            fail(f"/regiecheck_partners/{i}", "validation.tenant_or_kind")
        elif partner.tenant_id is not None and partner.tenant_id not in kinds:
            fail(f"/regiecheck_partners/{i}/tenant_id", "validation.not_a_party")
    for i, advies in enumerate(spec.toewijzingsadvies):
        if (advies.tenant_id is None) == (advies.tenant_kind is None):
            fail(f"/toewijzingsadvies/{i}", "validation.tenant_or_kind")
        elif advies.tenant_id is not None and advies.tenant_id not in kinds:
            fail(f"/toewijzingsadvies/{i}/tenant_id", "validation.not_a_party")
        if not is_slug(advies.categorie.replace("_", "-")):
            fail(f"/toewijzingsadvies/{i}/categorie", "validation.slug")
    if not 1 <= spec.regiecheck_termijn_werkdagen <= MAX_REGIECHECK_TERMIJN:
        fail("/regiecheck_termijn_werkdagen", "validation.range")
    details += _check_termijnen(spec)
    return details


FLOW_NAME = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
GEHAALD_DOOR = re.compile(r"^[a-z][a-z0-9_.]{0,95}(:[a-z][a-z0-9_]{0,63})?$")
MAX_WERKDAGEN = 60
#: Upper bounds of a network's retention settings (years for a zaak, days for the rest).
MAX_BEWAARTERMIJN = {"zaak_jaren": 30, "toestemming_dagen": 3650, "convenant_dagen": 10950,
                     "wettelijke_plicht_dagen": 10950, "noodsituatie_dagen": 10950,
                     "geweigerd_dagen": 3650}


def _check_termijnen(spec: NetworkSpec) -> list[dict]:
    details: list[dict] = []
    seen: set[str] = set()
    for i, regel in enumerate(spec.termijnen or ()):
        if not FLOW_NAME.match(regel.flow):
            details.append({"field": f"/termijnen/{i}/flow", "rule": "validation.flow_name"})
        elif regel.flow in seen:
            details.append({"field": f"/termijnen/{i}/flow", "rule": "validation.duplicate"})
        seen.add(regel.flow)
        if not 1 <= regel.werkdagen <= MAX_WERKDAGEN:
            details.append({"field": f"/termijnen/{i}/werkdagen", "rule": "validation.range"})
        for j, token in enumerate(regel.gehaald_door):
            if not GEHAALD_DOOR.match(token):
                details.append({"field": f"/termijnen/{i}/gehaald_door/{j}",
                                "rule": "validation.gehaald_door"})
    if spec.bevrijdingsdag not in BEVRIJDINGSDAG_MODES:
        details.append({"field": "/bevrijdingsdag", "rule": "validation.choice"})
    for name, value in spec.bewaartermijnen.to_dict().items():
        if not 0 <= value <= MAX_BEWAARTERMIJN[name]:
            details.append({"field": f"/bewaartermijnen/{name}", "rule": "validation.range"})
    return details


def _network_facts(network: Network) -> dict:
    """What the processing log keeps of a convenant change: who takes part, no labels."""
    return {"parties": sorted(p.tenant_id for p in network.parties),
            "valid_from": network.valid_from.isoformat() if network.valid_from else None,
            "valid_until": network.valid_until.isoformat() if network.valid_until else None}
