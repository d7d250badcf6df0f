"""Ports: what the hub's pipeline services need from storage. Adapters live in
``hub.persistence`` (SQL) and ``hub.memory`` (in-memory double for unit tests).

The hub's unit of work combines the tenants' and the consent registry's ports with the
pipeline's own repositories, all in one transaction. A write that breaks a unique key raises
``hub.errors.DuplicateKey`` in every adapter; nothing above the adapters sees a driver error.
"""

from __future__ import annotations

import abc
import contextlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from consent.policy import Decision
from consent.ports import ConsentUnitOfWork
from hub.alerts.model import Alert
from hub.audit.chain import ChainedEntry
from hub.delivery.model import AttemptRecord, Delivery, DeliveryStatus, StoredMessage
from hub.endpoints.model import Endpoint
from hub.flows.regiecheck.ports import RegiecheckRepository
from hub.flows.samenloop.ports import SamenloopRepository
from hub.flows.termijnen.ports import TermijnRepository
from hub.flows.zaken.ports import ZaakRepository
from hub.inzage.ports import SubjectRepository
from hub.retention.ports import RetentionRepository
from hub.stats.ports import StatsRepository
from tenants.ports import ProcessingLog, TenantsUnitOfWork


class DataKeyRepository(abc.ABC):
    """The tenants' data keys, wrapped by the master key (see ``hub.crypto.vault``)."""

    @abc.abstractmethod
    def current(self, tenant_id: str) -> tuple[int, bytes] | None:
        """(version, wrapped key) of the tenant's newest unretired key."""

    @abc.abstractmethod
    def get(self, tenant_id: str, version: int) -> bytes | None: ...

    @abc.abstractmethod
    def add(self, tenant_id: str, version: int, wrapped: bytes, master_key_id: str,
            at: datetime) -> None:
        """Raises ``DuplicateKey`` when the tenant has that version already."""

    @abc.abstractmethod
    def retire_before(self, tenant_id: str, version: int, at: datetime) -> int:
        """Retire the tenant's keys older than ``version``: they open old payloads, no longer
        seal new ones. Returns how many were retired now."""

    @abc.abstractmethod
    def wrapped_by_other(self, master_key_id: str, limit: int) -> list[tuple[str, int, bytes]]:
        """(tenant, version, wrapped key) of keys not wrapped by ``master_key_id``, locked for
        re-wrapping (on PostgreSQL skipping rows another process holds)."""

    @abc.abstractmethod
    def rewrap(self, tenant_id: str, version: int, wrapped: bytes, master_key_id: str) -> None:
        """Store a key re-wrapped by the master key ``master_key_id``."""

    @abc.abstractmethod
    def count_by_master(self) -> dict[str, int]:
        """How many data keys each master key (by id) wraps."""

    @abc.abstractmethod
    def get_secret(self, name: str) -> tuple[bytes, str] | None:
        """(wrapped, master key id) of a hub-wide secret."""

    @abc.abstractmethod
    def put_secret(self, name: str, wrapped: bytes, master_key_id: str, at: datetime) -> None:
        """Store (or replace) a hub-wide secret wrapped by the master key."""


