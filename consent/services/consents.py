"""The consent registry: register, withdraw, read and evaluate client consents (werkafspraak 10).

Only a zorgaanbieder can be controller of a consent. Visibility (DESIGN.md §3 rule 6): a tenant
sees a consent it controls, or one whose provisions permit it (by id or by kind) in a network it
is party of; anything else is ``ConsentNotFound`` (404), never a 403."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

from consent.errors import ConsentNotFound, IdentityError, InvalidConsent, NotController
from consent.evaluation import ConsentVerdict, evaluate
from consent.model import (
    DEFAULT_MAX_TERM_YEARS,
    DENY,
    PERMIT,
    Consent,
    ConsentStatus,
    DataCategory,
    EffectiveStatus,
    Provision,
    add_years_dt,
)
from consent.ports import ConsentUnitOfWork
from consent.pseudonym import SharedRefs, TenantRefs, client_ref, is_client_ref
from consent.services.consent_spec import ConsentSpec, is_aware, parse_categories, parse_evidence
from tenants.clock import Clock, utcnow
from tenants.model import Principal, TenantKind
from tenants.pagination import Page, paginate
from tenants.verwerkingen import TOESTEMMINGENREGISTER

UowFactory = Callable[[], ConsentUnitOfWork]
MAX_TEXT = 2000
RECIPIENT_NOT_ORGANISATION = "consent.recipient_not_organisation"
_IDENTITY_FIELDS = ("achternaam", "voorvoegsel", "voornamen", "voorletters", "geboortedatum")


def new_consent_id() -> str:
    return "cns_" + secrets.token_hex(12)


class ConsentService:
    def __init__(self, uow: UowFactory, clock: Clock = utcnow, *,
                 secret_for_network: Callable[[str], bytes],
                 networks_of: Callable[[str], list[str]],
                 tenant_kind: Callable[[str], TenantKind | None],
                 screen: Callable[[object], None] = lambda value: None,
                 max_term: timedelta | int = DEFAULT_MAX_TERM_YEARS,
                 new_id: Callable[[], str] = new_consent_id,
                 on_withdrawn: Callable[[Any, Consent, datetime], object] = lambda *_: None,
                 refs: TenantRefs | SharedRefs | None = None,
                 ) -> None:
        self._uow = uow
        #: Client refs per tenant (unlinkable): what a tenant sees and sends is its own
        #: permutation of the stored ref (``consent.pseudonym.TenantRefs``).
        self._refs = refs or SharedRefs()
        #: Called inside the withdrawal's transaction with (unit of work, the withdrawn
        #: version, now): the hub takes back what was shared on it and not yet acknowledged.
        self._on_withdrawn = on_withdrawn
        self._clock = clock
        #: The pseudonym key of a network (``consent.pseudonym.network_secret`` of the master).
        self._secret_for_network = secret_for_network
        #: Networks a tenant is party of now.
        self._networks_of = networks_of
        #: A tenant's kind, None when the tenant does not exist.
        self._tenant_kind = tenant_kind
        #: Raises PrivacyViolation when a text holds a BSN or medical data.
        self._screen = screen
        #: Longest term: a timedelta, or an int of calendar years (default 2).
        self._max_term = max_term
        self._new_id = new_id

    # -- commands --------------------------------------------------------------------------
    def register(self, principal: Principal, spec: ConsentSpec | Mapping) -> Consent:
        if not isinstance(spec, ConsentSpec):
            spec = ConsentSpec.from_mapping(spec)
        controller = self._controller(principal, spec)
        now = self._clock()
        texts = {"purpose": spec.purpose, "necessity": spec.necessity}
        details: list[dict] = []
        for name, text in texts.items():
            if not isinstance(text, str) or not text.strip():
                details.append({"field": f"/{name}", "rule": "validation.required"})
            elif len(text) > MAX_TEXT:
                details.append({"field": f"/{name}", "rule": "validation.too_long"})
        if not details:
            self._screen(texts)
        network_id = self._network(controller, spec, details)
        ref = self._client_ref(principal, spec, network_id, details)
        provisions = self._provisions(spec, network_id, details)
        categories = parse_categories(spec.categories, details)
        valid_from, valid_until = self._term(spec, now, details)
        evidence = parse_evidence(spec.evidence, now, valid_from, details)
        if details:
            raise InvalidConsent(details)
        assert network_id and ref and valid_from and valid_until and evidence  # for the type checker
        consent = Consent(
            id=self._new_id(), version=1, client_ref=ref, network_id=network_id,
            controller=controller, provisions=provisions, categories=categories,
            purpose=spec.purpose.strip(), necessity=spec.necessity.strip(),
            valid_from=valid_from, valid_until=valid_until, evidence=evidence,
            status=ConsentStatus.ACTIVE, created_at=now, version_at=now)
        with self._uow() as uow:
            uow.consents.add_version(consent)
            uow.audit.record(action="consent.registered", tenant_id=controller,
                             actor=principal.key_id, subject_id=consent.id, basis="consent",
                             subject_ref=consent.client_ref, purpose=TOESTEMMINGENREGISTER,
                             facts={"version": 1, "network_id": network_id,
                                    "evidence_sha256": evidence.sha256}, at=now)
            uow.commit()
        return self.as_seen(principal, consent)

    def withdraw(self, principal: Principal, consent_id: str, reason: str | None = None) -> Consent:
        """Version n+1 with status withdrawn, effective at once; what was shared on it and not
        yet acknowledged is taken back. The reason is required (and screened). Withdrawing a
        withdrawn consent returns it unchanged (no new version)."""
        if reason is not None and (not isinstance(reason, str) or len(reason) > MAX_TEXT):
            raise InvalidConsent([{"field": "/reason", "rule": "validation.too_long"}])
        reason = (reason or "").strip() or None
        if reason is None:
            raise InvalidConsent([{"field": "/reason", "rule": "validation.required"}])
        self._screen({"reason": reason})
        with self._uow() as uow:
            current = uow.consents.latest(consent_id)
            if current is None or not self._visible(principal, current):
                raise ConsentNotFound()
            if not principal.is_hub_admin and principal.tenant_id != current.controller:
                raise NotController()
            if current.is_withdrawn:
                return self.as_seen(principal, current)
            now = self._clock()
            withdrawn = current.withdrawn(now, reason)
            uow.consents.add_version(withdrawn)
            uow.audit.record(action="consent.withdrawn", tenant_id=withdrawn.controller,
                             actor=principal.key_id, subject_id=withdrawn.id, basis="consent",
                             subject_ref=withdrawn.client_ref, purpose=TOESTEMMINGENREGISTER,
                             facts={"version": withdrawn.version}, at=now)
            self._on_withdrawn(uow, withdrawn, now)
            uow.commit()
        return self.as_seen(principal, withdrawn)

    # -- queries ---------------------------------------------------------------------------
    def get(self, principal: Principal, consent_id: str) -> tuple[Consent, list[Consent]]:
        """The latest version and every version, oldest first."""
        with self._uow() as uow:
            current = uow.consents.latest(consent_id)
            if current is None or not self._visible(principal, current):
                raise ConsentNotFound()
            return self.as_seen(principal, current), [
                self.as_seen(principal, v) for v in uow.consents.versions(consent_id)]

    def list(self, principal: Principal, *, client_ref: str | None = None,
             status: str | None = None, after: str | None = None,
             limit: int | None = None) -> Page[Consent]:
        """Latest versions the caller may see, by id. ``status`` is the effective status now:
        active (includes not yet begun), expired or withdrawn."""
        wanted: EffectiveStatus | None = None
        if status is not None:
            try:
                wanted = EffectiveStatus(status)
            except ValueError:
                raise InvalidConsent([{"field": "/status", "rule": "validation.enum"}]) from None
        recorded = None if wanted is None else (
            ConsentStatus.WITHDRAWN if wanted is EffectiveStatus.WITHDRAWN else ConsentStatus.ACTIVE)
        visible_to = None
        if not principal.is_hub_admin:
            visible_to = (principal.tenant_id, self._tenant_kind(principal.tenant_id))
        now = self._clock()

        def keep(c: Consent) -> bool:
            return (wanted is None or c.effective_status(now) is wanted) and \
                self._visible(principal, c)

        stored_ref = None if client_ref is None else self._stored_ref(principal, client_ref)
        with self._uow() as uow:
            def fetch(start: str | None, n: int) -> list[Consent]:
                out: list[Consent] = []
                cursor = start
                while len(out) < n:
                    batch = uow.consents.list(after=cursor, limit=n, client_ref=stored_ref,
                                              status=recorded, visible_to=visible_to)
                    out.extend(c for c in batch if keep(c))
                    if len(batch) < n:
                        break
                    cursor = batch[-1].id
                return out[:n]

            page = paginate(fetch, after, limit, key=lambda c: c.id)
        return Page(items=[self.as_seen(principal, c) for c in page.items], next=page.next)

    def evaluate(self, client_ref: str, network_id: str, recipient_id: str,
                 recipient_kind: TenantKind | None, category: DataCategory | str, at: datetime, *,
                 sender_id: str | None = None,
                 sender_kind: TenantKind | None = None) -> ConsentVerdict:
        """The consent verdict for one recipient (rules in ``consent.evaluation``)."""
        with self._uow() as uow:
            consents = list(uow.consents.for_client(client_ref, network_id))
        return evaluate(consents, recipient_id=recipient_id, recipient_kind=recipient_kind,
                        category=category, at=at, sender_id=sender_id, sender_kind=sender_kind)

    def visible(self, principal: Principal, consent: Consent) -> bool:
        return self._visible(principal, consent)

    def as_seen(self, principal: Principal, consent: Consent) -> Consent:
        """The consent with the client ref as ``principal``'s tenant sees it."""
        return replace(consent, client_ref=self._refs.shown(principal, consent.client_ref))

    def stored(self, principal: Principal, consent_id: str) -> Consent | None:
        """The latest version as stored (internal client ref), if ``principal`` may see it."""
        with self._uow() as uow:
            current = uow.consents.latest(consent_id)
        return current if current is not None and self._visible(principal, current) else None

    def _stored_ref(self, principal: Principal, ref: str) -> str:
        """The stored ref behind a client ref a tenant sends. A ref the tenant was shown before
        refs were scoped per tenant (the stored ref itself) still works for that tenant when it
        controls a consent under it."""
        internal = self._refs.given(principal, ref)
        if internal == ref or not is_client_ref(ref):
            return internal
        with self._uow() as uow:
            if uow.consents.list(after=None, limit=1, client_ref=internal):
                return internal
            legacy = uow.consents.list(after=None, limit=50, client_ref=ref)
        if any(c.controller == principal.tenant_id for c in legacy):
            return ref
        return internal

    # -- rules -----------------------------------------------------------------------------
    def _visible(self, principal: Principal, consent: Consent) -> bool:
        if principal.is_hub_admin or principal.tenant_id == consent.controller:
            return True
        if consent.network_id not in self._networks_of(principal.tenant_id):
            return False
        return consent.permits(principal.tenant_id, self._tenant_kind(principal.tenant_id))

    def _controller(self, principal: Principal, spec: ConsentSpec) -> str:
        controller = principal.tenant_id
        if spec.controller is not None and spec.controller != principal.tenant_id:
            if not principal.is_hub_admin:
                raise NotController()
            controller = spec.controller
        if not controller or self._tenant_kind(controller) is not TenantKind.ZORGAANBIEDER:
            raise NotController()
        return controller

    def _network(self, controller: str, spec: ConsentSpec, details: list[dict]) -> str | None:
        networks = list(self._networks_of(controller))
        if spec.network_id is not None:
            if spec.network_id in networks:
                return spec.network_id
            details.append({"field": "/network_id", "rule": "consent.not_in_network"})
            return None
        if len(networks) == 1:
            return networks[0]
        rule = "consent.network_required" if networks else "consent.not_in_network"
        details.append({"field": "/network_id", "rule": rule})
        return None

    def _client_ref(self, principal: Principal, spec: ConsentSpec, network_id: str | None,
                    details: list[dict]) -> str | None:
        client = dict(spec.client) if spec.client is not None else None
        given_ref = spec.client_ref
        if client is not None and "client_ref" in client:
            if given_ref is not None or len(client) > 1:
                details.append({"field": "/client", "rule": "consent.client_ambiguous"})
                return None
            given_ref = client.pop("client_ref")
            client = None
        if client is not None and given_ref is not None:
            details.append({"field": "/client", "rule": "consent.client_ambiguous"})
            return None
        if given_ref is not None:
            if not is_client_ref(given_ref):
                details.append({"field": "/client/client_ref", "rule": "consent.client_ref_format"})
                return None
            return self._stored_ref(principal, given_ref)
        if client is None:
            details.append({"field": "/client", "rule": "validation.required"})
            return None
        if any(k not in _IDENTITY_FIELDS for k in client):
            details.append({"field": "/client", "rule": "validation.unknown_field"})
            return None
        if any(v is not None and not isinstance(v, (str, date)) for v in client.values()):
            details.append({"field": "/client", "rule": "validation.type"})
            return None
        if network_id is None:
            return None
        try:
            return client_ref(self._secret_for_network(network_id),
                              achternaam=client.get("achternaam") or "",
                              voorvoegsel=client.get("voorvoegsel"),
                              voornamen=client.get("voornamen"),
                              voorletters=client.get("voorletters"),
                              geboortedatum=client.get("geboortedatum"))
        except IdentityError as exc:
            details.append({"field": f"/client/{exc.field}", "rule": exc.rule})
            return None

    def _provisions(self, spec: ConsentSpec, network_id: str | None,
                    details: list[dict]) -> tuple[Provision, ...]:
        provisions: list[Provision] = []
        seen: dict[tuple[str | None, TenantKind | None], str] = {}
        for effect, name, entries in ((PERMIT, "recipients", spec.recipients),
                                      (DENY, "deny", spec.deny)):
            if isinstance(entries, (str, bytes, Mapping)):
                details.append({"field": f"/{name}", "rule": "validation.type"})
                continue
            for i, entry in enumerate(entries):
                pointer = f"/{name}/{i}"
                target = (self._resolve_organisation(entry, pointer, details) if effect == PERMIT
                          else self._resolve(entry, pointer, details))
                if target is None:
                    continue
                tenant_id, kind = target
                if (tenant_id, kind) in seen:
                    if seen[(tenant_id, kind)] != effect:
                        details.append({"field": pointer, "rule": "consent.conflicting_provision"})
                    continue
                if (effect == PERMIT and tenant_id is not None and network_id is not None
                        and network_id not in self._networks_of(tenant_id)):
                    details.append({"field": pointer, "rule": "consent.recipient_not_in_network"})
                    continue
                seen[(tenant_id, kind)] = effect
                provisions.append(Provision(effect, tenant_id=tenant_id, tenant_kind=kind))
        if not any(p.effect == PERMIT for p in provisions) and not any(
                d["field"].startswith("/recipients") for d in details):
            details.append({"field": "/recipients", "rule": "validation.required"})
        return tuple(provisions)

    def _resolve_organisation(self, entry: object, pointer: str,
                              details: list[dict]) -> tuple[str, None] | None:
        """A new consent names its recipients as organisations (werkafspraak 10): a tenant id,
        or ``{"tenant": id}``. A tenant kind is refused (``consent.recipient_not_organisation``);
        consents stored earlier with kinds keep working (``consent.evaluation``)."""
        if isinstance(entry, Mapping) and set(entry) == {"tenant"}:
            entry = entry["tenant"]
        elif isinstance(entry, Mapping) and set(entry) == {"kind"}:
            details.append({"field": pointer, "rule": RECIPIENT_NOT_ORGANISATION})
            return None
        if not isinstance(entry, str):
            details.append({"field": pointer, "rule": "validation.type"})
            return None
        if self._tenant_kind(entry) is not None:
            return entry, None
        details.append({"field": pointer, "rule": RECIPIENT_NOT_ORGANISATION
                        if entry in set(TenantKind) else "consent.unknown_recipient"})
        return None

    def _resolve(self, entry: object, pointer: str,
                 details: list[dict]) -> tuple[str | None, TenantKind | None] | None:
        """(tenant id, None) or (None, kind); None after recording why it failed."""
        if isinstance(entry, Mapping):
            if set(entry) == {"tenant"} and isinstance(entry["tenant"], str):
                if self._tenant_kind(entry["tenant"]) is None:
                    details.append({"field": pointer, "rule": "consent.unknown_recipient"})
                    return None
                return entry["tenant"], None
            if set(entry) == {"kind"} and entry["kind"] in set(TenantKind):
                return None, TenantKind(entry["kind"])
            details.append({"field": pointer, "rule": "consent.unknown_recipient"})
            return None
        if not isinstance(entry, str):
            details.append({"field": pointer, "rule": "validation.type"})
            return None
        is_kind = entry in set(TenantKind)
        is_tenant = self._tenant_kind(entry) is not None
        if is_kind and is_tenant:
            details.append({"field": pointer, "rule": "consent.ambiguous_recipient"})
            return None
        if is_kind:
            return None, TenantKind(entry)
        if is_tenant:
            return entry, None
        details.append({"field": pointer, "rule": "consent.unknown_recipient"})
        return None

    def _term(self, spec: ConsentSpec, now: datetime,
              details: list[dict]) -> tuple[datetime | None, datetime | None]:
        valid_from = spec.valid_from if spec.valid_from is not None else now
        valid_until = spec.valid_until
        ok = True
        if not is_aware(valid_from):
            details.append({"field": "/valid_from", "rule": "validation.timezone"})
            ok = False
        if valid_until is None:
            details.append({"field": "/valid_until", "rule": "consent.valid_until_required"})
            return None, None
        if not is_aware(valid_until):
            details.append({"field": "/valid_until", "rule": "validation.timezone"})
            return None, None
        if not ok:
            return None, None
        valid_from, valid_until = valid_from.replace(microsecond=0), valid_until.replace(microsecond=0)
        if valid_until <= valid_from:
            details.append({"field": "/valid_until", "rule": "consent.valid_until_before_valid_from"})
        elif valid_until > self._latest_end(valid_from):
            details.append({"field": "/valid_until", "rule": "consent.term_too_long"})
        elif valid_until < now:
            details.append({"field": "/valid_until", "rule": "consent.valid_until_in_past"})
        return valid_from, valid_until

    def _latest_end(self, valid_from: datetime) -> datetime:
        """The last allowed ``valid_until``: valid_from plus the maximum term."""
        if isinstance(self._max_term, timedelta):
            return valid_from + self._max_term
        return add_years_dt(valid_from, self._max_term)
