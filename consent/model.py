"""Domain model of the consent registry and the begeleide woningen. No Flask/SQLAlchemy here.

A consent is shaped after FHIR Consent: a controller (the zorgaanbieder that obtained it), a
client known only by a pseudonym (``client_ref``), provisions that permit or deny named tenants
or tenant kinds, data categories, purpose and necessity, a fixed term and the evidence of the
signed document. Every change is a new, immutable version; decisions reference the version.
See docs/consent.md for the rules in prose.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Literal
from zoneinfo import ZoneInfo

from consent.errors import AddressError
from tenants.model import TenantKind

#: Dates in the field (omklap, signing) are Dutch calendar dates.
LOCAL_TZ = ZoneInfo("Europe/Amsterdam")
#: The waakvlam period after omklap (werkafspraak 9: "twee jaren").
WAAKVLAM_YEARS = 2
#: The default maximum term of a consent; configurable on the service.
DEFAULT_MAX_TERM_YEARS = 2
_SECOND = timedelta(seconds=1)


class DataCategory(StrEnum):
    SIGNAAL_OVERLAST = "signaal_overlast"
    SIGNAAL_ZORG = "signaal_zorg"
    HUURACHTERSTAND = "huurachterstand"
    AFSPRAKEN_WONEN = "afspraken_wonen"
    CONTACTGEGEVENS = "contactgegevens"


class ConsentStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


class EffectiveStatus(StrEnum):
    """What a reader sees at a moment: ``active`` (recorded active, term not over — this includes
    a consent whose term has not begun yet), ``expired`` (term over) or ``withdrawn``."""

    ACTIVE = "active"
    EXPIRED = "expired"
    WITHDRAWN = "withdrawn"


Effect = Literal["permit", "deny"]
PERMIT: Effect = "permit"
DENY: Effect = "deny"


def add_years(day: date, years: int) -> date:
    """``day`` plus whole calendar years. A 29 February lands on 28 February in a common year
    (the term ends on the last day that exists in that month, never spills into March)."""
    year = day.year + years
    last = calendar.monthrange(year, day.month)[1]
    return day.replace(year=year, day=min(day.day, last))


def add_years_dt(at: datetime, years: int) -> datetime:
    """:func:`add_years` for a moment: same wall-clock time, same tzinfo."""
    moved = add_years(at.date(), years)
    return at.replace(year=moved.year, month=moved.month, day=moved.day)


def local_day(at: datetime) -> date:
    """The Dutch calendar date of an aware moment."""
    return at.astimezone(LOCAL_TZ).date()


@dataclass(frozen=True)
class Provision:
    """One rule of a consent: permit or deny one named tenant, or every tenant of one kind.

    Exactly one of ``tenant_id`` and ``tenant_kind`` is set."""

    effect: Effect
    tenant_id: str | None = None
    tenant_kind: TenantKind | None = None

    def __post_init__(self) -> None:
        if self.effect not in (PERMIT, DENY):
            raise ValueError("effect must be 'permit' or 'deny'")
        if (self.tenant_id is None) == (self.tenant_kind is None):
            raise ValueError("a provision names a tenant or a tenant kind, not both or neither")

    @property
    def is_named(self) -> bool:
        return self.tenant_id is not None

    def matches(self, tenant_id: str, kind: TenantKind | None) -> bool:
        if self.tenant_id is not None:
            return self.tenant_id == tenant_id
        return kind is not None and self.tenant_kind == kind


def deciding_provision(provisions: tuple[Provision, ...] | list[Provision], tenant_id: str,
                       kind: TenantKind | None) -> Provision | None:
    """The provision that decides for this tenant: a named provision beats a kind provision;
    at equal specificity a deny beats a permit. None when no provision mentions the tenant."""
    matching = [p for p in provisions if p.matches(tenant_id, kind)]
    if not matching:
        return None
    named = [p for p in matching if p.is_named]
    level = named or matching
    return next((p for p in level if p.effect == DENY), level[0])


@dataclass(frozen=True)
class Evidence:
    """The signed consent document: its SHA-256 (lowercase hex) and the date it was signed.
    The document itself stays with the zorgaanbieder."""

    sha256: str
    signed_on: date


_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def is_sha256_hex(value: object) -> bool:
    return isinstance(value, str) and bool(_SHA256.match(value))


@dataclass(frozen=True)
class Consent:
    """One version of a consent. Versions are immutable; a change writes version n+1.

    Term: ``valid_from`` is the first instant the consent holds and ``valid_until`` the *last
    second* it holds, both inclusive; both are whole seconds (the service drops microseconds).
    So with ``valid_until`` 2027-12-31T23:59:59+01:00 the consent holds at 23:59:59.999999 and is
    expired from 2028-01-01T00:00:00+01:00 on.

    ``created_at`` is when the consent was first registered (equal on every version);
    ``version_at`` is when this version was recorded."""

    id: str
    version: int
    client_ref: str
    network_id: str
    controller: str
    provisions: tuple[Provision, ...]
    categories: frozenset[DataCategory]
    purpose: str
    necessity: str
    valid_from: datetime
    valid_until: datetime
    evidence: Evidence
    status: ConsentStatus
    created_at: datetime
    withdrawn_at: datetime | None = None
    withdrawal_reason: str | None = None
    version_at: datetime | None = None

    # -- term ------------------------------------------------------------------------------
    def started(self, at: datetime) -> bool:
        return self.valid_from <= at

    def ended(self, at: datetime) -> bool:
        """True from the first instant after the last second of the term."""
        return at >= self.valid_until.replace(microsecond=0) + _SECOND

    def in_term(self, at: datetime) -> bool:
        return self.started(at) and not self.ended(at)

    @property
    def is_withdrawn(self) -> bool:
        return self.status is ConsentStatus.WITHDRAWN

    def in_force(self, at: datetime) -> bool:
        """Active and within its term at ``at``. A withdrawn consent is never in force: withdrawal
        is effective at once and the latest version governs (history lives in the versions)."""
        return not self.is_withdrawn and self.in_term(at)

    def effective_status(self, at: datetime) -> EffectiveStatus:
        if self.is_withdrawn:
            return EffectiveStatus.WITHDRAWN
        if self.ended(at):
            return EffectiveStatus.EXPIRED
        return EffectiveStatus.ACTIVE

    # -- scope -----------------------------------------------------------------------------
    def covers(self, category: DataCategory | str) -> bool:
        return DataCategory(category) in self.categories

    def applies_to(self, tenant_id: str, kind: TenantKind | None) -> bool:
        """True when a provision (permit or deny) mentions this tenant by id or by kind."""
        return self.provision_for(tenant_id, kind) is not None

    def provision_for(self, tenant_id: str, kind: TenantKind | None) -> Provision | None:
        """The provision of this consent that decides for the tenant, see
        :func:`deciding_provision`."""
        return deciding_provision(self.provisions, tenant_id, kind)

    def permits(self, tenant_id: str, kind: TenantKind | None) -> bool:
        """This consent's own provisions permit the tenant (ignores status and term)."""
        p = self.provision_for(tenant_id, kind)
        return p is not None and p.effect == PERMIT

    # -- changes ---------------------------------------------------------------------------
    def withdrawn(self, at: datetime, reason: str) -> Consent:
        """Version n+1: withdrawn, effective at ``at``."""
        return replace(self, version=self.version + 1, status=ConsentStatus.WITHDRAWN,
                       withdrawn_at=at, withdrawal_reason=reason, version_at=at)


