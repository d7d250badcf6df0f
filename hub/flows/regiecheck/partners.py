"""Whom a regiecheck asks: the asker's network for regiechecks and its standard list, the
partners named in the request, and the case-by-case extras — each permitted by the network's
policy, or the request is refused naming it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from consent.policy import Decision, MessageFacts, PolicyDecisionPoint
from hub.flows.regiecheck.errors import GeenNetwerk, GeenPartners, PartnerNietInNetwerk
from hub.intake.catalogue import REGIECHECK_VRAAG
from tenants.directory import Snapshot
from tenants.model import Network


def network_for(view: Snapshot, asker: str, now: datetime) -> Network:
    """The asker's network for regiechecks: the first in force that keeps a regiecheck
    list, else the first in force at all."""
    day = now.date()
    networks = sorted((n for n in view.networks if n.holds_on(day) and any(
        p.tenant_id == asker and p.holds_on(day) for p in n.parties)), key=lambda n: n.id)
    if not networks:
        raise GeenNetwerk()
    return next((n for n in networks if n.regiecheck_partners), networks[0])


def partners_to_ask(view: Snapshot, network: Network, asker: str, request: dict,
                    now: datetime) -> list[tuple[str, str]]:
    """(tenant id, field pointer it came from) of everyone to ask, in order, once each."""
    day = now.date()
    found: dict[str, str] = {}
    if request.get("partners"):
        for i, tenant_id in enumerate(request["partners"]):
            found.setdefault(tenant_id, f"/partners/{i}")
    else:
        parties = [p.tenant_id for p in network.parties if p.holds_on(day)]
        for i, entry in enumerate(network.regiecheck_partners):
            if not entry.standaard:
                continue
            if entry.tenant_id is not None:
                found.setdefault(entry.tenant_id, f"/regiecheck_partners/{i}")
                continue
            for party in parties:
                tenant = view.tenant(party)
                if tenant is not None and tenant.kind is entry.tenant_kind and tenant.is_active:
                    found.setdefault(party, f"/regiecheck_partners/{i}")
    for i, tenant_id in enumerate(request.get("extra_partners", [])):
        found.setdefault(tenant_id, f"/extra_partners/{i}")
    found.pop(asker, None)
    if not found:
        raise GeenPartners()
    return list(found.items())


def permitted(pdp: PolicyDecisionPoint, view: Snapshot, asker: str,
              partners: Sequence[tuple[str, str]], now: datetime) -> list[Decision]:
    """The policy's permit for a question to each partner; any partner that is no party of the
    network for regiechecks refuses the whole request, named at the field it came from."""
    facts = MessageFacts(type=REGIECHECK_VRAAG, sender=asker)
    decisions, refused = [], []
    for tenant_id, pointer in partners:
        decision = pdp.decide(facts, tenant_id, now, view)
        if decision.permit:
            decisions.append(decision)
        else:
            refused.append({"field": pointer, "rule": PartnerNietInNetwerk.code,
                            "message": f"Partner '{tenant_id}' doet niet mee aan "
                                       "regiechecks in dit netwerk."})
    if refused:
        raise PartnerNietInNetwerk(details=refused)
    return decisions


def partner_choices(view: Snapshot, network: Network, asker: str,
                    now: datetime) -> list[tuple[str, bool]]:
    """(tenant id, standaard) of everyone the network's regiecheck list names, in its order
    (an entry for a kind expanded to that kind's active parties): what a start form offers."""
    parties = [p.tenant_id for p in network.parties if p.holds_on(now.date())]
    found: dict[str, bool] = {}
    for entry in network.regiecheck_partners:
        if entry.tenant_id is not None:
            candidates = [entry.tenant_id]
        else:
            candidates = [t for t in parties if (tenant := view.tenant(t)) is not None
                          and tenant.kind is entry.tenant_kind and tenant.is_active]
        for tenant_id in candidates:
            found[tenant_id] = found.get(tenant_id, False) or entry.standaard
    found.pop(asker, None)
    return list(found.items())