class MessageRepository(abc.ABC):
    @abc.abstractmethod
    def add_many(self, messages: Sequence[StoredMessage]) -> None:
        """Raises ``DuplicateKey`` on a repeated id or (sender, source, event id)."""

    def add(self, message: StoredMessage) -> None:
        self.add_many([message])

    @abc.abstractmethod
    def get(self, message_id: str) -> StoredMessage | None: ...

    @abc.abstractmethod
    def get_many(self, ids: Sequence[str]) -> dict[str, StoredMessage]:
        """Messages by id; unknown ids are left out."""

    @abc.abstractmethod
    def get_many_without_payload(self, ids: Sequence[str]) -> dict[str, StoredMessage]:
        """Messages by id, leaving the (possibly large) ciphertext out (``payload == b""``)."""

    @abc.abstractmethod
    def find_answers(self, sender: str,
                     keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], tuple[dict, str]]:
        """The stored answers of the sender's earlier messages by (source, event id), each with
        the SHA-256 of the message it answered (a repeat must be the same message)."""

    @abc.abstractmethod
    def recipients_of(self, message_id: str) -> tuple[str, list[str]] | None:
        """(sender, recipients with a delivery) of a message; None when unknown."""

    @abc.abstractmethod
    def correlated_recipients(self, message_type: str, correlation: str, sender: str) -> list[str]:
        """Recipients (sorted, distinct) of the sender's messages of this type and correlation."""

    @abc.abstractmethod
    def correlated_senders(self, message_type: str, correlation: str, recipient: str) -> list[str]:
        """Senders (sorted, distinct) of messages of this type and correlation that went to
        ``recipient`` (e.g. the meldpunt that asked this partner to take up a case)."""

    @abc.abstractmethod
    def correlated_received(self, message_type: str, correlation: str,
                            recipient: str) -> dict[str, str]:
        """Message id → sender of the messages of this type and correlation that went to
        ``recipient`` (the toewijzingen of a zaak a partner was asked to take up)."""


class DeliveryRepository(abc.ABC):
    """Deliveries and their state machine. Besides the ``Delivery`` fields an adapter keeps a
    lease (``lease_until``) and when it was last dispatched (``dispatched_at``)."""

    @abc.abstractmethod
    def add_many(self, items: Sequence[Delivery], dispatched_at: datetime) -> None: ...

    @abc.abstractmethod
    def get(self, delivery_id: str) -> Delivery | None: ...

    @abc.abstractmethod
    def for_message(self, message_id: str) -> list[Delivery]:
        """The message's deliveries ordered by recipient."""

    def for_messages(self, message_ids: Sequence[str]) -> dict[str, list[Delivery]]:
        """``for_message`` for several messages (adapters: one query); every id is a key."""
        return {m: self.for_message(m) for m in message_ids}

    @abc.abstractmethod
    def claim_many(self, ids: Sequence[str], now: datetime, lease_until: datetime) -> list[Delivery]:
        """Take the open, due, unleased ones among ``ids`` for one attempt each (attempts + 1,
        leased until ``lease_until``); returns those claimed."""

    def claim(self, delivery_id: str, now: datetime, lease_until: datetime) -> Delivery | None:
        found = self.claim_many([delivery_id], now, lease_until)
        return found[0] if found else None

    @abc.abstractmethod
    def finish(self, delivery_id: str, *, status: DeliveryStatus, now: datetime,
               next_attempt_at: datetime | None = None, error: str | None = None,
               reason: str | None = None) -> None:
        """End an attempt: release the lease, set the status and ``last_error``; DELIVERED sets
        ``delivered_at``; RETRYING sets ``next_attempt_at`` and clears the dispatch; a
        ``reason`` is kept as ``status_reason``."""

    @abc.abstractmethod
    def mark_delivered(self, ids: Sequence[str], now: datetime) -> None: ...

    @abc.abstractmethod
    def acknowledge_many(self, ids: Sequence[str], recipient: str, now: datetime) -> list[Delivery]:
        """Acknowledge the recipient's delivered inbox items; returns every one of the ids that
        is the recipient's inbox item (acknowledged now or before)."""

    def acknowledge(self, delivery_id: str, recipient: str, now: datetime) -> Delivery | None:
        found = self.acknowledge_many([delivery_id], recipient, now)
        return found[0] if found else None

    @abc.abstractmethod
    def inbox(self, recipient: str, *, after: tuple[datetime, str] | None, limit: int,
              include_acknowledged: bool) -> list[tuple[Delivery, StoredMessage]]:
        """Inbox items with their messages, by (delivered_at, id) after ``after``."""

    @abc.abstractmethod
    def due_for_dispatch(self, now: datetime, stale_before: datetime, limit: int) -> list[Delivery]:
        """Open deliveries that are due and have no live dispatch: never dispatched since their
        last attempt, or dispatched before ``stale_before`` (the bus message must be lost)."""

    @abc.abstractmethod
    def mark_dispatched(self, ids: Sequence[str], now: datetime) -> None: ...

    @abc.abstractmethod
    def list_by_status(self, status: DeliveryStatus, *, after: str | None, limit: int,
                       recipient: str | None = None, endpoint_id: str | None = None,
                       created_from: datetime | None = None,
                       created_to: datetime | None = None) -> list[Delivery]:
        """Deliveries in ``status`` ordered by id with id > ``after``; optionally only those
        of one recipient, of one endpoint, created in [``created_from``, ``created_to``)."""

    @abc.abstractmethod
    def redrive(self, delivery_id: str, now: datetime) -> None:
        """Start a dead delivery over: pending, attempts 0, due and dispatched now."""

    @abc.abstractmethod
    def defer_many(self, ids: Sequence[str], until: datetime) -> None:
        """Claimed deliveries that were not attempted after all (their endpoint was busy or
        its breaker open): the claim's attempt is given back, the lease released, and they
        wait in the database until ``until``, when the reconciler dispatches them again."""

    @abc.abstractmethod
    def count_by_status(self) -> dict[str, int]: ...

    @abc.abstractmethod
    def consents_of_open_items(self, limit: int) -> list[str]:
        """Consent ids (at most ``limit``, sorted) behind inbox items delivered but not yet
        acknowledged: the items an expiry may have to take back."""

    @abc.abstractmethod
    def withdraw_on_consent(self, consent_id: str, now: datetime,
                            reason: str) -> list[Delivery]:
        """Every inbox item delivered but not yet acknowledged whose intake decision rested on
        this consent becomes ``ingetrokken`` with ``reason``; returns them as they were before.
        (Deliveries still queued or retrying are blocked by the delivery-time re-check.)"""


