"""The rules a network's definition must keep (parties known, areas of meldpunten without
overlap, terms in range): each broken rule is a ``{"field", "rule"}`` detail."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tenants.model import (
    BEVRIJDINGSDAG_MODES,
    MAX_REGIECHECK_TERMIJN,
    PC4_MAX,
    PC4_MIN,
    TenantKind,
    is_slug,
)
from tenants.ports import TenantsUnitOfWork

if TYPE_CHECKING:
    from tenants.services.networks import NetworkSpec


def check_network(uow: TenantsUnitOfWork, spec: NetworkSpec) -> list[dict]:
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
