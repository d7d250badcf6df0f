"""Accepting a message: envelope → schema → privacy guard → routing → policy → one transaction
holding the message (encrypted), its deliveries, its decisions and its outbox rows."""

from __future__ import annotations

import hashlib
import json
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from consent.errors import PrivacyViolation
from consent.policy import Decision, MessageFacts, PolicyDecisionPoint
from consent.privacy import PrivacyGuard, check_dat_informatie
from consent.privacy.findings import Finding
from hub.coalesce import Coalescer
from hub.crypto.vault import PayloadVault
from hub.delivery.model import INBOX, Delivery, StoredMessage, fan_out
from hub.endpoints.model import Endpoint
from hub.errors import DuplicateKey, IdempotencyMismatch, InvalidMessage
from hub.flows.termijnen import Antwoord, Recipient, Termijn, Termijnen
from hub.flows.termijnen.service import audit_started
from hub.intake.catalogue import DAT_INFORMATIE_TYPES, validate_data
from hub.intake.envelope import JSON, CloudEvent, check_sender, format_time, parse_event
from hub.intake.hooks import IntakeHook, RoutedIntake, StoredIntake
from hub.ports import HubUnitOfWork
from hub.retention.policy import retain_until
from hub.routing.lookup import UowLookup
from hub.routing.rules import (
    AFSLUITING,
    CONSENT_SUBJECTS,
    TOEWIJZING,
    TOEWIJZING_REACTIE,
    Route,
    Router,
    RoutingContext,
    correlation_of,
    subjects_to_facts,
)
from hub.tracing import current_request_id
from tenants.directory import Directory, Snapshot
from tenants.model import Principal

log = logging.getLogger("ketenhub.intake")

INTAKE_PHASE = "intake"


#: (network id, message type, basis) → the verwerkingsregister activity id, or None.
PurposeOf = Callable[[str | None, str, str | None], str | None]


@dataclass(frozen=True)
class IntakeResult:
    answer: dict
    replayed: bool


@dataclass(frozen=True)
class _Routed:
    """An event with its recipients decided, not yet stored."""

    event: CloudEvent
    sender: str
    ctx: RoutingContext
    decisions: list[Decision]
    routes: tuple[Route, ...] = ()


#: (sender, event) — or, for an event refused at screening, (sender, the refusal).
_Item = tuple[Principal, CloudEvent | IntakeResult | Exception]


@dataclass(frozen=True)
class _Twin:
    """A repeat, inside one batch, of the event at position ``first``: answered as its replay."""

    first: int


@dataclass(frozen=True)
class _Plan:
    result: IntakeResult
    message: StoredMessage
    deliveries: list[Delivery]
    decisions: list[Decision]
    data: dict
    termijnen: list[Termijn]
    antwoorden: list[Antwoord]


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