class AttemptRepository(abc.ABC):
    @abc.abstractmethod
    def add_many(self, records: Sequence[AttemptRecord]) -> None: ...

    def add(self, record: AttemptRecord) -> None:
        self.add_many([record])

    @abc.abstractmethod
    def for_delivery(self, delivery_id: str) -> list[AttemptRecord]:
        """The delivery's attempts in the order they were recorded."""


def decision_row(message_id: str, phase: str, d: Decision, at: datetime) -> dict:
    """A decision as the repositories record and return it (without its ``id``)."""
    return {"message_id": message_id, "recipient_tenant_id": d.recipient, "phase": phase,
            "decision": "permit" if d.permit else "deny", "basis": d.basis, "reason": d.reason,
            "network_id": d.network_id, "consent_id": d.consent_id,
            "consent_version": d.consent_version, "client_ref": d.client_ref,
            "review_required": d.review_required, "decided_at": at}


@dataclass(frozen=True)
class DecisionFilter:
    """What a reader narrows the sharing decisions to; each None means any. ``since`` is
    inclusive, ``before`` exclusive (``decided_at``)."""

    decision: str | None = None
    basis: str | None = None
    consent_id: str | None = None
    since: datetime | None = None
    before: datetime | None = None

    def keeps(self, row: dict) -> bool:
        return ((self.decision is None or row["decision"] == self.decision)
                and (self.basis is None or row["basis"] == self.basis)
                and (self.consent_id is None or row["consent_id"] == self.consent_id)
                and (self.since is None or row["decided_at"] >= self.since)
                and (self.before is None or row["decided_at"] < self.before))


