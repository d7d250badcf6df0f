"""The demo networks: the Amsterdam convenant of the Meldpunten Zorg en Woonoverlast, and next
to it the Utrecht convenant extreme woonoverlast (``tenants.demo_utrecht``).

Regiecheck list after step 7 of the Amsterdam working method (shared/seeds/000_*): politie,
GGD Vangnet & Advies, JB-RA, WPI, MADI, the woningcorporatie, Leger des Heils, Samen DOEN,
Ouder-Kind Teams, GGZ (Arkin, GGZ inGeest), HVO-Querido; Cordaan and MEE case by case.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from tenants import demo_utrecht as utrecht
from tenants.model import (
    DEFAULT_TERMIJNEN,
    Area,
    Flow,
    LegalBasis,
    Party,
    Principal,
    RegiecheckPartner,
    Scope,
    TenantKind,
    Toewijzingsadvies,
)
from tenants.services import KeyService, NetworkService, NetworkSpec, TenantService

K = TenantKind

OPERATOR = ("ketenhub", "Ketenhub beheer", K.OVERIG)
NETWORK_ID = "amsterdam-mzwo"

MELDPUNTEN: dict[str, tuple[str, tuple[tuple[int, int], ...]]] = {
    "mzwo-centrum": ("Meldpunt Zorg en Woonoverlast Centrum", ((1011, 1018),)),
    "mzwo-noord": ("Meldpunt Zorg en Woonoverlast Noord", ((1020, 1039),)),
    "mzwo-oost": ("Meldpunt Zorg en Woonoverlast Oost", ((1019, 1019), (1086, 1098))),
    "mzwo-west": ("Meldpunt Zorg en Woonoverlast West", ((1051, 1058),)),
    "mzwo-nieuw-west": ("Meldpunt Zorg en Woonoverlast Nieuw-West", ((1059, 1069),)),
    "mzwo-zuid": ("Meldpunt Zorg en Woonoverlast Zuid", ((1070, 1083),)),
    "mzwo-zuidoost": ("Meldpunt Zorg en Woonoverlast Zuidoost", ((1100, 1108),)),
}

#: Per meldpunt, its stadsdeel's veiligheidscoördinator (a gemeente tenant): informed of an
#: urgent case with the zaak kenmerk, address and time only (seed 000 step 5).
VEILIGHEIDSCOORDINATOREN: dict[str, tuple[str, str]] = {
    "mzwo-centrum": ("vc-centrum", "Stadsdeel Centrum, veiligheidscoördinator"),
    "mzwo-noord": ("vc-noord", "Stadsdeel Noord, veiligheidscoördinator"),
    "mzwo-oost": ("vc-oost", "Stadsdeel Oost, veiligheidscoördinator"),
    "mzwo-west": ("vc-west", "Stadsdeel West, veiligheidscoördinator"),
    "mzwo-nieuw-west": ("vc-nieuw-west", "Stadsdeel Nieuw-West, veiligheidscoördinator"),
    "mzwo-zuid": ("vc-zuid", "Stadsdeel Zuid, veiligheidscoördinator"),
    "mzwo-zuidoost": ("vc-zuidoost", "Stadsdeel Zuidoost, veiligheidscoördinator"),
}

PARTNERS: dict[str, tuple[str, TenantKind]] = {
    "hvo-querido": ("HVO-Querido", K.ZORGAANBIEDER),
    "leger-des-heils": ("Leger des Heils Amsterdam", K.ZORGAANBIEDER),
    "cordaan": ("Cordaan", K.ZORGAANBIEDER),
    "arkin": ("Arkin", K.ZORGAANBIEDER),
    "ggz-ingeest": ("GGZ inGeest", K.ZORGAANBIEDER),
    "ymere": ("Ymere", K.WONINGCORPORATIE),
    "eigen-haard": ("Eigen Haard", K.WONINGCORPORATIE),
    "stadgenoot": ("Stadgenoot", K.WONINGCORPORATIE),
    "rochdale": ("Rochdale", K.WONINGCORPORATIE),
    "de-key": ("De Key", K.WONINGCORPORATIE),
    "de-alliantie": ("de Alliantie", K.WONINGCORPORATIE),
    "politie-amsterdam": ("Politie Eenheid Amsterdam", K.POLITIE),
    "ggd-amsterdam": ("GGD Amsterdam, Vangnet & Advies", K.GGD),
    "jb-ra": ("Jeugdbescherming Regio Amsterdam", K.JEUGDBESCHERMING),
    "wpi": ("Werk, Participatie en Inkomen", K.GEMEENTE),
    "madi": ("Maatschappelijke Dienstverlening (MADI)", K.HULPVERLENING),
    "samen-doen": ("Samen DOEN", K.HULPVERLENING),
    "okt": ("Ouder- en Kindteams", K.HULPVERLENING),
    "mee": ("MEE Amstel en Zaan", K.HULPVERLENING),
}

REGIECHECK = (
    RegiecheckPartner("politie-amsterdam"), RegiecheckPartner("ggd-amsterdam"),
    RegiecheckPartner("jb-ra"), RegiecheckPartner("wpi"), RegiecheckPartner("madi"),
    RegiecheckPartner(tenant_kind=K.WONINGCORPORATIE), RegiecheckPartner("leger-des-heils"),
    RegiecheckPartner("samen-doen"), RegiecheckPartner("okt"), RegiecheckPartner("arkin"),
    RegiecheckPartner("ggz-ingeest"), RegiecheckPartner("hvo-querido"),
    RegiecheckPartner("cordaan", standaard=False), RegiecheckPartner("mee", standaard=False),
)

REGIECHECK_VRAAG = "nl.ketenhub.regiecheck.vraag.v1"
REGIECHECK_HERINNERING = "nl.ketenhub.regiecheck.herinnering.v1"
REGIECHECK_ANTWOORD = "nl.ketenhub.regiecheck.antwoord.v1"
REGIECHECK_VERLOPEN = "nl.ketenhub.regiecheck.verlopen.v1"


def regiecheck_flows(partner_kinds: list[TenantKind] | tuple[TenantKind, ...]) -> tuple[Flow, ...]:
    """The flows a regiecheck needs in a network, on the convenant: the question and its
    reminder from the meldpunt to each kind of partner, the answer back, and the expiry
    notice to the meldpunt itself."""
    flows = [Flow(REGIECHECK_VERLOPEN, K.MELDPUNT, K.MELDPUNT, LegalBasis.CONVENANT)]
    for kind in partner_kinds:
        flows += [Flow(REGIECHECK_VRAAG, K.MELDPUNT, kind, LegalBasis.CONVENANT),
                  Flow(REGIECHECK_HERINNERING, K.MELDPUNT, kind, LegalBasis.CONVENANT),
                  Flow(REGIECHECK_ANTWOORD, kind, K.MELDPUNT, LegalBasis.CONVENANT)]
    return tuple(flows)

#: Seed 000 step 10, "wie kan wanneer worden ingeschakeld", on the signaal categories: stank →
#: GGD, woningcorporatie; burenruzie → verhuurder, politie; zorg om psyche (verward gedrag) →
#: GGD, GGZ, politie; geluidsoverlast → politie, verhuurder, GGD. (Beter Buren, Veilig Thuis
#: and Wijkzorg have no tenant in the demo.)
TOEWIJZINGSADVIES = (
    Toewijzingsadvies("stank", "ggd-amsterdam"),
    Toewijzingsadvies("stank", tenant_kind=K.WONINGCORPORATIE),
    Toewijzingsadvies("burenruzie", tenant_kind=K.WONINGCORPORATIE),
    Toewijzingsadvies("burenruzie", "politie-amsterdam"),
    Toewijzingsadvies("verward_gedrag", "ggd-amsterdam"),
    Toewijzingsadvies("verward_gedrag", "ggz-ingeest"),
    Toewijzingsadvies("verward_gedrag", "politie-amsterdam"),
    Toewijzingsadvies("geluid", "politie-amsterdam"),
    Toewijzingsadvies("geluid", tenant_kind=K.WONINGCORPORATIE),
    Toewijzingsadvies("geluid", "ggd-amsterdam"),
)

PARTNER_SCOPES = frozenset({Scope.MESSAGES_SEND, Scope.MESSAGES_RECEIVE, Scope.REGIECHECK,
                            Scope.CONSENT_READ, Scope.CONSENT_WRITE, Scope.AUDIT_READ})


def _passes_eleven_proof(digits: str) -> bool:
    nine = digits.rjust(9, "0")
    total = sum(int(d) * w for d, w in zip(nine[:8], range(9, 1, -1), strict=True)) - int(nine[8])
    return total % 11 == 0


def demo_kvk(tenant_id: str) -> str:
    """The demo KvK-nummer of a tenant: eight digits derived from its id, so every demo or test
    tenant has a stable one without a list to keep. Never one that passes the 11-proof (it
    would read as a BSN written with eight digits)."""
    counter = 0
    while True:
        digest = hashlib.sha256(f"{tenant_id}#{counter}".encode()).digest()
        kvk = str(10_000_000 + int.from_bytes(digest[:8], "big") % 90_000_000)
        if not _passes_eleven_proof(kvk):
            return kvk
        counter += 1


def demo_oin(tenant_id: str) -> str:
    """The demo OIN of a tenant: the OIN form derived from a KvK-nummer (prefix 00000003,
    the KvK-nummer, four zeros), as Logius issues it."""
    return f"00000003{demo_kvk(tenant_id)}0000"


def source_for(tenant_id: str, system: str = "crm") -> str:
    """The CloudEvents ``source`` a demo or test tenant's system sends with: its own KvK."""
    return f"urn:nld:kvk:{demo_kvk(tenant_id)}:systeem:{system}"


