"""Domain model of tenants, networks, API keys and users. No Flask, SQLAlchemy or kombu here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum

from tenants.verwerkingen import Verwerking, register_of


class TenantKind(StrEnum):
    MELDPUNT = "meldpunt"
    ZORGAANBIEDER = "zorgaanbieder"
    WONINGCORPORATIE = "woningcorporatie"
    POLITIE = "politie"
    GGD = "ggd"
    GEMEENTE = "gemeente"
    JEUGDBESCHERMING = "jeugdbescherming"
    HULPVERLENING = "hulpverlening"
    OVERIG = "overig"


class TenantStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


class Scope(StrEnum):
    MESSAGES_SEND = "messages:send"
    MESSAGES_RECEIVE = "messages:receive"
    REGIECHECK = "regiecheck"
    CONSENT_WRITE = "consent:write"
    CONSENT_READ = "consent:read"
    AUDIT_READ = "audit:read"
    ADMIN = "admin"


class Role(StrEnum):
    HUB_ADMIN = "hub_admin"
    TENANT_ADMIN = "tenant_admin"
    PRIVACY_OFFICER = "privacy_officer"
    #: The daily work: inbox, signalen, regiechecks, zaken, termijnen.
    MEDEWERKER = "medewerker"
    #: Older name of a medewerker who only reads the inbox; treated as ``medewerker``.
    INBOX_USER = "inbox_user"


class LegalBasis(StrEnum):
    CONSENT = "consent"
    CONVENANT = "convenant"
    WETTELIJKE_PLICHT = "wettelijke_plicht"
    NOODSITUATIE = "noodsituatie"


#: The answer term of a regiecheck when the network sets none (werkdagen).
DEFAULT_REGIECHECK_TERMIJN = 3
MAX_REGIECHECK_TERMIJN = 20

SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
PC4_MIN, PC4_MAX = 1000, 9999


def is_slug(value: str) -> bool:
    """True when ``value`` is a lowercase identifier usable as a tenant or network id."""
    return bool(SLUG_PATTERN.match(value))


@dataclass(frozen=True)
class Tenant:
    id: str
    name: str
    kind: TenantKind
    created_at: datetime
    updated_at: datetime
    oin: str | None = None
    kvk: str | None = None
    status: TenantStatus = TenantStatus.ACTIVE
    #: The hub operator's own organisation; its admin keys administer every tenant.
    is_operator: bool = False
    #: Where the tenant's alerts (endpoint disabled, delivery dead, …) are e-mailed; None: nowhere.
    alert_email: str | None = None

    @property
    def is_active(self) -> bool:
        return self.status is TenantStatus.ACTIVE

    def suspended(self, at: datetime) -> Tenant:
        return replace(self, status=TenantStatus.SUSPENDED, updated_at=at)


@dataclass(frozen=True)
class Party:
    """A tenant's membership of a network, with its role and the period it holds."""

    tenant_id: str
    role: str
    valid_from: date | None = None
    valid_until: date | None = None

    def holds_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


@dataclass(frozen=True)
class Area:
    """A range of PC4 postcodes for which a meldpunt holds procesregie, and the stadsdeel's
    veiligheidscoördinator there (a tenant; informed of an urgent case, seed 000 step 5)."""

    tenant_id: str
    pc4_from: int
    pc4_to: int
    veiligheidscoordinator: str | None = None

    def contains(self, pc4: int) -> bool:
        return self.pc4_from <= pc4 <= self.pc4_to


@dataclass(frozen=True)
class RegiecheckPartner:
    """One entry of a network's standard regiecheck list: a named tenant or a tenant kind."""

    tenant_id: str | None = None
    tenant_kind: TenantKind | None = None
    #: False for partners asked case by case (e.g. Cordaan, MEE in Amsterdam).
    standaard: bool = True


@dataclass(frozen=True)
class Toewijzingsadvies:
    """One line of a network's toewijzingsadvies (seed 000 step 10): for a zaak with signalen
    of this ``categorie``, this partner (a named tenant, or the parties of a kind) is a likely
    one to take it up."""

    categorie: str
    tenant_id: str | None = None
    tenant_kind: TenantKind | None = None


@dataclass(frozen=True)
class Flow:
    """A permitted message flow: this type, from this kind of tenant to that kind, on this basis."""

    message_type: str
    from_kind: TenantKind
    to_kind: TenantKind
    basis: LegalBasis


@dataclass(frozen=True)
class TermijnRegel:
    """A term a network sets on a flow: answered within ``werkdagen``, met by one of
    ``gehaald_door`` (``"<reply type>:<status>"``, e.g. ``"signaal.reactie:klager_benaderd"``;
    ``"<reply type>"`` alone: any answer of that type)."""

    flow: str
    werkdagen: int
    gehaald_door: tuple[str, ...] = ()


