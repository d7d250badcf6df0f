"""Begeleide woningen: which zorgaanbieder supports a client at an address, under which consent,
and until when the waakvlam period runs after omklap (werkafspraken 3 and 9)."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from typing import Protocol

from consent.errors import (
    AddressError,
    ConsentConflict,
    ConsentNotFound,
    InvalidConsent,
    NotController,
)
from consent.model import (
    BegeleideWoning,
    Consent,
    ContractVorm,
    EffectiveStatus,
    address_key,
    local_day,
    normalise_huisnummer,
    normalise_postcode,
    normalise_suffix,
)
from consent.ports import ConsentUnitOfWork
from consent.pseudonym import SharedRefs
from tenants.clock import Clock, utcnow
from tenants.model import Principal
from tenants.pagination import Page, paginate
from tenants.verwerkingen import TOESTEMMINGENREGISTER

UowFactory = Callable[[], ConsentUnitOfWork]


class ConsentReader(Protocol):
    def get(self, principal: Principal, consent_id: str) -> tuple[Consent, list[Consent]]: ...

    def stored(self, principal: Principal, consent_id: str) -> Consent | None: ...


class RefView(Protocol):
    def shown(self, principal: Principal, internal_ref: str | None) -> str | None: ...


def new_woning_id() -> str:
    return "bw_" + secrets.token_hex(12)


@dataclass(frozen=True)
class WoningSpec:
    """API.md ``POST /begeleide-woningen``; ``from_mapping`` also takes the nested ``adres``."""

    postcode: str
    huisnummer: int | str
    client_ref: str
    consent_id: str
    contractvorm: str
    huisletter: str | None = None
    toevoeging: str | None = None
    omklap_datum: date | str | None = None

    @classmethod
    def from_mapping(cls, data: Mapping) -> WoningSpec:
        flat = dict(data)
        adres = flat.pop("adres", None)
        if isinstance(adres, Mapping):
            flat.update(adres)
        known = {f.name for f in fields(cls)}
        details = [{"field": f"/{name}", "rule": "validation.required"}
                   for name in ("client_ref", "consent_id", "contractvorm") if not flat.get(name)]
        details += [{"field": f"/adres/{name}", "rule": "validation.required"}
                    for name in ("postcode", "huisnummer") if flat.get(name) in (None, "")]
        if any(k not in known for k in flat):
            details.append({"field": "", "rule": "validation.unknown_field"})
        if details:
            raise InvalidConsent(details)
        return cls(**flat)


class BegeleideWoningService:
    def __init__(self, uow: UowFactory, clock: Clock = utcnow, *, consents: ConsentReader,
                 new_id: Callable[[], str] = new_woning_id, refs: RefView | None = None) -> None:
        self._uow = uow
        #: The client ref as the caller's tenant sees it (``consent.pseudonym.TenantRefs``).
        self._refs = refs or SharedRefs()
        self._clock = clock
        self._consents = consents
        self._new_id = new_id

    def register(self, principal: Principal, spec: WoningSpec | Mapping) -> BegeleideWoning:
        """The caller's tenant must be the zorgaanbieder and the controller of the consent; the
        consent must be about the same client and neither withdrawn nor expired."""
        if not isinstance(spec, WoningSpec):
            spec = WoningSpec.from_mapping(spec)
        now = self._clock()
        consent = self._consents.stored(principal, spec.consent_id)
        if consent is None:
            raise InvalidConsent([{"field": "/consent_id", "rule": "consent.unknown"}])
        if principal.tenant_id != consent.controller:
            raise NotController()
        details: list[dict] = []
        # The ref the caller was shown, or (from before refs were per tenant) the stored one.
        if spec.client_ref not in (self._refs.shown(principal, consent.client_ref),
                                   consent.client_ref):
            details.append({"field": "/client_ref", "rule": "consent.client_mismatch"})
        status = consent.effective_status(now)
        if status is not EffectiveStatus.ACTIVE:
            details.append({"field": "/consent_id", "rule": f"consent.{status.value}"})
        address = _address(spec, details)
        vorm = None
        try:
            vorm = ContractVorm(spec.contractvorm)
        except ValueError:
            details.append({"field": "/contractvorm", "rule": "validation.enum"})
        omklap = _omklap(spec.omklap_datum, vorm, now, details)
        if details:
            raise InvalidConsent(details)
        assert address is not None and vorm is not None
        postcode, huisnummer, huisletter, toevoeging = address
        woning = BegeleideWoning(
            id=self._new_id(), network_id=consent.network_id, postcode=postcode,
            huisnummer=huisnummer, huisletter=huisletter, toevoeging=toevoeging,
            zorgaanbieder=consent.controller, client_ref=consent.client_ref,
            consent_id=consent.id, contractvorm=vorm, omklap_datum=omklap, created_at=now)
        with self._uow() as uow:
            for other in uow.woningen.find_by_address(woning.address_key(),
                                                      network_id=woning.network_id):
                if (other.zorgaanbieder, other.client_ref) == (woning.zorgaanbieder,
                                                               woning.client_ref):
                    raise ConsentConflict()
            uow.woningen.add(woning)
            uow.audit.record(action="begeleide_woning.registered", tenant_id=woning.zorgaanbieder,
                             actor=principal.key_id, subject_id=woning.id, basis="consent",
                             subject_ref=woning.client_ref, purpose=TOESTEMMINGENREGISTER,
                             facts={"consent_id": woning.consent_id}, at=now)
            uow.commit()
        return self._seen(principal, woning)

    def change(self, principal: Principal, woning_id: str,
               changes: Mapping) -> BegeleideWoning:
        """Record what changed about the arrangement (``PATCH``): the omklap to the client's
        own name (``contractvorm`` eigen_naam with its ``omklap_datum``, which starts the
        2-year waakvlam) or its end (``einde_datum``). Only the woning's zorgaanbieder."""
        now = self._clock()
        details: list[dict] = [{"field": f"/{name}", "rule": "validation.unknown_field"}
                               for name in changes if name not in CHANGEABLE]
        with self._uow() as uow:
            woning = uow.woningen.get(woning_id)
            if woning is None or not _visible(principal, woning):
                raise ConsentNotFound()
            vorm: ContractVorm | None = woning.contractvorm
            if "contractvorm" in changes:
                try:
                    vorm = ContractVorm(changes["contractvorm"])
                except ValueError:
                    details.append({"field": "/contractvorm", "rule": "validation.enum"})
                    vorm = None
            omklap = (_omklap(changes["omklap_datum"], vorm, now, details)
                      if "omklap_datum" in changes else woning.omklap_datum)
            if vorm is ContractVorm.INTERMEDIAIR and omklap is not None \
                    and "omklap_datum" not in changes:
                details.append({"field": "/omklap_datum",
                                "rule": "consent.omklap_requires_eigen_naam"})
            einde = woning.einde_datum
            if "einde_datum" in changes:
                einde = _date_or_none(changes["einde_datum"], "/einde_datum", details)
            if details:
                raise InvalidConsent(details)
            assert vorm is not None
            changed = replace(woning, contractvorm=vorm, omklap_datum=omklap, einde_datum=einde)
            uow.woningen.update(changed)
            uow.commit()
        return self._seen(principal, changed)

    def get(self, principal: Principal, woning_id: str) -> BegeleideWoning:
        with self._uow() as uow:
            woning = uow.woningen.get(woning_id)
        if woning is None or not _visible(principal, woning):
            raise ConsentNotFound()
        return self._seen(principal, woning)

    def _seen(self, principal: Principal, woning: BegeleideWoning) -> BegeleideWoning:
        return replace(woning, client_ref=self._refs.shown(principal, woning.client_ref))

    def list(self, principal: Principal, *, zorgaanbieder: str | None = None,
             after: str | None = None, limit: int | None = None) -> Page[BegeleideWoning]:
        """The caller's own woningen; the hub admin sees all (optionally of one zorgaanbieder)."""
        if not principal.is_hub_admin:
            if zorgaanbieder is not None and zorgaanbieder != principal.tenant_id:
                return Page(items=[], next=None)
            zorgaanbieder = principal.tenant_id
        with self._uow() as uow:
            page = paginate(lambda a, n: uow.woningen.list(after=a, limit=n,
                                                           zorgaanbieder=zorgaanbieder),
                            after, limit, key=lambda w: w.id)
        return Page(items=[self._seen(principal, w) for w in page.items], next=page.next)

    def lookup(self, postcode: str, huisnummer: int | str, huisletter: str | None = None,
               toevoeging: str | None = None, at: datetime | None = None, *,
               network_id: str | None = None) -> list[BegeleideWoning]:
        """For routing: the woningen registered at this address (matching as
        ``consent.model.address_key`` describes). An address that cannot be read matches
        nothing. ``at`` is accepted for symmetry; use ``woning.routes(category, at)`` to decide
        what goes to the zorgaanbieder (signalen always, huurachterstand during waakvlam)."""
        try:
            key = address_key(postcode, huisnummer, huisletter, toevoeging)
        except AddressError:
            return []
        with self._uow() as uow:
            return list(uow.woningen.find_by_address(key, network_id=network_id))