class ContractVorm(StrEnum):
    #: The zorgaanbieder rents the home from the corporatie for its client.
    INTERMEDIAIR = "intermediair"
    #: The contract is in the client's own name (after omklap, or from the start).
    EIGEN_NAAM = "eigen_naam"


_POSTCODE = re.compile(r"^[1-9][0-9]{3}[A-Z]{2}$")
_SUFFIX = re.compile(r"[^0-9A-Z]")


def normalise_postcode(postcode: str) -> str:
    """'1012 ab' → '1012AB'; raises AddressError for anything else than a Dutch postcode."""
    value = re.sub(r"\s+", "", str(postcode or "")).upper()
    if not _POSTCODE.match(value):
        raise AddressError("postcode")
    return value


def normalise_huisnummer(huisnummer: int | str) -> int:
    try:
        value = int(str(huisnummer).strip())
    except (TypeError, ValueError):
        raise AddressError("huisnummer") from None
    if not 1 <= value <= 99999:
        raise AddressError("huisnummer")
    return value


def normalise_suffix(value: str | None, field: str) -> str | None:
    """Huisletter or toevoeging: uppercase, separators dropped ('-2 ' → '2'); empty → None."""
    if value is None:
        return None
    cleaned = _SUFFIX.sub("", str(value).upper())
    if not cleaned:
        return None
    if len(cleaned) > (1 if field == "huisletter" else 4):
        raise AddressError(field)
    if field == "huisletter" and not cleaned.isalpha():
        raise AddressError(field)
    return cleaned