#: The terms of the seeds (API.md §Termijnen), used when a network names none: a signaal to a
#: zorgaanbieder's centraal meldpunt 2 werkdagen (seed 004; an ack only means received), a
#: toewijzing accepted or refused within 2. The regiecheck answer term is the network's
#: ``regiecheck_termijn_werkdagen`` (seed 000, default 3).
DEFAULT_TERMIJNEN: tuple[TermijnRegel, ...] = (
    TermijnRegel("signaal_zorgaanbieder", 2, (
        "signaal.reactie:klager_benaderd", "signaal.reactie:in_behandeling",
        "signaal.reactie:afgehandeld")),
    TermijnRegel("toewijzing", 2, ("toewijzing.reactie",)),
)
REGIECHECK_FLOW = "regiecheck"

BEVRIJDINGSDAG_MODES = ("lustrum", "jaarlijks")


@dataclass(frozen=True)
class Bewaartermijnen:
    """How long a network's messages are kept, per legal basis; then retention crypto-shreds
    them (API.md §Audit). The defaults:

    - a meldpunt's zaak: 5 years after its afsluiting (seed 000; an open zaak is kept);
    - consent: the consent's ``valid_until`` plus 30 days (time to finish the reacties);
    - convenant and wettelijke plicht: 5 years after receipt (the convenant's dossier term);
    - noodsituatie: 2 years after receipt (the privacy officer's review of each one);
    - a message no recipient was permitted to receive: 90 days (the sender's status view).

    A message delivered on several bases is kept for the longest; one in a zaak at least as
    long as the zaak."""

    zaak_jaren: int = 5
    toestemming_dagen: int = 30
    convenant_dagen: int = 1826
    wettelijke_plicht_dagen: int = 1826
    noodsituatie_dagen: int = 730
    geweigerd_dagen: int = 90

    def to_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in BEWAARTERMIJN_FIELDS}


BEWAARTERMIJN_FIELDS = ("zaak_jaren", "toestemming_dagen", "convenant_dagen",
                        "wettelijke_plicht_dagen", "noodsituatie_dagen", "geweigerd_dagen")


@dataclass(frozen=True)
class Network:
    """A convenant: the agreement that is the legal basis for sharing among its parties."""

    id: str
    name: str
    created_at: datetime
    valid_from: date | None = None
    valid_until: date | None = None
    parties: tuple[Party, ...] = ()
    areas: tuple[Area, ...] = ()
    regiecheck_partners: tuple[RegiecheckPartner, ...] = ()
    flows: tuple[Flow, ...] = ()
    #: The answer term of a regiecheck in werkdagen after the day it was asked.
    regiecheck_termijn_werkdagen: int = DEFAULT_REGIECHECK_TERMIJN
    #: Terms per flow (werkdagen), the network's extra closing days, and whether
    #: Bevrijdingsdag is a day off every year or only in lustrum years.
    termijnen: tuple[TermijnRegel, ...] = ()
    closing_days: tuple[date, ...] = ()
    bevrijdingsdag: str = "lustrum"
    toewijzingsadvies: tuple[Toewijzingsadvies, ...] = ()
    #: Its own verwerkingsregister; empty means the hub's defaults (``register``).
    verwerkingsregister: tuple[Verwerking, ...] = ()
    bewaartermijnen: Bewaartermijnen = field(default_factory=Bewaartermijnen)

    @property
    def register(self) -> tuple[Verwerking, ...]:
        """The processing activities of this network (its own or the hub's defaults)."""
        return register_of(self.verwerkingsregister)

    def holds_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )

    def termijn(self, flow: str) -> TermijnRegel | None:
        """The network's term on ``flow``, if it sets one (the regiecheck's is its own setting)."""
        found = next((r for r in self.termijnen if r.flow == flow), None)
        if found is None and flow == REGIECHECK_FLOW:
            return TermijnRegel(flow, self.regiecheck_termijn_werkdagen, ("regiecheck.antwoord",))
        return found

    def party_ids(self) -> frozenset[str]:
        return frozenset(p.tenant_id for p in self.parties)


@dataclass(frozen=True)
class ApiKey:
    """A tenant's API key. Only the hash of its secret is kept."""

    id: str
    tenant_id: str
    name: str
    scopes: frozenset[Scope]
    secret_hash: str
    created_at: datetime
    expires_at: datetime | None = None
    revoked_at: datetime | None = None
    last_used_at: datetime | None = None

    def is_usable_at(self, at: datetime) -> bool:
        if self.revoked_at is not None and self.revoked_at <= at:
            return False
        return self.expires_at is None or at < self.expires_at

    @property
    def status(self) -> str:
        return "revoked" if self.revoked_at is not None else "active"


@dataclass(frozen=True)
class User:
    """A person working for a tenant; logs in to the web with the credentials of
    ``tenants.accounts``."""

    id: str
    tenant_id: str
    email: str
    name: str
    roles: frozenset[Role] = field(default_factory=frozenset)
    created_at: datetime | None = None


@dataclass(frozen=True)
class Principal:
    """Who is calling: the tenant and key behind a request."""

    tenant_id: str
    key_id: str
    scopes: frozenset[Scope]
    is_hub_admin: bool = False

    @classmethod
    def system(cls) -> Principal:
        """The operator at the console (CLI): acts as hub admin."""
        return cls(tenant_id="", key_id="cli", scopes=frozenset(Scope), is_hub_admin=True)

    def can_see_tenant(self, tenant_id: str) -> bool:
        return self.is_hub_admin or tenant_id == self.tenant_id