class DecisionRepository(abc.ABC):
    """Sharing decisions. Rows are dicts with ``decision_row``'s keys and an ``id`` rising in
    insertion order. Every decision is recorded, so the log follows the outcome each time it
    is decided again; only the delivery-phase permit is kept once per (message, recipient)."""

    @abc.abstractmethod
    def add_many(self, items: Iterable[tuple[str, Decision]], phase: str, at: datetime) -> None:
        """Record (message id, decision) pairs of one phase."""

    @abc.abstractmethod
    def add_once_many(self, items: Sequence[tuple[str, str, Decision]], at: datetime) -> None:
        """Record (message id, phase, decision) triples, skipping a delivery-phase permit
        recorded already for (message, recipient): a recipient's inbox and endpoint deliveries
        (and their retries) share one. Anything else is recorded each time: a re-check that
        turns the outcome into a deny, again after a redrive's permit."""

    def add_once(self, message_id: str, phase: str, decision: Decision, at: datetime) -> None:
        self.add_once_many([(message_id, phase, decision)], at)

    @abc.abstractmethod
    def list(self, *, after: int | None, limit: int, message_id: str | None = None,
             client_ref: str | None = None, tenant: str | None = None,
             where: DecisionFilter | None = None) -> list[dict]:
        """Decisions by id; ``tenant`` keeps those about messages it sent or was to receive;
        ``where`` narrows them further."""

    @abc.abstractmethod
    def for_message(self, message_id: str) -> list[dict]: ...

    def for_messages(self, message_ids: Sequence[str]) -> dict[str, list[dict]]:
        """``for_message`` for several messages (adapters: one query); every id is a key."""
        return {m: self.for_message(m) for m in message_ids}


class OutboxRepository(abc.ABC):
    @abc.abstractmethod
    def add_many(self, entries: Sequence[tuple[str, str]], at: datetime) -> None:
        """Queue (delivery id, queue name) pairs for the relay."""

    @abc.abstractmethod
    def claim_batch(self, limit: int) -> list[tuple[int, str, str]]:
        """The oldest rows as (row id, delivery id, queue), held by this unit of work (others
        skip them) until it ends."""

    @abc.abstractmethod
    def remove(self, ids: Sequence[int]) -> None: ...

    @abc.abstractmethod
    def count(self) -> int: ...


class AlertRepository(abc.ABC):
    @abc.abstractmethod
    def raise_alert(self, *, kind: str, tenant_id: str | None, subject_id: str | None,
                    detail: str | None, at: datetime) -> None: ...

    def raise_many(self, alerts: Sequence[tuple[str, str | None, str | None, str | None]],
                   at: datetime) -> None:
        """Several alerts at once, as (kind, tenant, subject, detail); an adapter may write them
        in one statement."""
        for kind, tenant_id, subject_id, detail in alerts:
            self.raise_alert(kind=kind, tenant_id=tenant_id, subject_id=subject_id,
                             detail=detail, at=at)

    @abc.abstractmethod
    def list(self, *, kind: str | None = None) -> list[dict]:
        """Alerts by id (dicts with the ``alerts`` table's columns)."""

    @abc.abstractmethod
    def page(self, *, tenant_id: str | None, after_id: int | None, limit: int) -> Sequence[Alert]:
        """Alerts newest first (ids below ``after_id``), of one tenant or (None) of all."""

    @abc.abstractmethod
    def claim_unnotified(self, limit: int) -> Sequence[Alert]:
        """Alerts not yet e-mailed, locked for this transaction (other workers skip them)."""

    @abc.abstractmethod
    def mark_notified(self, alert_ids: Sequence[int], at: datetime) -> None:
        """Record that the notifier has handled these alerts."""