class _WithDemoIdentity:
    """The tenant service as the demo loader uses it: every tenant created through it gets
    its demo OIN and KvK-nummer unless given others (one place, for every demo network)."""

    def __init__(self, tenants: TenantService) -> None:
        self._tenants = tenants

    def create(self, principal: Principal, *, tenant_id: str, oin: str | None = None,
               kvk: str | None = None, **fields: object) -> object:
        return self._tenants.create(principal, tenant_id=tenant_id, oin=oin or demo_oin(tenant_id),
                                    kvk=kvk or demo_kvk(tenant_id), **fields)  # type: ignore[arg-type]

    def __getattr__(self, name: str) -> object:
        return getattr(self._tenants, name)


def demo_flows() -> tuple[Flow, ...]:
    """Which message types may go from which kind to which, on which basis."""
    others = [k for k in TenantKind if k not in (K.MELDPUNT, K.OVERIG)]
    flows: list[Flow] = []
    for kind in [*others, K.MELDPUNT]:
        flows.append(Flow("nl.ketenhub.signaal.v1", kind, K.MELDPUNT, LegalBasis.CONVENANT))
    flows.append(Flow("nl.ketenhub.signaal.v1", K.WONINGCORPORATIE, K.ZORGAANBIEDER,
                      LegalBasis.CONSENT))
    # Werkafspraak 5: the meldpunt passes a signaal to a zorgaanbieder's centraal meldpunt.
    flows.append(Flow("nl.ketenhub.signaal.v1", K.MELDPUNT, K.ZORGAANBIEDER, LegalBasis.CONVENANT))
    flows.append(Flow("nl.ketenhub.huurachterstand.v1", K.WONINGCORPORATIE, K.ZORGAANBIEDER,
                      LegalBasis.CONSENT))
    for kind in others:
        flows.append(Flow("nl.ketenhub.signaal.reactie.v1", kind, K.MELDPUNT, LegalBasis.CONVENANT))
        flows.append(Flow("nl.ketenhub.signaal.reactie.v1", K.MELDPUNT, kind, LegalBasis.CONVENANT))
        flows.append(Flow("nl.ketenhub.toewijzing.v1", K.MELDPUNT, kind, LegalBasis.CONVENANT))
        flows.append(Flow("nl.ketenhub.toewijzing.reactie.v1", kind, K.MELDPUNT,
                          LegalBasis.CONVENANT))
        flows.append(Flow("nl.ketenhub.afsluiting.v1", K.MELDPUNT, kind, LegalBasis.CONVENANT))
    flows.append(Flow("nl.ketenhub.signaal.reactie.v1", K.ZORGAANBIEDER, K.WONINGCORPORATIE,
                      LegalBasis.CONSENT))
    for kind in (K.GGD, K.POLITIE):
        flows.append(Flow("nl.ketenhub.urgent.v1", K.MELDPUNT, kind, LegalBasis.CONVENANT))
    return tuple(flows) + regiecheck_flows(others)


