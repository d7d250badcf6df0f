"""Toewijzingsadvies (seed 000 step 10): which partners suit a zaak, from the categories of
its signalen and the network's table of advice."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from hub.flows.zaken.model import Advies
from tenants.directory import Snapshot


def advies_for(view: Snapshot, meldpunt: str, categorieen: Sequence[str], on: date) -> tuple[Advies, ...]:
    """Per categorie of the zaak, the partners the meldpunt's networks advise: named tenants,
    and for a kind every party of that kind in that network (the meldpunt itself left out)."""
    found: dict[str, dict[str, None]] = {}
    for network_id in view.networks_of(meldpunt, on):
        network = next(n for n in view.networks if n.id == network_id)
        parties = [p.tenant_id for p in network.parties if p.holds_on(on)]
        for line in network.toewijzingsadvies:
            if line.categorie not in categorieen:
                continue
            if line.tenant_id is not None:
                candidates = [line.tenant_id] if line.tenant_id in parties else []
            else:
                candidates = sorted(t for t in parties if (tenant := view.tenant(t)) is not None
                                    and tenant.kind is line.tenant_kind)
            slot = found.setdefault(line.categorie, {})
            for tenant_id in candidates:
                if tenant_id != meldpunt:
                    slot.setdefault(tenant_id, None)
    return tuple(Advies(c, tuple(found[c])) for c in categorieen if found.get(c))