class AuditRepository(ProcessingLog):
    """The processing log: ids, codes, hashes and pseudonyms; never payload text. Entries
    recorded in a unit of work join the hash chain (``hub.audit.chain``) when it commits."""

    @abc.abstractmethod
    def record(self, *, action: str, tenant_id: str | None, actor: str | None,
               subject_id: str | None, facts: dict, at: datetime, basis: str | None = None,
               subject_ref: str | None = None, trace_id: str | None = None,
               purpose: str | None = None) -> None:
        """One processing activity (Logboek Dataverwerkingen: ``action`` is the activity,
        ``subject_id`` the object processed, ``subject_ref`` the data subject's pseudonym)."""

    def flush(self) -> None:  # noqa: B027 - adapters that chain at once need nothing here
        """Chain what was recorded; the unit of work calls it right before committing."""

    def discard(self) -> None:  # noqa: B027 - adapters that chain at once need nothing here
        """Forget what was recorded (the unit of work rolls back)."""

    @abc.abstractmethod
    def head(self) -> tuple[int, str] | None:
        """(seq, hash) of the last chained entry; ``None`` if the head record is missing."""

    @abc.abstractmethod
    def entries(self, *, after: int | None, limit: int, tenant_id: str | None = None,
                activity: str | None = None) -> list[ChainedEntry]: ...

    @abc.abstractmethod
    def walk(self, *, upto: int | None, batch: int = 2000) -> Iterator[ChainedEntry]:
        """Every entry in chain order, up to seq ``upto`` when given."""

    @abc.abstractmethod
    def list(self, *, tenant_id: str | None = None, action: str | None = None) -> list[dict]:
        """Entries in chain order (dicts with the ``audit_log`` table's columns, ``facts`` a
        dict)."""


class EndpointRepository(abc.ABC):
    """Push endpoints; their secrets only as sealed bytes with the data key version."""

    @abc.abstractmethod
    def add(self, endpoint: Endpoint, sealed: bytes, key_version: int) -> None: ...

    @abc.abstractmethod
    def get(self, endpoint_id: str) -> tuple[Endpoint, bytes, int] | None:
        """(endpoint, sealed secrets, data key version)."""

    @abc.abstractmethod
    def list_for_tenant(self, tenant_id: str, *, after: str | None, limit: int) -> list[Endpoint]: ...

    @abc.abstractmethod
    def all_active(self) -> list[Endpoint]:
        """Every active endpoint, ordered by tenant and id."""

    @abc.abstractmethod
    def update_secrets(self, endpoint_id: str, sealed: bytes, key_version: int,
                       at: datetime) -> None: ...

    @abc.abstractmethod
    def deactivate(self, endpoint_id: str, reason: str, at: datetime) -> None: ...

    @abc.abstractmethod
    def update(self, endpoint: Endpoint) -> None:
        """Store a changed configuration, subscription (types) or max attempts."""

    @abc.abstractmethod
    def note_failure(self, endpoint_id: str, at: datetime) -> datetime | None:
        """A failed attempt: the endpoint is failing since ``at`` unless it already was;
        returns since when it fails (None: no such endpoint)."""

    @abc.abstractmethod
    def note_success(self, endpoint_ids: Sequence[str]) -> None:
        """A successful attempt: these endpoints are healthy again."""


class HubUnitOfWork(TenantsUnitOfWork, ConsentUnitOfWork):
    """One transaction over every repository the pipeline uses (and the tenants' and consent
    registry's). Use as a context manager: ``commit()``, or leaving the block rolls back."""

    data_keys: DataKeyRepository
    messages: MessageRepository
    deliveries: DeliveryRepository
    attempts: AttemptRepository
    decisions: DecisionRepository
    outbox: OutboxRepository
    alerts: AlertRepository
    audit: AuditRepository
    endpoints: EndpointRepository
    zaken: ZaakRepository
    regiechecks: RegiecheckRepository
    termijnen: TermijnRepository
    samenloop: SamenloopRepository
    subjects: SubjectRepository
    stats: StatsRepository
    retention: RetentionRepository

    def __enter__(self) -> HubUnitOfWork:
        return self

    @contextlib.contextmanager
    def deferred_writes(self, *, with_audit: bool = False) -> Iterator[None]:
        """A block of inserts an adapter may send together when it ends; nothing in the block
        may read what it wrote. Everything is written, in order, by the end of the block.
        ``with_audit``: the audit entries recorded so far are chained with them (the caller
        commits right after, so the chain head is not held long). In memory: nothing to
        gather."""
        yield