def address_key(postcode: str, huisnummer: int | str, huisletter: str | None = None,
                toevoeging: str | None = None) -> str:
    """The normalised lookup key of an address: ``POSTCODE|huisnummer|SUFFIX``.

    The suffix is huisletter and toevoeging run together without separators, so '12A', '12 a',
    huisletter 'A' or toevoeging 'A' all meet; '12A-2' and '12 A2' do too. Raises AddressError."""
    suffix = (normalise_suffix(huisletter, "huisletter") or "") + (
        normalise_suffix(toevoeging, "toevoeging") or "")
    return f"{normalise_postcode(postcode)}|{normalise_huisnummer(huisnummer)}|{suffix}"


#: Deny reasons when a begeleide woning no longer routes to its zorgaanbieder.
WAAKVLAM_ENDED = "waakvlam ended"
WONING_ENDED = "begeleide woning ended"

#: Categories a begeleide woning routes to its zorgaanbieder while registered.
SIGNAAL_CATEGORIES = frozenset({DataCategory.SIGNAAL_OVERLAST, DataCategory.SIGNAAL_ZORG})


@dataclass(frozen=True)
class BegeleideWoning:
    """A home where a zorgaanbieder supports a client: intermediaire verhuur, or in the client's
    own name after omklap, followed by two years of waakvlam."""

    id: str
    network_id: str
    postcode: str
    huisnummer: int
    huisletter: str | None
    toevoeging: str | None
    zorgaanbieder: str
    client_ref: str
    consent_id: str
    contractvorm: ContractVorm
    omklap_datum: date | None
    created_at: datetime
    #: The arrangement's end (e.g. the client moved out): from this day nothing routes.
    einde_datum: date | None = None

    def address_key(self) -> str:
        return address_key(self.postcode, self.huisnummer, self.huisletter, self.toevoeging)

    @property
    def waakvlam_until(self) -> date | None:
        """The 2-year anniversary of the omklap: the first day *no longer* in waakvlam.
        Omklap on 29 February → 28 February two years later (see :func:`add_years`)."""
        if self.omklap_datum is None:
            return None
        return add_years(self.omklap_datum, WAAKVLAM_YEARS)

    def in_waakvlam(self, at: datetime | date) -> bool:
        """True on the Dutch calendar days omklap_datum ≤ day < waakvlam_until: exactly two
        years, the omklap day included, the anniversary excluded."""
        until = self.waakvlam_until
        if until is None or self.omklap_datum is None:
            return False
        day = local_day(at) if isinstance(at, datetime) else at
        return self.omklap_datum <= day < until

    def routes(self, category: DataCategory | str, at: datetime) -> bool:
        """Whether a message of this category about this address goes to the zorgaanbieder
        (subject, always, to the policy decision point permitting it on consent): signalen
        while the woning is registered; huurachterstand only during the waakvlam period."""
        category = DataCategory(category)
        if self.refusal(at) is not None:
            return False
        if category in SIGNAAL_CATEGORIES:
            return True
        if category is DataCategory.HUURACHTERSTAND:
            return self.in_waakvlam(at)
        return False

    def refusal(self, at: datetime | date) -> str | None:
        """Why nothing about this woning goes to the zorgaanbieder any more on ``at``: the
        arrangement ended, or the waakvlam after the omklap is over; None while it runs."""
        day = local_day(at) if isinstance(at, datetime) else at
        if self.einde_datum is not None and day >= self.einde_datum:
            return WONING_ENDED
        until = self.waakvlam_until
        if until is not None and day >= until:
            return WAAKVLAM_ENDED
        return None
