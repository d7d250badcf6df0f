"""Accepting a message: envelope → schema → privacy guard → routing → policy → one transaction
holding the message (encrypted), its deliveries, its decisions and its outbox rows."""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from consent.errors import PrivacyViolation
from consent.policy import Decision, MessageFacts, PolicyDecisionPoint
from consent.privacy import PrivacyGuard
from hub.crypto.vault import PayloadVault
from hub.delivery.model import Delivery, DeliveryStatus, StoredMessage
from hub.endpoints.model import Endpoint
from hub.errors import InvalidMessage
from hub.intake.envelope import CloudEvent, parse_event
from hub.persistence.unit_of_work import SqlUnitOfWork
from hub.routing.lookup import UowLookup
from hub.routing.rules import (
    AFSLUITING,
    TOEWIJZING,
    TOEWIJZING_REACTIE,
    Router,
    RoutingContext,
    correlation_of,
)
from tenants.directory import Directory, Snapshot
from tenants.model import Principal

log = logging.getLogger("ketenhub.intake")

INBOX = "inbox"
INTAKE_PHASE = "intake"


@dataclass(frozen=True)
class IntakeResult:
    answer: dict
    replayed: bool


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


class IntakeService:
    def __init__(self, *, uow: Callable[[], SqlUnitOfWork], guard: PrivacyGuard, router: Router,
                 pdp: PolicyDecisionPoint, directory: Directory, vault: PayloadVault,
                 clock: Callable[[], datetime], max_attempts: int,
                 on_committed: Callable[[], None] = lambda: None) -> None:
        self._uow = uow
        self._guard = guard
        self._router = router
        self._pdp = pdp
        self._directory = directory
        self._vault = vault
        self._clock = clock
        self._max_attempts = max_attempts
        self._on_committed = on_committed

    def accept(self, principal: Principal, raw: object) -> IntakeResult:
        event = self._screen(principal, raw)
        try:
            # The common case is a new message: let the unique key find repeats, rather than
            # asking first on every message.
            return self._store(principal, event, check_first=False)
        except IntegrityError:
            # A repeat (same source+id), or a concurrent twin that won the race for the answer
            # or the tenant's first data key: the second pass finds what it needs.
            return self._store(principal, event, check_first=True)

    def accept_many(self, principal: Principal,
                    raws: list[object]) -> list[IntakeResult | Exception]:
        """A batch: each event is checked and answered on its own, and the accepted ones are
        stored in one transaction (one commit for the batch). A refused event refuses only
        itself; a database failure fails them all (503), and nothing of the batch is stored."""
        outcomes: list[IntakeResult | Exception | CloudEvent] = []
        for raw in raws:
            try:
                outcomes.append(self._screen(principal, raw))
            except (InvalidMessage, PrivacyViolation) as exc:
                outcomes.append(exc)
        if not any(isinstance(o, CloudEvent) for o in outcomes):
            return outcomes  # type: ignore[return-value]
        try:
            stored = self._store_batch(principal, outcomes)
        except IntegrityError:
            # A concurrent twin of one of the events won a race: fall back to one by one.
            stored = [self._accept_event(principal, o) if isinstance(o, CloudEvent) else o
                      for o in outcomes]
        if any(isinstance(o, IntakeResult) and not o.replayed for o in stored):
            self._on_committed()
        return stored

    def _accept_event(self, principal: Principal, event: CloudEvent) -> IntakeResult | Exception:
        try:
            return self._store(principal, event)
        except InvalidMessage as exc:
            return exc

    def _store_batch(self, principal: Principal,
                     items: list) -> list[IntakeResult | Exception]:
        now = self._clock()
        view = self._directory.snapshot()
        results: list[IntakeResult | Exception] = []
        with self._uow() as uow:
            for item in items:
                if not isinstance(item, CloudEvent):
                    results.append(item)
                    continue
                try:
                    results.append(self._store_in(uow, principal, item, now, view))
                except InvalidMessage as exc:  # raised by routing before anything was written
                    results.append(exc)
            uow.commit()
        return results

    def _screen(self, principal: Principal, raw: object) -> CloudEvent:
        """Envelope and schema, then the privacy guard over every field as it was sent."""
        event = parse_event(raw)
        verdict = self._guard.scan(raw)
        if not verdict.ok:
            self._audit_rejection(principal, event, verdict.findings)
            raise PrivacyViolation(verdict.findings)
        return event

    def _store(self, principal: Principal, event: CloudEvent, *,
               check_first: bool = True) -> IntakeResult:
        now = self._clock()
        view = self._directory.snapshot()
        with self._uow() as uow:
            result = self._store_in(uow, principal, event, now, view, check_first=check_first)
            uow.commit()
        if not result.replayed and result.answer["deliveries"]:
            self._on_committed()
        return result

    def _store_in(self, uow: SqlUnitOfWork, principal: Principal, event: CloudEvent,
                  now: datetime, view: Snapshot, *, check_first: bool = True) -> IntakeResult:
        """Everything of one message, in the caller's transaction."""
        sender = principal.tenant_id
        if check_first:
            previous = uow.messages.find_answer(sender, event.source, event.id)
            if previous is not None:
                return IntakeResult(previous, replayed=True)
        ctx = RoutingContext(type=event.type, data=event.data, sender=sender, at=now,
                             directory=view, lookup=UowLookup(uow))
        recipients = self._router.recipients(ctx)
        facts = MessageFacts(type=event.type, sender=sender, urgent=event.is_urgent,
                             subjects=ctx.subjects,
                             justification=event.data.get("rechtvaardiging"))
        decisions = [self._pdp.decide(facts, r, now, view) for r in recipients]
        message_id = str(uuid.uuid4())
        permitted = [d for d in decisions if d.permit]
        endpoints = uow.endpoints.active_for([d.recipient for d in permitted])
        deliveries = [delivery for d in permitted for delivery in self._deliveries(
            message_id, d, [e for e in endpoints if e.tenant_id == d.recipient],
            event.is_urgent, now)]
        answer = {"id": message_id, "status": "accepted",
                  "deliveries": [d.to_answer() for d in decisions]}
        plaintext = json.dumps(event.to_dict(), separators=(",", ":")).encode("utf-8")
        version, blob = self._vault.seal(uow.data_keys, sender, plaintext,
                                         message_id.encode())
        uow.messages.add(StoredMessage(
            id=message_id, sender=sender, source=event.source, event_id=event.id,
            type=event.type, urgent=event.is_urgent, received_at=now, key_version=version,
            payload=blob, payload_sha256=hashlib.sha256(plaintext).hexdigest(),
            routing=_routing_facts(event, ctx), answer=answer,
            correlation=_correlation(event)))
        uow.deliveries.add_many(deliveries, dispatched_at=now)
        uow.decisions.add_many(message_id, INTAKE_PHASE, decisions, now)
        uow.outbox.add_many([(d.id, d.queue) for d in deliveries], now)
        log.info("message accepted", extra={
            "message_id": message_id, "sender": sender, "type": event.type,
            "deliveries": len(deliveries), "denied": sum(not d.permit for d in decisions)})
        return IntakeResult(answer, replayed=False)

    def _deliveries(self, message_id: str, decision: Decision, endpoints: list[Endpoint],
                    urgent: bool, now: datetime) -> list[Delivery]:
        """The inbox always, and each active push endpoint of the recipient."""
        targets = [(INBOX, None, self._max_attempts)] + [
            (e.connector, e.id, e.max_attempts or self._max_attempts) for e in endpoints]
        return [Delivery(id=str(uuid.uuid4()), message_id=message_id, recipient=decision.recipient,
                         connector=connector, basis=decision.basis or "",
                         status=DeliveryStatus.PENDING, urgent=urgent, attempts=0,
                         max_attempts=max_attempts, created_at=now, next_attempt_at=now,
                         endpoint_id=endpoint_id)
                for connector, endpoint_id, max_attempts in targets]

    def _audit_rejection(self, principal: Principal, event: CloudEvent, findings: tuple) -> None:
        with self._uow() as uow:
            uow.audit.record(action="message.rejected", tenant_id=principal.tenant_id,
                             actor=principal.key_id, subject_id=None, at=self._clock(), facts={
                                 "type": event.type, "event_id_sha256": _hash(event.id),
                                 "findings": [{"rule": f.rule, "field": f.field} for f in findings]})
            uow.commit()
        log.info("message rejected", extra={"sender": principal.tenant_id,
                                            "rules": sorted({f.rule for f in findings})})


def _routing_facts(event: CloudEvent, ctx: RoutingContext) -> dict:
    """Facts routing, the delivery-time re-check and statistics use later: no personal data
    (PC4 only; clients by pseudonym)."""
    facts: dict = {}
    if (event.data.get("rechtvaardiging") or "").strip():
        facts["justified"] = True
    if ctx.subjects:
        facts["consent_subjects"] = {r: s.to_facts() for r, s in ctx.subjects.items()}
    adres = event.data.get("adres")
    if isinstance(adres, dict) and adres.get("postcode"):
        facts["pc4"] = adres["postcode"][:4]
    if event.data.get("signaal_id"):
        facts["signaal_id"] = event.data["signaal_id"]
    return facts


def _correlation(event: CloudEvent) -> str | None:
    if event.type in (TOEWIJZING, TOEWIJZING_REACTIE, AFSLUITING) and event.data.get("zaak_kenmerk"):
        return correlation_of(event.data["zaak_kenmerk"])
    return None