class IntakeService:
    def __init__(self, *, uow: Callable[[], HubUnitOfWork], guard: PrivacyGuard, router: Router,
                 pdp: PolicyDecisionPoint, directory: Directory, vault: PayloadVault,
                 clock: Callable[[], datetime], max_attempts: int,
                 active_endpoints: Callable[[Sequence[str]], list[Endpoint]],
                 on_committed: Callable[[], None] = lambda: None,
                 hooks: Sequence[IntakeHook] = (),
                 termijnen: Termijnen | None = None,
                 purpose_of: PurposeOf = lambda network_id, message_type, basis: None) -> None:
        self._uow = uow
        #: The verwerkingsregister activity a message is processed under (its network's
        #: register), written as the audit entries' ``purpose``.
        self._purpose_of = purpose_of
        self._hooks = tuple(hooks)
        self._guard = guard
        self._router = router
        self._pdp = pdp
        self._directory = directory
        self._vault = vault
        self._clock = clock
        self._max_attempts = max_attempts
        self._active_endpoints = active_endpoints
        self._termijnen = termijnen
        self._on_committed = on_committed
        self._group: Coalescer[_Item, IntakeResult | Exception] = Coalescer(self._store_group)

    def accept(self, principal: Principal, raw: object) -> IntakeResult:
        """One message. Concurrent requests are stored together (group commit): each is still
        answered on its own, and a database failure fails only the requests of that batch."""
        event = self._screen(principal, raw)
        outcome = self._group.submit((principal, event))
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def _store_group(self, items: list[_Item]) -> list[IntakeResult | Exception]:
        # The common case is a new message: let the unique key find repeats, rather than
        # asking first on every message.
        return self._store_or_one_by_one(items, check_first=False)

    def _store_or_one_by_one(self, items: list[_Item], *,
                             check_first: bool) -> list[IntakeResult | Exception]:
        try:
            return self._store(items, check_first=check_first)
        except DuplicateKey:
            # A repeat (same source+id), or a concurrent twin that won the race for the answer
            # or the tenant's first data key: one by one, the second pass finds what it needs.
            return [self._store([item], check_first=True)[0] for item in items]

    def accept_many(self, principal: Principal,
                    raws: list[object]) -> list[IntakeResult | Exception]:
        """A batch: each event is checked and answered on its own, and the accepted ones are
        stored in one transaction (one commit for the batch). A refused event refuses only
        itself; a database failure fails them all (503), and nothing of the batch is stored."""
        outcomes: list[_Item] = []
        for raw in raws:
            try:
                outcomes.append((principal, self._screen(principal, raw)))
            except (InvalidMessage, PrivacyViolation) as exc:
                outcomes.append((principal, exc))
        if not any(isinstance(o, CloudEvent) for _, o in outcomes):
            return [o for _, o in outcomes]  # type: ignore[misc]
        return self._store_or_one_by_one(outcomes, check_first=True)

    def accept_on_behalf(self, principal: Principal, event_type: str, data: object,
                         source: str) -> IntakeResult:
        """A message the hub composes for a partner from an API call (a regiecheck answer by
        endpoint): the same dat-informatie rule, schema, privacy guard, routing, policy and
        storage as ``POST /messages``; only the envelope is the hub's own."""
        now = self._clock()
        raw = {"specversion": "1.0", "id": str(uuid.uuid4()), "source": source,
               "type": event_type, "time": format_time(now), "datacontenttype": JSON,
               "data": data}
        self._screen_dat_informatie(principal, raw)
        event = CloudEvent(id=raw["id"], source=source, type=event_type, specversion="1.0",
                           time=now, subject=None, datacontenttype=JSON, dataschema=None,
                           extensions={}, data=validate_data(event_type, data))  # type: ignore[arg-type]
        verdict = self._guard.scan(raw)
        if not verdict.ok:
            self._audit_rejection(principal, event.type, event.id, verdict.findings)
            raise PrivacyViolation(verdict.findings)
        outcome = self._group.submit((principal, event))
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    def _screen(self, principal: Principal, raw: object) -> CloudEvent:
        """Envelope and schema, then the privacy guard over every field as it was sent."""
        self._screen_dat_informatie(principal, raw)
        event = parse_event(raw)
        tenant = self._directory.snapshot().tenant(principal.tenant_id)
        check_sender(event, tenant.oin if tenant else None, tenant.kvk if tenant else None)
        verdict = self._guard.scan(raw)
        if not verdict.ok:
            self._audit_rejection(principal, event.type, event.id, verdict.findings)
            raise PrivacyViolation(verdict.findings)
        return event

    def _screen_dat_informatie(self, principal: Principal, raw: object) -> None:
        """Rule 3 before the schema: a field beyond dat-informatie in an answer is a privacy
        breach (``privacy.dat_informatie``), not merely an unknown field."""
        if not isinstance(raw, dict) or raw.get("type") not in DAT_INFORMATIE_TYPES:
            return
        data = raw.get("data")
        if not isinstance(data, dict):
            return
        references = DAT_INFORMATIE_TYPES[raw["type"]]
        findings = [Finding(f.rule, "/data" + f.field, f.span) for f in check_dat_informatie(
            {k: v for k, v in data.items() if k not in references})]
        if findings:
            self._audit_rejection(principal, str(raw["type"]), str(raw.get("id", "")), findings)
            raise PrivacyViolation(findings)

    def _store(self, items: Sequence[_Item], *, check_first: bool) -> list[IntakeResult | Exception]:
        """Store the events among ``items`` in one transaction, answering each in place; the
        other items (refusals from screening) pass through. Every query is one per batch, not
        one per event: earlier answers (per sender), what routing looks up, the recipients'
        endpoints, and each table's inserts."""
        now = self._clock()
        view = self._directory.snapshot()
        events = [(p.tenant_id, i) for p, i in items if isinstance(i, CloudEvent)]
        with self._uow() as uow:
            previous: dict[tuple[str, str, str], tuple[dict, str]] = {}
            if check_first:
                for sender in sorted({sender for sender, _ in events}):
                    found = uow.messages.find_answers(
                        sender, [(e.source, e.id) for s, e in events if s == sender])
                    previous.update({(sender, *key): answer for key, answer in found.items()})
            lookup = UowLookup(uow)
            if len(events) > 1:
                self._router.prefetch([(e.type, e.data) for _, e in events], lookup)
            steps: list[_Routed | _Twin | IntakeResult | Exception] = []
            first_of: dict[tuple[str, str, str], int] = {}
            for principal, item in items:
                if not isinstance(item, CloudEvent):
                    steps.append(item)
                    continue
                key = (principal.tenant_id, item.source, item.id)
                if key in previous:
                    answer, sha256 = previous[key]
                    steps.append(IntakeResult(answer, replayed=True)
                                 if _fingerprint(item) == sha256 else IdempotencyMismatch())
                elif key in first_of:
                    first = steps[first_of[key]]
                    same = isinstance(first, _Routed) and _fingerprint(first.event) == _fingerprint(item)
                    steps.append(_Twin(first_of[key]) if same else IdempotencyMismatch())
                else:
                    try:
                        steps.append(self._route(item, principal.tenant_id, now, view, lookup))
                        first_of[key] = len(steps) - 1
                    except InvalidMessage as exc:  # raised by routing before anything was written
                        steps.append(exc)
            routed = [step for step in steps if isinstance(step, _Routed)]
            endpoints = self._active_endpoints(sorted({
                d.recipient for r in routed for d in r.decisions if d.permit}))
            extras = self._hook_facts(uow, routed, now)
            planned = {id(r): self._plan(uow, r, now, endpoints, extra)
                       for r, extra in zip(routed, extras, strict=True)}
            self._write(uow, list(planned.values()), now, commits_next=True)
            uow.commit()
        results: list[IntakeResult | Exception] = []
        for step in steps:
            if isinstance(step, _Routed):
                results.append(planned[id(step)].result)
            elif isinstance(step, _Twin):
                first = planned[id(steps[step.first])].result
                results.append(IntakeResult(first.answer, replayed=True))
            else:
                results.append(step)
        if any(p.deliveries for p in planned.values()):
            self._on_committed()
        return results

    def _route(self, event: CloudEvent, sender: str, now: datetime, view: Snapshot,
               lookup: UowLookup) -> _Routed:
        ctx = RoutingContext(type=event.type, data=event.data, sender=sender, at=now,
                             directory=view, lookup=lookup)
        routes = tuple(self._router.routes(ctx))
        facts = MessageFacts(type=event.type, sender=sender, urgent=event.is_urgent,
                             subjects={r.recipient: r.subject for r in routes if r.subject},
                             justification=event.data.get("rechtvaardiging"))
        decisions = [self._pdp.decide(facts, r.recipient, now, view) for r in routes]
        decisions += [Decision(r, False, None, reason) for r, reason in ctx.denials.items()
                      if r != sender]
        return _Routed(event, sender, ctx, decisions, routes)

    def _hook_facts(self, uow: HubUnitOfWork, routed: Sequence[_Routed],
                    now: datetime) -> list[dict]:
        """Per routed message, the routing facts the hooks add: each hook is asked once for
        the whole transaction."""
        merged: list[dict] = [{} for _ in routed]
        if not self._hooks or not routed:
            return merged
        items = [RoutedIntake(r.event.type, r.sender, r.event.data,
                              tuple(d.recipient for d in r.decisions if d.permit))
                 for r in routed]
        for hook in self._hooks:
            for facts, extra in zip(merged, hook.facts(uow, items, now), strict=True):
                facts.update(extra)
        return merged

    def _plan(self, uow: HubUnitOfWork, routed: _Routed, now: datetime,
              endpoints: list[Endpoint], extra: dict) -> _Plan:
        """The rows of one routed message: the message (sealed), its deliveries, decisions;
        ``extra`` holds the hooks' routing facts."""
        event, sender = routed.event, routed.sender
        message_id = str(uuid.uuid4())
        deliveries = [delivery for d in routed.decisions if d.permit for delivery in fan_out(
            message_id, d.recipient, d.basis or "",
            [(e.connector, e.id, e.max_attempts) for e in endpoints
             if e.tenant_id == d.recipient and e.wants(event.type)],
            urgent=event.is_urgent, now=now, max_attempts=self._max_attempts,
            request_id=current_request_id())]
        routing = _routing_facts(event, routed.routes)
        termijnen, antwoorden = self._terms(message_id, routed, deliveries, routing, now)
        if termijnen:
            deadline_of: dict[str, datetime] = {}
            for x in termijnen:
                deadline_of[x.owed_by] = min(x.deadline, deadline_of.get(x.owed_by, x.deadline))
            deliveries = [replace(d, deadline=deadline_of[d.recipient])
                          if d.recipient in deadline_of else d for d in deliveries]
        answer = {"id": message_id, "status": "accepted",
                  "deliveries": [d.to_answer() for d in routed.decisions]}
        if routed.ctx.warnings:
            answer["warnings"] = [w.to_answer() for w in routed.ctx.warnings]
        routing.update(extra)
        plaintext = _canonical(event)
        sealed = self._vault.seal_message(uow.data_keys, sender, plaintext, message_id.encode())
        message = StoredMessage(
            id=message_id, sender=sender, source=event.source, event_id=event.id,
            type=event.type, urgent=event.is_urgent, received_at=now,
            key_version=sealed.key_version, payload=sealed.blob,
            payload_sha256=hashlib.sha256(plaintext).hexdigest(),
            routing=routing, answer=answer, correlation=_correlation(event),
            wrapped_key=sealed.wrapped_key,
            retain_until=retain_until(now, routed.decisions, routed.ctx.directory.bewaartermijnen,
                                      _consent_terms(routed.routes)))
        return _Plan(IntakeResult(answer, replayed=False), message, deliveries, routed.decisions,
                     event.data, termijnen, antwoorden)

    def _terms(self, message_id: str, routed: _Routed, deliveries: list[Delivery], routing: dict,
               now: datetime) -> tuple[list[Termijn], list[Antwoord]]:
        """The terms this message opens (per permitted recipient its flow applies to) and the
        running terms it may meet as an answer."""
        if self._termijnen is None:
            return [], []
        event = routed.event
        inbox_of = {d.recipient: d.id for d in deliveries if d.connector == INBOX}
        recipients = [Recipient(d.recipient, d.network_id, inbox_of.get(d.recipient))
                      for d in routed.decisions if d.permit]
        termijnen = self._termijnen.plan(
            message_id=message_id, message_type=event.type, data=event.data, sender=routed.sender,
            recipients=recipients, received_at=now, view=routed.ctx.directory,
            pc4=int(routing["pc4"]) if routing.get("pc4") else None)
        return termijnen, self._termijnen.answers(event.type, event.data)

    def _write(self, uow: HubUnitOfWork, plans: list[_Plan], now: datetime, *,
               commits_next: bool = False) -> None:
        """Every row of the batch, one statement per table (an adapter may send them in one
        round trip; ``commits_next``: with the audit entries, the caller commits next)."""
        if not plans:
            return
        deliveries = [d for p in plans for d in p.deliveries]
        # Nothing here reads what it writes: an adapter may send it all in one round trip.
        with uow.deferred_writes(with_audit=commits_next):
            uow.messages.add_many([p.message for p in plans])
            uow.deliveries.add_many(deliveries, dispatched_at=now)
            uow.decisions.add_many([(p.message.id, d) for p in plans for d in p.decisions],
                                   INTAKE_PHASE, now)
            uow.outbox.add_many([(d.id, d.queue) for d in deliveries], now)
            _audit_accepted(uow, plans, now, self._purpose_of)
            if self._hooks:
                stored = [StoredIntake(p.message, p.data,
                                       tuple(d.recipient for d in p.decisions if d.permit))
                          for p in plans]
                for hook in self._hooks:
                    hook.stored(uow, stored, now)
            termijnen = [x for p in plans for x in p.termijnen]
            if termijnen:
                uow.termijnen.add_many(termijnen)
                audit_started(uow, termijnen, now)
        for p in plans:
            if p.antwoorden and self._termijnen is not None:
                self._termijnen.meet(uow, answered_by=p.message.sender, antwoorden=p.antwoorden,
                                     message_id=p.message.id, at=now)
        for p in plans:
            log.info("message accepted", extra={
                "message_id": p.message.id, "sender": p.message.sender, "type": p.message.type,
                "deliveries": len(p.deliveries), "denied": sum(not d.permit for d in p.decisions)})

    def emit(self, uow: HubUnitOfWork, event: CloudEvent, sender: str,
             decisions: Sequence[Decision], now: datetime, *,
             deadline: datetime | None = None) -> StoredMessage:
        """Store a message a flow writes itself (a regiecheck question, reminder, expiry) in
        the caller's transaction, exactly as intake stores one: sealed, with a delivery per
        permitted recipient's inbox and push endpoints, the decisions and the outbox rows.
        ``deadline`` is shown with each delivery (the inbox's ``deadline``)."""
        return self.emit_many(uow, [(event, sender, decisions)], now, deadline=deadline)[0]

    def emit_many(self, uow: HubUnitOfWork,
                  items: Sequence[tuple[CloudEvent, str, Sequence[Decision]]], now: datetime, *,
                  deadline: datetime | None = None) -> list[StoredMessage]:
        """``emit`` for several messages at once: one statement per table for all of them."""
        endpoints = self._active_endpoints(sorted({
            d.recipient for _, _, decisions in items for d in decisions if d.permit}))
        view, lookup = self._directory.snapshot(), UowLookup(uow)
        routed = [_Routed(event, sender, RoutingContext(
            type=event.type, data=event.data, sender=sender, at=now, directory=view,
            lookup=lookup), list(decisions)) for event, sender, decisions in items]
        plans = []
        for r, extra in zip(routed, self._hook_facts(uow, routed, now), strict=True):
            plan = self._plan(uow, r, now, endpoints, extra)
            if deadline is not None:
                plan = replace(plan, deliveries=[replace(d, deadline=deadline)
                                                 for d in plan.deliveries])
            plans.append(plan)
        self._write(uow, plans, now)
        return [p.message for p in plans]

    def wake(self) -> None:
        """Tell the outbox relay that messages were committed (call after ``emit``'s commit)."""
        self._on_committed()

    def _audit_rejection(self, principal: Principal, event_type: str, event_id: str,
                         findings: Sequence[Finding]) -> None:
        with self._uow() as uow:
            uow.audit.record(action="message.rejected", tenant_id=principal.tenant_id,
                             actor=principal.key_id, subject_id=None, at=self._clock(), facts={
                                 "type": event_type, "event_id_sha256": _hash(event_id),
                                 "findings": [{"rule": f.rule, "field": f.field} for f in findings]})
            uow.commit()
        log.info("message rejected", extra={"sender": principal.tenant_id,
                                            "rules": sorted({f.rule for f in findings})})


