"""The Utrecht demo network: the convenant Aanpak Extreme Woonoverlast binnen de Wijkgerichte
Casusoverleggen Woonoverlast stad Utrecht (seed 002).

U Centraal takes aanmeldingen of extreme woonoverlast in behandeling within 5 werkdagen; for a
corporatie home it first asks the corporatie's permission, given within 3 werkdagen. U Centraal
holds the city's area, as a meldpunt does in Amsterdam.
"""

from __future__ import annotations

from tenants.model import (
    DEFAULT_TERMIJNEN,
    Area,
    Flow,
    LegalBasis,
    Party,
    TenantKind,
    TermijnRegel,
)

K = TenantKind
NETWORK_ID = "utrecht-woonoverlast"
NETWORK_NAME = "Convenant Aanpak Extreme Woonoverlast Utrecht"
U_CENTRAAL = "u-centraal"

#: The convenant's parties: the STUW corporaties, politie, gemeente (Volksgezondheid, OOV),
#: Victas, Altrecht, Lister, U Centraal and the two buurtteamorganisaties.
TENANTS: dict[str, tuple[str, TenantKind]] = {
    U_CENTRAAL: ("U Centraal", K.MELDPUNT),
    "mitros": ("Mitros", K.WONINGCORPORATIE),
    "portaal": ("Portaal", K.WONINGCORPORATIE),
    "bo-ex": ("Bo-Ex", K.WONINGCORPORATIE),
    "groenwest": ("GroenWest Wonen", K.WONINGCORPORATIE),
    "ssh": ("SSH", K.WONINGCORPORATIE),
    "politie-utrecht": ("Politie Eenheid Midden-Nederland, Utrecht", K.POLITIE),
    "utrecht-volksgezondheid": ("Gemeente Utrecht, Volksgezondheid", K.GEMEENTE),
    "utrecht-oov": ("Gemeente Utrecht, Openbare Orde en Veiligheid wijken", K.GEMEENTE),
    "victas": ("Victas", K.ZORGAANBIEDER),
    "altrecht": ("Altrecht", K.ZORGAANBIEDER),
    "lister": ("Lister", K.ZORGAANBIEDER),
    "buurtteam-sociaal": ("Buurtteamorganisatie Sociaal", K.HULPVERLENING),
    "buurtteam-jeugd-gezin": ("Buurtteamorganisatie Jeugd en Gezin", K.HULPVERLENING),
}

#: The city of Utrecht (3500–3585) and Vleuten-De Meern (3450–3455).
AREAS = (Area(U_CENTRAAL, 3450, 3455), Area(U_CENTRAAL, 3500, 3585))

TERMIJNEN = (
    *DEFAULT_TERMIJNEN,
    TermijnRegel("aanmelding", 5, ("aanmelding.reactie:in_behandeling",
                                   "aanmelding.reactie:afgewezen")),
    TermijnRegel("toestemmingsverzoek", 3, ("toestemmingsverzoek.reactie:gegeven",
                                            "toestemmingsverzoek.reactie:geweigerd")),
)


def utrecht_flows(base: tuple[Flow, ...]) -> tuple[Flow, ...]:
    """The Amsterdam flows (signalen, zaken) plus the convenant's aanmelding chain."""
    aanmelders = (K.WONINGCORPORATIE, K.POLITIE, K.GEMEENTE, K.ZORGAANBIEDER, K.HULPVERLENING)
    flows = list(base)
    for kind in aanmelders:
        flows.append(Flow("nl.ketenhub.aanmelding.v1", kind, K.MELDPUNT, LegalBasis.CONVENANT))
        flows.append(Flow("nl.ketenhub.aanmelding.reactie.v1", K.MELDPUNT, kind,
                          LegalBasis.CONVENANT))
    flows.append(Flow("nl.ketenhub.toestemmingsverzoek.v1", K.MELDPUNT, K.WONINGCORPORATIE,
                      LegalBasis.CONVENANT))
    flows.append(Flow("nl.ketenhub.toestemmingsverzoek.reactie.v1", K.WONINGCORPORATIE,
                      K.MELDPUNT, LegalBasis.CONVENANT))
    return tuple(flows)


def utrecht_parties() -> tuple[Party, ...]:
    return tuple(Party(tid, "meldpunt" if kind is K.MELDPUNT else kind.value)
                 for tid, (_, kind) in TENANTS.items())