@dataclass(frozen=True)
class DemoServices:
    tenants: TenantService
    keys: KeyService
    networks: NetworkService


def load_demo(services: DemoServices) -> dict[str, str]:
    """Create the demo tenants, network and keys. Returns {"hub-admin": key, tenant id: key}.
    Every tenant created here gets a demo OIN and KvK-nummer (``demo_oin``, ``demo_kvk``)."""
    services = replace(services, tenants=_WithDemoIdentity(services.tenants))  # type: ignore[arg-type]
    system = Principal.system()
    keys: dict[str, str] = {}
    operator_id, operator_name, operator_kind = OPERATOR
    services.tenants.create(system, tenant_id=operator_id, name=operator_name,
                            kind=operator_kind, is_operator=True)
    _, keys["hub-admin"] = services.keys.issue(system, operator_id, name="demo hub admin",
                                               scopes=frozenset(Scope))
    all_tenants = ({mid: (name, K.MELDPUNT) for mid, (name, _) in MELDPUNTEN.items()} | PARTNERS
                   | {vc: (name, K.GEMEENTE) for vc, name in VEILIGHEIDSCOORDINATOREN.values()})
    for tenant_id, (name, kind) in all_tenants.items():
        services.tenants.create(system, tenant_id=tenant_id, name=name, kind=kind)
        _, keys[tenant_id] = services.keys.issue(system, tenant_id, name="demo",
                                                 scopes=PARTNER_SCOPES)
    parties = tuple(Party(tid, "meldpunt" if kind is K.MELDPUNT else kind.value)
                    for tid, (_, kind) in all_tenants.items())
    areas = tuple(Area(mid, lo, hi, VEILIGHEIDSCOORDINATOREN[mid][0])
                  for mid, (_, ranges) in MELDPUNTEN.items() for lo, hi in ranges)
    services.networks.create(system, NetworkSpec(
        id=NETWORK_ID, name="Convenant Meldpunten Zorg en Woonoverlast Amsterdam",
        parties=parties, areas=areas, regiecheck_partners=REGIECHECK, flows=demo_flows(),
        termijnen=DEFAULT_TERMIJNEN, toewijzingsadvies=TOEWIJZINGSADVIES))
    for tenant_id, (name, kind) in utrecht.TENANTS.items():
        services.tenants.create(system, tenant_id=tenant_id, name=name, kind=kind)
        _, keys[tenant_id] = services.keys.issue(system, tenant_id, name="demo",
                                                 scopes=PARTNER_SCOPES)
    services.networks.create(system, NetworkSpec(
        id=utrecht.NETWORK_ID, name=utrecht.NETWORK_NAME, parties=utrecht.utrecht_parties(),
        areas=utrecht.AREAS, flows=utrecht.utrecht_flows(demo_flows()),
        termijnen=utrecht.TERMIJNEN))
    return keys