def _audit_accepted(uow: HubUnitOfWork, plans: list[_Plan], now: datetime,
                    purpose_of: PurposeOf) -> None:
    """One entry per accepted message (the sender's processing) and one per decision (the
    recipient's): ids, type, hash and basis, never the payload."""
    for p in plans:
        m = p.message
        first = next((d for d in p.decisions if d.permit), None)
        uow.audit.record(action="message.accepted", tenant_id=m.sender, actor=None,
                         subject_id=m.id, trace_id=m.id, at=now,
                         purpose=purpose_of(first.network_id if first else None, m.type,
                                            first.basis if first else None), facts={
                             "type": m.type, "payload_sha256": m.payload_sha256,
                             "recipients": len(p.decisions)})
        for d in p.decisions:
            uow.audit.record(action="decision.recorded", tenant_id=d.recipient, actor=None,
                             subject_id=m.id, trace_id=m.id, basis=d.basis, at=now,
                             purpose=purpose_of(d.network_id, m.type, d.basis),
                             subject_ref=d.client_ref, facts={
                                 "phase": INTAKE_PHASE, "decision": "permit" if d.permit
                                 else "deny", "reason": d.reason, "sender": m.sender,
                                 "type": m.type})


def _consent_terms(routes: Sequence[Route]) -> dict[tuple[str, int], datetime]:
    """The term of each consent version the routes' decisions may rest on."""
    return {(c.id, c.version): c.valid_until for r in routes if r.subject
            for c in r.subject.consents}


def _canonical(event: CloudEvent) -> bytes:
    """The normalised event as stored: compact JSON with sorted keys, so that the same message
    always has the same bytes and SHA-256 (the idempotency check compares them)."""
    return json.dumps(event.to_dict(), separators=(",", ":"), sort_keys=True).encode("utf-8")


def _fingerprint(event: CloudEvent) -> str:
    return hashlib.sha256(_canonical(event)).hexdigest()


def _routing_facts(event: CloudEvent, routes: Sequence[Route]) -> dict:
    """Facts routing, the delivery-time re-check and statistics use later: no personal data
    (PC4 only; clients by pseudonym)."""
    facts: dict = {}
    if (event.data.get("rechtvaardiging") or "").strip():
        facts["justified"] = True
    subjects = subjects_to_facts(routes)
    if subjects:
        facts[CONSENT_SUBJECTS] = subjects
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