#: What ``change`` (PATCH) may set.
CHANGEABLE = frozenset({"contractvorm", "omklap_datum", "einde_datum"})


def _date_or_none(value: object, pointer: str, details: list[dict]) -> date | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    elif isinstance(value, date) and not isinstance(value, datetime):
        return value
    details.append({"field": pointer, "rule": "validation.date"})
    return None


def _visible(principal: Principal, woning: BegeleideWoning) -> bool:
    return principal.is_hub_admin or principal.tenant_id == woning.zorgaanbieder


def _address(spec: WoningSpec,
             details: list[dict]) -> tuple[str, int, str | None, str | None] | None:
    out: list = []
    for name, normalise in (("postcode", normalise_postcode), ("huisnummer", normalise_huisnummer),
                            ("huisletter", lambda v: normalise_suffix(v, "huisletter")),
                            ("toevoeging", lambda v: normalise_suffix(v, "toevoeging"))):
        try:
            out.append(normalise(getattr(spec, name)))
        except AddressError:
            details.append({"field": f"/adres/{name}", "rule": f"validation.{name}"})
    return tuple(out) if len(out) == 4 else None  # type: ignore[return-value]


def _omklap(value: date | str | None, vorm: ContractVorm | None, now: datetime,
            details: list[dict]) -> date | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            details.append({"field": "/omklap_datum", "rule": "validation.date"})
            return None
    if isinstance(value, datetime) or not isinstance(value, date):
        details.append({"field": "/omklap_datum", "rule": "validation.date"})
        return None
    if vorm is ContractVorm.INTERMEDIAIR:
        # Omklap *is* the switch to the client's own name; an intermediair contract has none yet.
        details.append({"field": "/omklap_datum", "rule": "consent.omklap_requires_eigen_naam"})
    elif value > local_day(now):
        details.append({"field": "/omklap_datum", "rule": "consent.omklap_in_future"})
    return value
