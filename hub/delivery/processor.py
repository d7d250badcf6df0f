"""One delivery attempt: claim it in the database (the truth), re-check the policy, hand it to
its connector, record the attempt and the new state. The bus message only says "look at id X"."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import datetime, timedelta
from functools import partial

from connectors.base import AttemptResult, Connector, DeliveryRequest
from consent.policy import Decision, PolicyDecisionPoint
from hub.crypto.vault import PayloadVault
from hub.delivery.isolation import EndpointGate, IsolationSettings
from hub.delivery.model import (
    AttemptRecord,
    Delivery,
    DeliveryStatus,
    Outcome,
    StoredMessage,
    delivery_identity,
)
from hub.delivery.observe import AttemptObserver, NoObserver
from hub.delivery.recheck import DELIVERY_PHASE, facts_now
from hub.delivery.retry import RetryPolicy
from hub.endpoints.model import ResolvedEndpoint
from hub.endpoints.service import EndpointService
from hub.flows.samenloop.hook import samenloop_for
from hub.ports import HubUnitOfWork
from hub.tracing import call_carried, carried
from tenants.directory import Directory, Snapshot

log = logging.getLogger("ketenhub.delivery")

#: CloudEvents extension attribute carrying the hub's message id on pushed events.
MESSAGE_ID_EXTENSION = "khmessageid"
#: The meldpunt's samenloop on a pushed signaal (the inbox item's ``samenloop``, the same object).
SAMENLOOP_EXTENSION = "samenloop"
#: Push attempts that end within this many seconds are recorded together; slower ones each
#: record themselves when they end, and the consumer moves on meanwhile.
RECORD_EVERY_S = 1.0
#: What the batch waits for the chains of an endpoint whose last attempt failed.
SUSPECT_GRACE_S = 0.25


class DeliveryProcessor:
    def __init__(self, *, uow: Callable[[], HubUnitOfWork], vault: PayloadVault,
                 pdp: PolicyDecisionPoint, directory: Directory, endpoints: EndpointService,
                 connectors: Mapping[str, Connector],
                 retry: RetryPolicy, clock: Callable[[], datetime], lease: timedelta,
                 on_dead: Callable[[Delivery], None] = lambda d: None,
                 isolation: IsolationSettings | None = None, push_concurrency: int = 16,
                 disable_after: timedelta = timedelta(days=3),
                 observer: AttemptObserver | None = None) -> None:
        self._uow = uow
        #: The process's delivery metrics (attempts by outcome, durations, retries, dead).
        self._observer = observer or NoObserver()
        self._vault = vault
        self._pdp = pdp
        self._directory = directory
        self._endpoints = endpoints
        self._connectors = connectors
        self._retry = retry
        self._clock = clock
        self._lease = lease
        self._on_dead = on_dead
        #: Per endpoint: attempts in flight and a circuit breaker (this process's view).
        self._gate = EndpointGate(isolation or IsolationSettings())
        #: Push attempts of a batch run side by side on this pool.
        self._pool = ThreadPoolExecutor(max_workers=max(1, push_concurrency),
                                        thread_name_prefix="ketenhub-push")
        self._slots = threading.BoundedSemaphore(max(1, push_concurrency))
        #: An endpoint failing every attempt for this long is disabled, with an alert.
        self._disable_after = disable_after

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
            denied: dict[tuple[str, str], Decision] = {}
            for delivery in claimed:
                with carried(delivery.request_id):
                    message = messages[delivery.message_id]
                    decision = self._pdp.decide(facts_now(uow, message, delivery.recipient),
                                                delivery.recipient, now, view)
                    if not decision.permit:
                        # The outcome changed since it was last decided: recorded, once per
                        # recipient of the batch (its inbox and endpoint deliveries block together).
                        self._block(uow, delivery, decision.reason, now, decision)
                        denied.setdefault((message.id, delivery.recipient), decision)
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
            uow.decisions.add_once_many([(message_id, DELIVERY_PHASE, decision)
                                         for (message_id, _), decision in denied.items()], now)
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
        for d, r, decision in done:
            _audit_attempt(uow, d, Outcome.SUCCESS, None, decision, now)
            self._observer.attempted(d.connector, Outcome.SUCCESS.value, r.duration_ms / 1000,
                                     DeliveryStatus.DELIVERED.value)
        uow.deliveries.mark_delivered([d.id for d, _, _ in done], now)
        uow.decisions.add_once_many([(d.message_id, DELIVERY_PHASE, decision)
                                     for d, _, decision in done], now)

    def _push_many(self, pushes: Sequence[tuple[Delivery, Decision]], view: Snapshot) -> None:
        """One attempt per push delivery, holding no transaction while on the wire: their
        messages and endpoints are loaded in one transaction, the attempts run side by side on
        the push pool, and the results are recorded together in another transaction (those
        that take longer than ``RECORD_EVERY_S`` each on their own when they end)."""
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
            events = {m.id: json.loads(self._vault.open_message(
                uow.data_keys, m.sender, m.key_version, m.wrapped_key, m.payload, m.id.encode()))
                for m in messages.values() if not m.shredded}
            uow.commit()
        results: list[tuple[Delivery, Decision, AttemptResult | None]] = []
        by_endpoint: dict[str, list[tuple[Delivery, Decision, Callable[[], AttemptResult]]]] = {}
        for delivery, decision in pushes:
            message = messages[delivery.message_id]
            if message.shredded:  # retention destroyed its key: nothing left to send
                results.append((delivery, decision,
                                AttemptResult(Outcome.PERMANENT, 0, "bericht.vernietigd")))
                continue
            target = targets.get(delivery.endpoint_id) if delivery.endpoint_id else None
            if delivery.endpoint_id and target is None:
                results.append((delivery, decision,
                                AttemptResult(Outcome.PERMANENT, 0, "endpoint.disabled")))
                continue
            # The hub's message id travels as a CloudEvents extension, so a receiver can answer
            # (signaal.reactie's signaal_id) and look the message up, as inbox items carry it.
            event = {**events[message.id], MESSAGE_ID_EXTENSION: message.id}
            # A meldpunt's samenloop rides along on every channel, as on its inbox item;
            # stored per recipient, so no other partner ever gets it.
            samenloop = samenloop_for(message.routing, delivery.recipient)
            if samenloop is not None:
                event[SAMENLOOP_EXTENSION] = samenloop
            request = self._request(delivery, message, event, view, target)
            send = partial(call_carried, delivery.request_id,
                           partial(self._connectors[delivery.connector].deliver, request))
            by_endpoint.setdefault(delivery.endpoint_id or "", []).append((delivery, decision, send))
        # Each endpoint's attempts run in at most its limit of chains side by side; an endpoint
        # with no free slot (still busy from earlier batches) or an open breaker has its
        # deliveries deferred to the database. What finishes within RECORD_EVERY_S is recorded
        # together; a slower chain records itself when it ends, so the consumer moves on and a
        # slow receiver holds up nobody else (its claims' leases keep others off them).
        chains: dict[Future[list[AttemptResult | None]], list[tuple[Delivery, Decision]]] = {}
        ends: dict[Future[list[AttemptResult | None]], str] = {}
        for endpoint_id, items in by_endpoint.items():
            slots = self._gate.reserve(endpoint_id, len(items))
            if slots == 0:
                results += [(delivery, decision, None) for delivery, decision, _ in items]
                continue
            for k in range(slots):
                chain = items[k::slots]
                self._slots.acquire()  # back-pressure: every push thread busy, we wait
                future = self._pool.submit(self._gate.run_chain, endpoint_id,
                                           [send for _, _, send in chain])
                future.add_done_callback(lambda _: self._slots.release())
                chains[future] = [(delivery, decision) for delivery, decision, _ in chain]
                ends[future] = endpoint_id
        # Chains of an endpoint whose last attempt failed get only a short grace (a receiver
        # that fails fast is still recorded with the batch): a hanging receiver would otherwise
        # hold up, once per batch, everything queued behind that batch.
        suspect = {f for f, endpoint_id in ends.items() if self._gate.suspect(endpoint_id)}
        wait([f for f in chains if f not in suspect], timeout=RECORD_EVERY_S)
        if suspect:
            wait(suspect, timeout=SUSPECT_GRACE_S)
        done = {future for future in chains if future.done()}
        pending = [future for future in chains if future not in done]
        for future in done:
            results += [(*item, result) for item, result in zip(chains[future], future.result(),
                                                                 strict=True)]
        self._record_pushes(results)
        for future in pending:
            future.add_done_callback(partial(self._record_late, chains[future]))

    def _record_late(self, items: list[tuple[Delivery, Decision]],
                     future: Future[list[AttemptResult | None]]) -> None:
        try:
            self._record_pushes([(*item, result) for item, result in zip(
                items, future.result(), strict=True)])
        except Exception:  # noqa: BLE001 - left to the lease and the reconciler
            log.exception("recording slow attempts failed", extra={"count": len(items)})

    def _record_pushes(self,
                       results: Sequence[tuple[Delivery, Decision, AttemptResult | None]]) -> None:
        """Record finished attempts; a delivery the endpoint gate did not admit (``None``)
        waits in the database for its endpoint, its attempt not counted."""
        if not results:
            return
        changed = False
        with self._uow() as uow:
            now = self._clock()
            self._record_successes(uow, [(d, r, decision) for d, decision, r in results
                                         if r is not None and r.outcome == Outcome.SUCCESS], now)
            uow.endpoints.note_success(sorted({
                d.endpoint_id for d, _, r in results
                if d.endpoint_id and r is not None and r.outcome == Outcome.SUCCESS}))
            deferred: dict[datetime, list[str]] = {}
            disabled: set[str] = set()
            for delivery, decision, result in results:
                if result is None:
                    until = now + timedelta(seconds=self._gate.retry_in(delivery.endpoint_id))
                    deferred.setdefault(until, []).append(delivery.id)
                    continue
                if result.outcome == Outcome.SUCCESS:
                    continue
                with carried(delivery.request_id):
                    self._record(uow, delivery, result, now, decision)
                endpoint_id = delivery.endpoint_id
                if not endpoint_id or endpoint_id in disabled:
                    continue
                if result.disable_endpoint:
                    disabled.add(endpoint_id)
                    self._disable(uow, delivery, "gone", result.error_code, now)
                elif result.outcome == Outcome.RETRYABLE:
                    since = uow.endpoints.note_failure(endpoint_id, now)
                    if since is not None and now - since >= self._disable_after:
                        disabled.add(endpoint_id)
                        self._disable(uow, delivery, "failing", result.error_code, now)
            for until, ids in deferred.items():
                uow.deliveries.defer_many(ids, until)
            uow.commit()
            changed = bool(disabled)
        if changed:
            self._endpoints.forget()

    @staticmethod
    def _disable(uow: HubUnitOfWork, delivery: Delivery, reason: str, error_code: str | None,
                 now: datetime) -> None:
        """Gone (410) or failing for longer than allowed: the endpoint is disabled, the tenant
        alerted; its deliveries end dead with ``endpoint.disabled`` when next tried."""
        uow.endpoints.deactivate(delivery.endpoint_id, reason, now)
        uow.alerts.raise_alert(kind=f"endpoint.{reason}", tenant_id=delivery.recipient,
                               subject_id=delivery.endpoint_id, detail=error_code, at=now)

    def close(self) -> None:
        """Stop the push pool after the attempts in hand."""
        self._pool.shutdown(wait=True)

    @staticmethod
    def _request(d: Delivery, m: StoredMessage, event: dict | None, view: Snapshot,
                 target: ResolvedEndpoint | None = None) -> DeliveryRequest:
        sender = view.tenant(m.sender)
        # Every channel carries the recipient's one id of this message (its inbox item's).
        return DeliveryRequest(delivery_id=delivery_identity(m.id, d.recipient), message_id=m.id,
                               recipient=d.recipient,
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
        retry = outcome is Outcome.RETRYABLE and not self._retry.exhausted(d.attempts,
                                                                           d.max_attempts)
        state = DeliveryStatus.DELIVERED if outcome is Outcome.SUCCESS else \
            DeliveryStatus.RETRYING if retry else DeliveryStatus.DEAD
        self._observer.attempted(d.connector, outcome.value, result.duration_ms / 1000,
                                 state.value)
        if outcome is Outcome.SUCCESS:
            uow.deliveries.finish(d.id, status=DeliveryStatus.DELIVERED, now=now)
            if decision is not None:
                uow.decisions.add_once(d.message_id, DELIVERY_PHASE, decision, now)
        elif retry:
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

    def _block(self, uow: HubUnitOfWork, d: Delivery, reason: str, now: datetime,
               decision: Decision | None = None) -> None:
        self._observer.attempted(d.connector, Outcome.BLOCKED.value, 0.0,
                                 DeliveryStatus.BLOCKED.value)
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
