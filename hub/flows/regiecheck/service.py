"""The regiecheck flow: a meldpunt asks the partners of its network whether they know a person
or household (werkwijze stap 7). Each question is a message of its own through the normal
pipeline (decision, deliveries to inbox and push endpoints, outbox, audit); answers arrive by
endpoint or CloudEvent through intake and are recorded by ``answers.AnswerRecorder``."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from marshmallow import ValidationError

from consent.errors import PrivacyViolation
from consent.policy import Decision, MessageFacts, PolicyDecisionPoint
from consent.privacy import PrivacyGuard, check_dat_informatie
from consent.privacy.findings import Finding
from hub.crypto.vault import PayloadVault
from hub.errors import DuplicateKey, InvalidMessage, ResourceNotFound
from hub.flows.calendar import Werkdagen
from hub.flows.regiecheck.errors import (
    AlleenMeldpunt,
    MelderZonderReden,
    PartnerNietInNetwerk,
)
from hub.flows.regiecheck.events import HUB_SOURCE, hub_event, utc_text
from hub.flows.regiecheck.model import (
    AskedPartner,
    CheckStatus,
    PartnerStatus,
    Regiecheck,
    termijn,
)
from hub.flows.regiecheck.partners import network_for, partner_choices, partners_to_ask
from hub.flows.regiecheck.views import asker_view, partner_view
from hub.flows.termijnen.service import network_in
from hub.intake.catalogue import REGIECHECK_ANTWOORD, REGIECHECK_VRAAG, invalid
from hub.intake.schemas.base import flatten
from hub.intake.schemas.regiecheck import RegiecheckVerzoekSchema
from hub.intake.service import IntakeResult, IntakeService
from hub.ports import HubUnitOfWork
from tenants.directory import Directory, Snapshot
from tenants.model import Network, Principal, TenantKind
from tenants.pagination import Page, clamp_limit, decode_cursor, encode_cursor

MELDER = "melder"


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _cursor(check: Regiecheck) -> str:
    return encode_cursor(f"{check.created_at.isoformat()}|{check.id}")


def _parse_cursor(cursor: str | None) -> tuple[datetime, str] | None:
    raw = decode_cursor(cursor)
    if not raw or "|" not in raw:
        return None
    at, _, check_id = raw.partition("|")
    try:
        return datetime.fromisoformat(at), check_id
    except ValueError:
        return None


@dataclass(frozen=True)
class Created:
    view: dict
    replayed: bool


class RegiecheckService:
    def __init__(self, *, uow: Callable[[], HubUnitOfWork], intake: IntakeService, pdp: PolicyDecisionPoint,
                 directory: Directory, vault: PayloadVault, guard: PrivacyGuard,
                 clock: Callable[[], datetime],
                 calendar_for: Callable[[Network], Werkdagen] = lambda n: Werkdagen(),
                 read_uow: Callable[[], HubUnitOfWork] | None = None) -> None:
        self._uow = uow
        self._read_uow = read_uow or uow
        self._intake = intake
        self._pdp = pdp
        self._directory = directory
        self._vault = vault
        self._guard = guard
        self._clock = clock
        self._calendar_for = calendar_for
        self._schema = RegiecheckVerzoekSchema()

    # -- asking ---------------------------------------------------------------------------
    def create(self, principal: Principal, body: object) -> Created:
        """Ask the partners. A repeat with the same ``kenmerk_afzender`` returns the check
        already made (``replayed``); nothing is asked twice."""
        now = self._clock()
        view = self._directory.snapshot()
        asker = view.tenant(principal.tenant_id)
        if asker is None or asker.kind is not TenantKind.MELDPUNT:
            raise AlleenMeldpunt()
        request = self._validate(body)
        kenmerk = request.get("kenmerk_afzender")
        if kenmerk:
            with self._read_uow() as uow:
                existing = uow.regiechecks.find_by_kenmerk(asker.id, kenmerk)
                if existing is not None:
                    return Created(asker_view(existing, self._contacts(uow, existing),
                                              self._calendar(existing)), True)
        network = network_for(view, asker.id, now)
        partners = partners_to_ask(view, network, asker.id, request, now)
        decisions = self._decide(view, asker.id, partners, now)
        deadline, remind_at = termijn(self._calendar_for(network), now,
                                      network.regiecheck_termijn_werkdagen)
        check_id = str(uuid.uuid4())
        try:
            check = self._ask(principal, request, network, decisions, deadline, remind_at,
                              check_id, now)
        except DuplicateKey:
            # The same kenmerk_afzender raced in from another request: that one asked.
            with self._read_uow() as uow:
                existing = uow.regiechecks.find_by_kenmerk(asker.id, kenmerk or "")
            if existing is None:
                raise
            return Created(asker_view(existing, {}, self._calendar(existing)), True)
        self._intake.wake()
        return Created(asker_view(check, {}, self._calendar(check)), False)

    def _ask(self, principal: Principal, request: dict, network: Network,
             decisions: list[Decision], deadline: datetime, remind_at: datetime, check_id: str,
             now: datetime) -> Regiecheck:
        """One transaction: the check (persons and melder reason sealed), a question message
        per partner with its deliveries, decision and outbox rows, and the audit records."""
        asker_id, kenmerk = principal.tenant_id, request.get("kenmerk_afzender")
        with self._uow() as uow:
            sealed_payload = {"personen": request["personen"],
                              "reden_melder": request.get("reden_melder")}
            version, blob = self._vault.seal(
                uow.data_keys, asker_id, json.dumps(sealed_payload).encode("utf-8"),
                check_id.encode())
            question = {"regiecheck_id": check_id,
                        "personen": [_without_rol(p) for p in request["personen"]],
                        "soort": request["soort"],
                        "overlastsoorten": request.get("overlastsoorten", []),
                        "deadline": utc_text(deadline)}
            messages = self._intake.emit_many(
                uow, [(hub_event(REGIECHECK_VRAAG, question, now), asker_id, [d])
                      for d in decisions], now, deadline=deadline)
            rows = []
            for position, (decision, message) in enumerate(zip(decisions, messages, strict=True)):
                rows.append(AskedPartner(
                    tenant_id=decision.recipient, position=position,
                    status=PartnerStatus.GEVRAAGD, message_id=message.id, deadline=deadline,
                    remind_at=remind_at))
                uow.audit.record(action="regiecheck.vraag", tenant_id=asker_id,
                                 actor=principal.key_id, subject_id=check_id, at=now, facts={
                                     "partner": decision.recipient, "message_id": message.id,
                                     "basis": decision.basis, "network_id": network.id})
            check = Regiecheck(
                id=check_id, asker=asker_id, network_id=network.id, status=CheckStatus.OPEN,
                soort=request["soort"], overlastsoorten=tuple(request.get("overlastsoorten", [])),
                deadline=deadline, created_at=now, key_version=version, payload=blob,
                kenmerk_afzender=kenmerk, zaak_kenmerk=request.get("zaak_kenmerk"),
                partners=tuple(rows))
            uow.regiechecks.add(check)
            facts = {"partners": [p.tenant_id for p in rows], "network_id": network.id,
                     "personen": len(request["personen"]), "deadline": deadline.isoformat()}
            if request.get("reden_melder"):
                # The melder is checked: the reason is kept (sealed above) and its hash audited.
                facts["reden_melder_sha256"] = _sha256(request["reden_melder"])
            uow.audit.record(action="regiecheck.created", tenant_id=asker_id,
                             actor=principal.key_id, subject_id=check_id, at=now, facts=facts)
            uow.commit()
        return check

    def _validate(self, body: object) -> dict:
        if not isinstance(body, dict):
            raise invalid([{"field": "", "rule": "validation.invalid"}])
        try:
            request = self._schema.load(body)
        except ValidationError as err:
            raise invalid(flatten(err.messages, [])) from None
        self._guard.enforce(body)
        if any(p.get("rol") == MELDER for p in request["personen"]) and not request.get(
                "reden_melder"):
            raise MelderZonderReden(details=[{"field": "/reden_melder",
                                              "rule": MelderZonderReden.code}])
        return request

    def _decide(self, view: Snapshot, asker: str, partners: Sequence[tuple[str, str]],
                now: datetime) -> list[Decision]:
        facts = MessageFacts(type=REGIECHECK_VRAAG, sender=asker)
        decisions, refused = [], []
        for tenant_id, pointer in partners:
            decision = self._pdp.decide(facts, tenant_id, now, view)
            if decision.permit:
                decisions.append(decision)
            else:
                refused.append({"field": pointer, "rule": PartnerNietInNetwerk.code,
                                "message": f"Partner '{tenant_id}' doet niet mee aan "
                                           "regiechecks in dit netwerk."})
        if refused:
            raise PartnerNietInNetwerk(details=refused)
        return decisions

    def partner_choices(self, principal: Principal) -> list[tuple[str, bool]]:
        """(tenant id, standaard) of every partner the caller's network lists for regiechecks,
        in the list's order: what a start form offers, the standard ones pre-selected."""
        now = self._clock()
        view = self._directory.snapshot()
        return partner_choices(view, network_for(view, principal.tenant_id, now),
                               principal.tenant_id, now)

    # -- reading --------------------------------------------------------------------------
    def get(self, principal: Principal, regiecheck_id: str) -> dict:
        """The asking meldpunt's view; anyone else (the asked partners too) gets 404."""
        with self._read_uow() as uow:
            check = uow.regiechecks.get(regiecheck_id)
            if check is None or check.asker != principal.tenant_id:
                raise ResourceNotFound()
            return asker_view(check, self._contacts(uow, check), self._calendar(check))

    def list_asked(self, principal: Principal, *, status: str | None, after: str | None,
                   limit: int | None) -> Page[dict]:
        size = clamp_limit(limit)
        with self._read_uow() as uow:
            rows = uow.regiechecks.list_for_asker(
                principal.tenant_id, status=CheckStatus(status) if status else None,
                after=_parse_cursor(after), limit=size + 1)
            more = len(rows) > size
            rows = rows[:size]
            items = [asker_view(c, self._contacts(uow, c), self._calendar(c)) for c in rows]
        return Page(items=items, next=_cursor(rows[-1]) if more else None)

    def list_gevraagd(self, principal: Principal, *, status: str | None, after: str | None,
                      limit: int | None) -> Page[dict]:
        """The checks the caller was asked, each with the caller's own row only."""
        size = clamp_limit(limit)
        with self._read_uow() as uow:
            rows = uow.regiechecks.list_for_partner(
                principal.tenant_id, status=PartnerStatus(status) if status else None,
                after=_parse_cursor(after), limit=size + 1)
        more = len(rows) > size
        rows = rows[:size]
        return Page(items=[partner_view(c, own, self._calendar(c)) for c, own in rows],
                    next=_cursor(rows[-1][0]) if more else None)

    def _calendar(self, check: Regiecheck) -> Werkdagen:
        """The werkdagen calendar of the check's network (its terms are counted on it)."""
        network = network_in(self._directory.snapshot(), check.network_id)
        return self._calendar_for(network) if network is not None else Werkdagen()

    def _contacts(self, uow: HubUnitOfWork, check: Regiecheck) -> dict[str, dict]:
        """The opened contacts of the ``bekend`` answers, by partner."""
        found = {}
        for p in check.partners:
            if p.contact is not None and p.contact_key_version is not None:
                plain = self._vault.open(uow.data_keys, check.asker, p.contact_key_version, p.contact,
                                         contact_aad(check.id, p.tenant_id))
                found[p.tenant_id] = json.loads(plain)
        return found

    # -- answering by endpoint ------------------------------------------------------------
    def answer(self, principal: Principal, regiecheck_id: str, body: object) -> dict:
        """An asked partner's answer by endpoint: the hub composes the answer's CloudEvent and
        hands it to the same intake as ``POST /messages`` (dat-informatie rule, schema, privacy
        guard, routing to the asker, policy, the answer hook), so both give the same state."""
        if isinstance(body, dict):
            findings = check_dat_informatie(body)
        else:
            findings = [Finding("privacy.dat_informatie", "", None)]
        with self._read_uow() as uow:
            check = uow.regiechecks.get(regiecheck_id)
        if check is None or check.partner(principal.tenant_id) is None:
            raise ResourceNotFound()
        if findings:
            raise PrivacyViolation(findings)
        try:
            result: IntakeResult = self._intake.accept_on_behalf(
                principal, REGIECHECK_ANTWOORD, {"regiecheck_id": regiecheck_id, **body},
                self._source_of(principal.tenant_id))
        except PrivacyViolation as exc:
            raise PrivacyViolation([Finding(f.rule, _undata(f.field), f.span)
                                    for f in exc.findings]) from None
        except InvalidMessage as exc:
            raise InvalidMessage(exc.code, exc.message, [
                {**d, "field": _undata(d.get("field", ""))} for d in exc.details]) from None
        with self._read_uow() as uow:
            check = uow.regiechecks.get(regiecheck_id)
        assert check is not None
        own = check.partner(principal.tenant_id)
        assert own is not None
        return {**partner_view(check, own, self._calendar(check)), "message_id": result.answer["id"]}

    def _source_of(self, tenant_id: str) -> str:
        """The answering organisation as the ``source`` of the answer the hub composes: its
        OIN or KvK-nummer where it has one (NL GOV profile), else the hub's API for it."""
        tenant = self._directory.snapshot().tenant(tenant_id)
        if tenant is not None and tenant.oin:
            return f"urn:nld:oin:{tenant.oin}:systeem:ketenhub-api"
        if tenant is not None and tenant.kvk:
            return f"urn:nld:kvk:{tenant.kvk}:systeem:ketenhub-api"
        return f"{HUB_SOURCE}:antwoord:{tenant_id}"


def contact_aad(regiecheck_id: str, partner: str) -> bytes:
    return f"regiecheck-contact:{regiecheck_id}:{partner}".encode()


def _without_rol(persoon: dict) -> dict:
    return {k: v for k, v in persoon.items() if k != "rol"}


def _undata(pointer: str) -> str:
    """``/data/contact/naam`` → ``/contact/naam``: the endpoint's body is the event's data."""
    return pointer[len("/data"):] if pointer.startswith("/data") else pointer
