"""One delivery attempt: claim it in the database (the truth), re-check the policy, hand it to
its connector, record the attempt and the new state. The bus message only says "look at id X"."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from connectors.base import AttemptResult, Connector, DeliveryRequest
from consent.policy import Decision, MessageFacts, PolicyDecisionPoint
from hub.crypto.vault import PayloadVault
from hub.delivery.model import AttemptRecord, Delivery, DeliveryStatus, Outcome, StoredMessage
from hub.delivery.retry import RetryPolicy
from hub.endpoints.model import ResolvedEndpoint
from hub.endpoints.service import EndpointService
from hub.ports import HubUnitOfWork
from hub.routing.rules import subject_from_facts
from tenants.directory import Directory, Snapshot

log = logging.getLogger("ketenhub.delivery")

DELIVERY_PHASE = "delivery"
#: CloudEvents extension attribute carrying the hub's message id on pushed events.
MESSAGE_ID_EXTENSION = "khmessageid"
#: Push results are recorded at least this often while a batch is on the wire (seconds).
RECORD_EVERY_S = 1.0


class DeliveryProcessor:
    def __init__(self, *, uow: Callable[[], HubUnitOfWork], vault: PayloadVault,
                 pdp: PolicyDecisionPoint, directory: Directory, endpoints: EndpointService,
                 connectors: Mapping[str, Connector],
                 retry: RetryPolicy, clock: Callable[[], datetime], lease: timedelta,
                 on_dead: Callable[[Delivery], None] = lambda d: None) -> None:
        self._uow = uow
        self._vault = vault
        self._pdp = pdp
        self._directory = directory
        self._endpoints = endpoints
        self._connectors = connectors
        self._retry = retry
        self._clock = clock
        self._lease = lease
        self._on_dead = on_dead

    def process(self, delivery_id: str) -> None:
        """Attempt the delivery once if it is due and nobody else holds it."""
        self.process_many([delivery_id])

    def process_many(self, delivery_ids: Sequence[str]) -> None:
        """Attempt each delivery once if it is due and nobody else holds it. Deliveries that
        never leave the database (the inbox) are claimed, re-checked and placed together in one
        transaction; push deliveries are then attempted one by one outside it."""
        now = self._clock()
        view = self._directory.snapshot()
        pushes: list[tuple[Delivery, Decision]] = []
        with self._uow() as uow:
            claimed = uow.deliveries.claim_many(delivery_ids, now, now + self._lease)
            if not claimed:
                return
            messages = uow.messages.get_many_without_payload([d.message_id for d in claimed])
            placed: list[tuple[Delivery, AttemptResult, Decision]] = []
            for delivery in claimed:
                message = messages[delivery.message_id]
                decision = self._pdp.decide(self._facts(uow, message, delivery.recipient),
                                            delivery.recipient, now, view)
                if not decision.permit:
                    self._block(uow, delivery, decision.reason, now, decision)
                    uow.decisions.add_once(message.id, DELIVERY_PHASE, decision, now)
                    continue
                connector = self._connectors[delivery.connector]
                if connector.needs_payload:
                    pushes.append((delivery, decision))
                    continue
                result = connector.deliver(self._request(delivery, message, None, view))
                if result.outcome == Outcome.SUCCESS:
                    placed.append((delivery, result, decision))
                else:
                    self._record(uow, delivery, result, now, decision)
            self._record_successes(uow, placed, now)
            uow.commit()
        if pushes:
            self._push_many(pushes, view)

    def _record_successes(self, uow: HubUnitOfWork,
                          done: Sequence[tuple[Delivery, AttemptResult, Decision]],
                          now: datetime) -> None:
        """Attempts, the delivered state and the delivery-phase decisions of a batch: one
        statement each."""
        if not done:
            return
        uow.attempts.add_many([AttemptRecord(d.id, d.attempts, now, r.duration_ms,
                                             Outcome.SUCCESS, None, r.response_status)
                               for d, r, _ in done])
        for d, _, decision in done:
            _audit_attempt(uow, d, Outcome.SUCCESS, None, decision, now)
        uow.deliveries.mark_delivered([d.id for d, _, _ in done], now)
        uow.decisions.add_once_many([(d.message_id, DELIVERY_PHASE, decision)
                                     for d, _, decision in done], now)

    def _push_many(self, pushes: Sequence[tuple[Delivery, Decision]], view: Snapshot) -> None:
        """One attempt per push delivery, holding no transaction while on the wire: their
        messages and endpoints are loaded in one transaction, the results recorded in another
        (every ``RECORD_EVERY_S`` at the latest, so a slow receiver does not keep finished
        attempts unrecorded)."""
        now = self._clock()
        with self._uow() as uow:
            messages = uow.messages.get_many([d.message_id for d, _ in pushes])
            #: endpoint id → the endpoint to push to, None when it is gone or disabled.
            targets: dict[str, ResolvedEndpoint | None] = {}
            for delivery, _ in pushes:
                if delivery.endpoint_id and delivery.endpoint_id not in targets:
                    resolved = self._endpoints.resolve(uow, delivery.endpoint_id,
                                                       delivery.recipient, now)
                    targets[delivery.endpoint_id] = (
                        resolved if resolved is not None and resolved.endpoint.active else None)
            events = {m.id: json.loads(self._vault.open(uow.data_keys, m.sender, m.key_version,
                                                        m.payload, m.id.encode()))
                      for m in messages.values()}
            inbox_ids = self._inbox_items(uow, [d for d, _ in pushes if d.connector == "smtp"])
            uow.commit()
        results: list[tuple[Delivery, Decision, AttemptResult]] = []
        record_at = time.monotonic() + RECORD_EVERY_S
        for delivery, decision in pushes:
            message = messages[delivery.message_id]
            target = targets.get(delivery.endpoint_id) if delivery.endpoint_id else None
            if delivery.endpoint_id and target is None:
                result = AttemptResult(Outcome.PERMANENT, 0, "endpoint.disabled")
            else:
                # The hub's message id travels as a CloudEvents extension, so a receiver can
                # answer (signaal.reactie's signaal_id) and look the message up, as inbox items
                # carry it too.
                event = {**events[message.id], MESSAGE_ID_EXTENSION: message.id}
                request = self._request(delivery, message, event, view, target)
                inbox_id = inbox_ids.get((delivery.message_id, delivery.recipient))
                if inbox_id:
                    request = replace(request, inbox_delivery_id=inbox_id)
                result = self._connectors[delivery.connector].deliver(request)
            results.append((delivery, decision, result))
            if time.monotonic() >= record_at:
                self._record_pushes(results)
                results, record_at = [], time.monotonic() + RECORD_EVERY_S
        self._record_pushes(results)

    @staticmethod
    def _inbox_items(uow: HubUnitOfWork, deliveries: Sequence[Delivery]) -> dict[tuple[str, str], str]:
        """(message id, recipient) → the id of the recipient's inbox item of that message: the
        e-mail notification links to it (the web's message page)."""
        found: dict[tuple[str, str], str] = {}
        for message_id in {d.message_id for d in deliveries}:
            for d in uow.deliveries.for_message(message_id):
                if d.connector == "inbox":
                    found[(message_id, d.recipient)] = d.id
        return found

    def _record_pushes(self, results: Sequence[tuple[Delivery, Decision, AttemptResult]]) -> None:
        if not results:
            return
        gone = False
        with self._uow() as uow:
            now = self._clock()
            self._record_successes(uow, [(d, r, decision) for d, decision, r in results
                                         if r.outcome == Outcome.SUCCESS], now)
            for delivery, decision, result in results:
                if result.outcome == Outcome.SUCCESS:
                    continue
                self._record(uow, delivery, result, now, decision)
                if result.disable_endpoint and delivery.endpoint_id:
                    gone = True
                    uow.endpoints.deactivate(delivery.endpoint_id, "gone", now)
                    uow.alerts.raise_alert(kind="endpoint.gone", tenant_id=delivery.recipient,
                                           subject_id=delivery.endpoint_id,
                                           detail=result.error_code, at=now)
            uow.commit()
        if gone:
            self._endpoints.forget()

    @staticmethod
    def _facts(uow: HubUnitOfWork, message: StoredMessage, recipient: str) -> MessageFacts:
        """The facts as at intake, with the client's consents as they are *now*."""
        subject = subject_from_facts(message.routing, recipient, uow.consents.for_client)
        return MessageFacts(type=message.type, sender=message.sender, urgent=message.urgent,
                            subjects={recipient: subject} if subject else {},
                            justification="on record" if message.routing.get("justified") else None,
                            network_id=message.routing.get("hub_network"))

    @staticmethod
    def _request(d: Delivery, m: StoredMessage, event: dict | None, view: Snapshot,
                 target: ResolvedEndpoint | None = None) -> DeliveryRequest:
        sender = view.tenant(m.sender)
        return DeliveryRequest(delivery_id=d.id, message_id=m.id, recipient=d.recipient,
                               sender=m.sender, attempt=d.attempts, event=event, deadline=d.deadline,
                               endpoint_config=target.endpoint.config if target else {},
                               endpoint_id=d.endpoint_id,
                               secrets=target.signing if target else (),
                               secret_config=target.secret_config if target else {},
                               sender_name=sender.name if sender else None)

    def _record(self, uow: HubUnitOfWork, d: Delivery, result: AttemptResult,
                now: datetime, decision: Decision | None = None) -> Outcome:
        outcome = Outcome(result.outcome)
        uow.attempts.add(AttemptRecord(d.id, d.attempts, now, result.duration_ms, outcome,
                                       result.error_code, result.response_status))
        _audit_attempt(uow, d, outcome, result.error_code, decision, now)
        if outcome is Outcome.SUCCESS:
            uow.deliveries.finish(d.id, status=DeliveryStatus.DELIVERED, now=now)
            if decision is not None:
                uow.decisions.add_once(d.message_id, DELIVERY_PHASE, decision, now)
        elif outcome is Outcome.RETRYABLE and not self._retry.exhausted(d.attempts, d.max_attempts):
            uow.deliveries.finish(d.id, status=DeliveryStatus.RETRYING, now=now,
                                  next_attempt_at=now + self._retry.delay(d.attempts,
                                                                         result.retry_after_s),
                                  error=result.error_code)
        else:
            reason = "max attempts" if outcome is Outcome.RETRYABLE else "permanent failure"
            uow.deliveries.finish(d.id, status=DeliveryStatus.DEAD, now=now,
                                  error=result.error_code, reason=reason)
            uow.alerts.raise_alert(kind="delivery.dead", tenant_id=d.recipient, subject_id=d.id,
                                   detail=result.error_code, at=now)
            log.error("delivery dead", extra={"delivery_id": d.id, "recipient": d.recipient,
                                              "attempts": d.attempts, "error_code": result.error_code})
            self._on_dead(d)
            return Outcome.PERMANENT if outcome is Outcome.PERMANENT else Outcome.RETRYABLE
        return outcome

    @staticmethod
    def _block(uow: HubUnitOfWork, d: Delivery, reason: str, now: datetime,
               decision: Decision | None = None) -> None:
        uow.attempts.add(AttemptRecord(d.id, d.attempts, now, 0, Outcome.BLOCKED, "policy.deny"))
        _audit_attempt(uow, d, Outcome.BLOCKED, "policy.deny", decision, now)
        uow.deliveries.finish(d.id, status=DeliveryStatus.BLOCKED, now=now, reason=reason)
        log.info("delivery blocked", extra={"delivery_id": d.id, "recipient": d.recipient,
                                            "reason": reason})


def _audit_attempt(uow: HubUnitOfWork, d: Delivery, outcome: Outcome, error: str | None,
                   decision: Decision | None, now: datetime) -> None:
    """One entry per delivery attempt, with the delivery-time re-check's decision and basis."""
    uow.audit.record(action="delivery.attempted", tenant_id=d.recipient, actor=None,
                     subject_id=d.id, trace_id=d.message_id, at=now,
                     basis=decision.basis if decision is not None else (d.basis or None),
                     subject_ref=decision.client_ref if decision is not None else None,
                     facts={"attempt": d.attempts, "connector": d.connector,
                            "outcome": outcome.value, "error": error,
                            "decision": None if decision is None
                            else ("permit" if decision.permit else "deny")})
