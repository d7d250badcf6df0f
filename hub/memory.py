"""In-memory double of the hub's storage port (``hub.ports``), for unit tests: the tenants' and
consent registry's doubles plus the pipeline's repositories. Commit copies, rollback drops.

It keeps what the SQL adapter promises (see ``tests/contract/test_repository_contract.py``):
unique keys raise ``DuplicateKey``, claims respect leases, reads come back ordered the same way.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from consent.memory import MemoryConsentStore, MemoryConsentUnitOfWork
from consent.policy import Decision
from hub.alerts.model import Alert
from hub.audit.chain import GENESIS, AuditRecord, ChainedEntry, chain
from hub.delivery.model import INBOX, OPEN_STATES, AttemptRecord, Delivery, DeliveryStatus, StoredMessage
from hub.endpoints.model import Endpoint
from hub.errors import DuplicateKey
from hub.flows.regiecheck.memory import MemoryRegiecheckRepository
from hub.flows.regiecheck.model import Regiecheck
from hub.flows.samenloop.memory import MemorySamenloopRepository
from hub.flows.termijnen.memory import MemoryTermijnRepository
from hub.flows.termijnen.model import Termijn
from hub.flows.zaken.memory import MemoryZaakRepository
from hub.flows.zaken.model import Zaak, ZaakItem
from hub.inzage.memory import MemorySubjectRepository
from hub.inzage.ports import SubjectRow
from hub.ports import (
    AlertRepository,
    AttemptRepository,
    AuditRepository,
    DataKeyRepository,
    DecisionFilter,
    DecisionRepository,
    DeliveryRepository,
    EndpointRepository,
    HubUnitOfWork,
    MessageRepository,
    OutboxRepository,
    decision_row,
)
from hub.retention.memory import MemoryRetentionRepository
from hub.retention.ports import RetentionRun
from hub.stats.memory import MemoryStatsRepository
from tenants.memory import MemoryStore, MemoryUnitOfWork


@dataclass(frozen=True)
class _DeliveryRow:
    delivery: Delivery
    lease_until: datetime | None = None
    dispatched_at: datetime | None = None


class _Tables:
    """The pipeline's tables. ``copy()`` is what a unit of work stages: rows are immutable, so
    copying the containers is enough."""

    def __init__(self) -> None:
        self.data_keys: dict[tuple[str, int], tuple[bytes, datetime | None]] = {}
        self.key_masters: dict[tuple[str, int], str] = {}
        self.hub_secrets: dict[str, tuple[bytes, str]] = {}
        self.messages: dict[str, StoredMessage] = {}
        self.deliveries: dict[str, _DeliveryRow] = {}
        self.attempts: list[AttemptRecord] = []
        self.decisions: list[dict] = []
        self.outbox: list[tuple[int, str, str]] = []
        self.alerts: list[dict] = []
        self.audit: list[dict] = []
        self.endpoints: dict[str, tuple[Endpoint, bytes, int]] = {}
        self.zaken: dict[str, Zaak] = {}
        self.zaak_items: list[ZaakItem] = []
        self.regiechecks: dict[str, Regiecheck] = {}
        self.termijnen: dict[str, Termijn] = {}
        self.samenloop: list[tuple[str, str, str, datetime]] = []
        self.subjects: list[SubjectRow] = []
        self.stats_counts: dict = {}
        self.stats_episodes: dict = {}
        self.stats_cursor: dict = {}
        self.retention_runs: dict[str, RetentionRun] = {}
        self.last_id: dict[str, int] = {}

    def copy(self) -> _Tables:
        staged = _Tables()
        for name, value in vars(self).items():
            setattr(staged, name, type(value)(value))
        return staged

    def next_id(self, table: str) -> int:
        self.last_id[table] = self.last_id.get(table, 0) + 1
        return self.last_id[table]


class MemoryHubStore:
    """The 'database': committed state shared by units of work."""

    def __init__(self) -> None:
        self.tenants = MemoryStore()
        self.consent = MemoryConsentStore()
        self.tables = _Tables()


def _page(rows: Iterable, key: Callable, after: object | None, limit: int) -> list:
    """Rows ordered by ``key``, those with a key above ``after``, at most ``limit``."""
    ordered = sorted(rows, key=key)
    return [r for r in ordered if after is None or key(r) > after][:limit]


class _DataKeys(DataKeyRepository):
    def __init__(self, t: _Tables) -> None:
        self._t = t

    def current(self, tenant_id: str) -> tuple[int, bytes] | None:
        live = [(version, wrapped) for (tenant, version), (wrapped, retired)
                in self._t.data_keys.items() if tenant == tenant_id and retired is None]
        return max(live) if live else None

    def get(self, tenant_id: str, version: int) -> bytes | None:
        found = self._t.data_keys.get((tenant_id, version))
        return found[0] if found else None

    def add(self, tenant_id: str, version: int, wrapped: bytes, master_key_id: str,
            at: datetime) -> None:
        if (tenant_id, version) in self._t.data_keys:
            raise DuplicateKey()
        self._t.data_keys[(tenant_id, version)] = (wrapped, None)
        self._t.key_masters[(tenant_id, version)] = master_key_id

    def retire_before(self, tenant_id: str, version: int, at: datetime) -> int:
        older = [k for k, (_, retired) in self._t.data_keys.items()
                 if k[0] == tenant_id and k[1] < version and retired is None]
        for k in older:
            self._t.data_keys[k] = (self._t.data_keys[k][0], at)
        return len(older)

    def wrapped_by_other(self, master_key_id: str, limit: int) -> list[tuple[str, int, bytes]]:
        return [(k[0], k[1], wrapped) for k, (wrapped, _) in sorted(self._t.data_keys.items())
                if self._t.key_masters.get(k) != master_key_id][:limit]

    def rewrap(self, tenant_id: str, version: int, wrapped: bytes, master_key_id: str) -> None:
        retired = self._t.data_keys[(tenant_id, version)][1]
        self._t.data_keys[(tenant_id, version)] = (wrapped, retired)
        self._t.key_masters[(tenant_id, version)] = master_key_id

    def count_by_master(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for k in self._t.data_keys:
            master = self._t.key_masters.get(k, "")
            counts[master] = counts.get(master, 0) + 1
        return counts

    def get_secret(self, name: str) -> tuple[bytes, str] | None:
        return self._t.hub_secrets.get(name)

    def put_secret(self, name: str, wrapped: bytes, master_key_id: str, at: datetime) -> None:
        self._t.hub_secrets[name] = (wrapped, master_key_id)


class _Messages(MessageRepository):
    def __init__(self, t: _Tables) -> None:
        self._t = t

    def add_many(self, messages: Sequence[StoredMessage]) -> None:
        keys = {(m.sender, m.source, m.event_id) for m in self._t.messages.values()}
        ids = set(self._t.messages)
        for m in messages:
            key = (m.sender, m.source, m.event_id)
            if m.id in ids or key in keys:
                raise DuplicateKey()
            ids.add(m.id)
            keys.add(key)
        self._t.messages.update({m.id: m for m in messages})

    def get(self, message_id: str) -> StoredMessage | None:
        return self._t.messages.get(message_id)

    def get_many(self, ids: Sequence[str]) -> dict[str, StoredMessage]:
        return {i: self._t.messages[i] for i in set(ids) if i in self._t.messages}

    def get_many_without_payload(self, ids: Sequence[str]) -> dict[str, StoredMessage]:
        return {i: replace(m, payload=b"") for i, m in self.get_many(ids).items()}

    def find_answers(self, sender: str,
                     keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], tuple[dict, str]]:
        wanted = set(keys)
        return {(m.source, m.event_id): (m.answer, m.payload_sha256) for m in self._t.messages.values()
                if m.sender == sender and (m.source, m.event_id) in wanted}

    def recipients_of(self, message_id: str) -> tuple[str, list[str]] | None:
        message = self._t.messages.get(message_id)
        if message is None:
            return None
        return message.sender, [r.delivery.recipient for r in self._t.deliveries.values()
                                if r.delivery.message_id == message_id]

    def _correlated(self, message_type: str, correlation: str) -> list[tuple[str, str]]:
        """(sender, recipient) of each delivery of a message of this type and correlation."""
        out = []
        for row in self._t.deliveries.values():
            m = self._t.messages[row.delivery.message_id]
            if m.type == message_type and m.correlation == correlation:
                out.append((m.sender, row.delivery.recipient))
        return out

    def correlated_recipients(self, message_type: str, correlation: str, sender: str) -> list[str]:
        return sorted({r for s, r in self._correlated(message_type, correlation) if s == sender})

    def correlated_senders(self, message_type: str, correlation: str, recipient: str) -> list[str]:
        return sorted({s for s, r in self._correlated(message_type, correlation) if r == recipient})

    def correlated_received(self, message_type: str, correlation: str,
                            recipient: str) -> dict[str, str]:
        found = {}
        for row in self._t.deliveries.values():
            m = self._t.messages[row.delivery.message_id]
            if (m.type, m.correlation, row.delivery.recipient) == (message_type, correlation,
                                                                   recipient):
                found[m.id] = m.sender
        return found


def _due(row: _DeliveryRow, now: datetime) -> bool:
    d = row.delivery
    return (d.status in OPEN_STATES
            and (d.next_attempt_at is None or d.next_attempt_at <= now)
            and (row.lease_until is None or row.lease_until < now))


class _Deliveries(DeliveryRepository):
    def __init__(self, t: _Tables) -> None:
        self._t = t

    def _set(self, delivery_id: str, row: _DeliveryRow | None = None, **changes: object) -> None:
        row = row or self._t.deliveries[delivery_id]
        self._t.deliveries[delivery_id] = replace(row, delivery=replace(row.delivery, **changes))

    def add_many(self, items: Sequence[Delivery], dispatched_at: datetime) -> None:
        if len({d.id for d in items} | set(self._t.deliveries)) != len(items) + len(self._t.deliveries):
            raise DuplicateKey()
        for d in items:
            self._t.deliveries[d.id] = _DeliveryRow(replace(
                d, delivered_at=None, acknowledged_at=None, last_error=None, status_reason=None,
                redrives=0),
                                                    dispatched_at=dispatched_at)

    def get(self, delivery_id: str) -> Delivery | None:
        row = self._t.deliveries.get(delivery_id)
        return row.delivery if row else None

    def for_message(self, message_id: str) -> list[Delivery]:
        return sorted((r.delivery for r in self._t.deliveries.values()
                       if r.delivery.message_id == message_id), key=lambda d: d.recipient)

    def claim_many(self, ids: Sequence[str], now: datetime, lease_until: datetime) -> list[Delivery]:
        claimed = []
        for delivery_id in dict.fromkeys(ids):
            row = self._t.deliveries.get(delivery_id)
            if row is None or not _due(row, now):
                continue
            self._set(delivery_id, replace(row, lease_until=lease_until),
                      attempts=row.delivery.attempts + 1)
            claimed.append(self._t.deliveries[delivery_id].delivery)
        return claimed

    def finish(self, delivery_id: str, *, status: DeliveryStatus, now: datetime,
               next_attempt_at: datetime | None = None, error: str | None = None,
               reason: str | None = None) -> None:
        row = replace(self._t.deliveries[delivery_id], lease_until=None)
        changes: dict[str, object] = {"status": status, "last_error": error}
        if status is DeliveryStatus.DELIVERED:
            changes["delivered_at"] = now
        if status is DeliveryStatus.RETRYING:
            changes["next_attempt_at"] = next_attempt_at
            row = replace(row, dispatched_at=None)
        if reason is not None:
            changes["status_reason"] = reason
        self._set(delivery_id, row, **changes)

    def mark_delivered(self, ids: Sequence[str], now: datetime) -> None:
        for delivery_id in ids:
            self._set(delivery_id, replace(self._t.deliveries[delivery_id], lease_until=None),
                      status=DeliveryStatus.DELIVERED, delivered_at=now, last_error=None)

    def acknowledge_many(self, ids: Sequence[str], recipient: str, now: datetime) -> list[Delivery]:
        found = []
        for delivery_id in dict.fromkeys(ids):
            row = self._t.deliveries.get(delivery_id)
            d = row.delivery if row else None
            if d is None or d.recipient != recipient or d.connector != INBOX:
                continue
            if d.status is DeliveryStatus.DELIVERED:
                self._set(delivery_id, status=DeliveryStatus.ACKNOWLEDGED, acknowledged_at=now)
            if d.status in (DeliveryStatus.DELIVERED, DeliveryStatus.ACKNOWLEDGED):
                found.append(self._t.deliveries[delivery_id].delivery)
        return found

    def consents_of_open_items(self, limit: int) -> list[str]:
        open_items = {(r.delivery.message_id, r.delivery.recipient)
                      for r in self._t.deliveries.values()
                      if r.delivery.status is DeliveryStatus.DELIVERED
                      and r.delivery.connector == INBOX}
        return sorted({r["consent_id"] for r in self._t.decisions
                       if r["phase"] == "intake" and r["consent_id"]
                       and (r["message_id"], r["recipient_tenant_id"]) in open_items})[:limit]

    def withdraw_on_consent(self, consent_id: str, now: datetime,
                            reason: str) -> list[Delivery]:
        on_consent = {(r["message_id"], r["recipient_tenant_id"]) for r in self._t.decisions
                      if r["phase"] == "intake" and r["consent_id"] == consent_id}
        found = [row.delivery for row in self._t.deliveries.values()
                 if (row.delivery.message_id, row.delivery.recipient) in on_consent
                 and row.delivery.status is DeliveryStatus.DELIVERED
                 and row.delivery.connector == INBOX]
        for d in found:
            self._set(d.id, replace(self._t.deliveries[d.id], lease_until=None),
                      status=DeliveryStatus.INGETROKKEN, status_reason=reason,
                      next_attempt_at=None)
        return found

    def inbox(self, recipient: str, *, after: tuple[datetime, str] | None, limit: int,
              include_acknowledged: bool) -> list[tuple[Delivery, StoredMessage]]:
        states = {DeliveryStatus.DELIVERED, DeliveryStatus.INGETROKKEN}
        if include_acknowledged:
            states.add(DeliveryStatus.ACKNOWLEDGED)
        items = [r.delivery for r in self._t.deliveries.values()
                 if r.delivery.recipient == recipient and r.delivery.status in states
                 and r.delivery.connector == INBOX and r.delivery.delivered_at is not None]
        page = _page(items, lambda d: (d.delivered_at, d.id), after, limit)
        return [(d, self._t.messages[d.message_id]) for d in page]

    def due_for_dispatch(self, now: datetime, stale_before: datetime, limit: int) -> list[Delivery]:
        due = [r.delivery for r in self._t.deliveries.values() if _due(r, now)
               and (r.dispatched_at is None or r.dispatched_at < stale_before)]
        return sorted(due, key=lambda d: (d.next_attempt_at is not None, d.next_attempt_at))[:limit]

    def mark_dispatched(self, ids: Sequence[str], now: datetime) -> None:
        for delivery_id in ids:
            self._t.deliveries[delivery_id] = replace(self._t.deliveries[delivery_id],
                                                      dispatched_at=now)

    def list_by_status(self, status: DeliveryStatus, *, after: str | None, limit: int,
                       recipient: str | None = None, endpoint_id: str | None = None,
                       created_from: datetime | None = None,
                       created_to: datetime | None = None) -> list[Delivery]:
        rows = [d for d in (r.delivery for r in self._t.deliveries.values())
                if d.status is status and (recipient is None or d.recipient == recipient)
                and (endpoint_id is None or d.endpoint_id == endpoint_id)
                and (created_from is None or d.created_at >= created_from)
                and (created_to is None or d.created_at < created_to)]
        return _page(rows, lambda d: d.id, after, limit)

    def redrive(self, delivery_id: str, now: datetime) -> None:
        row = self._t.deliveries[delivery_id]
        self._set(delivery_id, replace(row, lease_until=None, dispatched_at=now),
                  status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=now,
                  status_reason=None, redrives=row.delivery.redrives + 1)

    def defer_many(self, ids: Sequence[str], until: datetime) -> None:
        for delivery_id in ids:
            row = self._t.deliveries[delivery_id]
            self._set(delivery_id, replace(row, lease_until=None, dispatched_at=None),
                      attempts=max(0, row.delivery.attempts - 1), next_attempt_at=until)

    def count_by_status(self) -> dict[str, int]:
        statuses = [r.delivery.status.value for r in self._t.deliveries.values()]
        return {s: statuses.count(s) for s in set(statuses)}


class _Attempts(AttemptRepository):
    def __init__(self, t: _Tables) -> None:
        self._t = t

    def add_many(self, records: Sequence[AttemptRecord]) -> None:
        self._t.attempts.extend(records)

    def for_delivery(self, delivery_id: str) -> list[AttemptRecord]:
        return [a for a in self._t.attempts if a.delivery_id == delivery_id]


class _Decisions(DecisionRepository):
    def __init__(self, t: _Tables) -> None:
        self._t = t

    @staticmethod
    def _once_key(row: dict) -> tuple[str, str] | None:
        """The unique key of a delivery-phase permit (the SQL table's partial index)."""
        if (row["phase"], row["decision"]) == ("delivery", "permit"):
            return row["message_id"], row["recipient_tenant_id"]
        return None

    def _insert(self, rows: list[dict], *, once: bool) -> None:
        taken = {self._once_key(r) for r in self._t.decisions} - {None}
        for row in rows:
            key = self._once_key(row)
            if key is not None and key in taken:
                if once:
                    continue
                raise DuplicateKey()
            if key is not None:
                taken.add(key)
            self._t.decisions.append({"id": self._t.next_id("decisions"), **row})

    def add_many(self, items: Iterable[tuple[str, Decision]], phase: str, at: datetime) -> None:
        self._insert([decision_row(m, phase, d, at) for m, d in items], once=False)

    def add_once_many(self, items: Sequence[tuple[str, str, Decision]], at: datetime) -> None:
        self._insert([decision_row(m, phase, d, at) for m, phase, d in items], once=True)

    def list(self, *, after: int | None, limit: int, message_id: str | None = None,
             client_ref: str | None = None, tenant: str | None = None,
             where: DecisionFilter | None = None) -> list[dict]:
        def keep(r: dict) -> bool:
            if message_id is not None and r["message_id"] != message_id:
                return False
            if where is not None and not where.keeps(r):
                return False
            if client_ref is not None and r["client_ref"] != client_ref:
                return False
            if tenant is None or r["recipient_tenant_id"] == tenant:
                return True
            message = self._t.messages.get(r["message_id"])
            return message is not None and message.sender == tenant

        return [dict(r) for r in _page(filter(keep, self._t.decisions), lambda r: r["id"],
                                       after, limit)]

    def for_message(self, message_id: str) -> list[dict]:
        return [dict(r) for r in self._t.decisions if r["message_id"] == message_id]


class _Outbox(OutboxRepository):
    def __init__(self, t: _Tables) -> None:
        self._t = t

    def add_many(self, entries: Sequence[tuple[str, str]], at: datetime) -> None:
        self._t.outbox.extend((self._t.next_id("outbox"), delivery_id, queue)
                              for delivery_id, queue in entries)

    def claim_batch(self, limit: int) -> list[tuple[int, str, str]]:
        return list(self._t.outbox[:limit])

    def remove(self, ids: Sequence[int]) -> None:
        gone = set(ids)
        self._t.outbox = [row for row in self._t.outbox if row[0] not in gone]

    def count(self) -> int:
        return len(self._t.outbox)


class _Alerts(AlertRepository):
    def __init__(self, t: _Tables) -> None:
        self._t = t

    def raise_alert(self, *, kind: str, tenant_id: str | None, subject_id: str | None,
                    detail: str | None, at: datetime) -> None:
        self._t.alerts.append({"id": self._t.next_id("alerts"), "tenant_id": tenant_id,
                               "kind": kind, "subject_id": subject_id, "detail": detail,
                               "raised_at": at, "notified_at": None})

    def list(self, *, kind: str | None = None) -> list[dict]:
        return [dict(a) for a in self._t.alerts if not kind or a["kind"] == kind]

    def page(self, *, tenant_id: str | None, after_id: int | None, limit: int) -> list[Alert]:
        rows = [Alert(**a) for a in reversed(self._t.alerts)
                if (tenant_id is None or a["tenant_id"] == tenant_id)
                and (after_id is None or a["id"] < after_id)]
        return rows[:limit]

    def claim_unnotified(self, limit: int) -> list[Alert]:
        return [Alert(**a) for a in self._t.alerts if a.get("notified_at") is None][:limit]

    def mark_notified(self, alert_ids: Sequence[int], at: datetime) -> None:
        self._t.alerts = [{**a, "notified_at": at} if a["id"] in alert_ids else a
                          for a in self._t.alerts]


class _Audit(AuditRepository):
    """Chains at once: the staged tables are committed whole, which is the same thing. Rows
    are dicts shaped like the ``audit_log`` table (``facts`` a dict)."""

    def __init__(self, t: _Tables) -> None:
        self._t = t

    def record(self, *, action: str, tenant_id: str | None, actor: str | None,
               subject_id: str | None, facts: dict, at: datetime, basis: str | None = None,
               subject_ref: str | None = None, trace_id: str | None = None,
               purpose: str | None = None) -> None:
        seq, prev = self.head()
        [e] = chain([AuditRecord(activity=action, at=at, tenant_id=tenant_id, actor=actor,
                                 object=subject_id, basis=basis, purpose=purpose,
                                 subject_ref=subject_ref, trace_id=trace_id,
                                 facts=json.loads(json.dumps(facts)))], seq, prev)
        self._t.audit.append({
            "id": e.seq, "seq": e.seq, "tenant_id": e.tenant_id, "actor": e.actor,
            "action": e.activity, "subject_id": e.object, "basis": e.basis,
            "purpose": e.purpose, "subject_ref": e.subject_ref, "trace_id": e.trace_id,
            "facts": json.loads(e.facts), "at": e.at, "prev_hash": e.prev_hash, "hash": e.hash})

    def head(self) -> tuple[int, str] | None:
        last = self._t.audit[-1] if self._t.audit else None
        return (last["seq"], last["hash"]) if last else (0, GENESIS)

    def entries(self, *, after: int | None, limit: int, tenant_id: str | None = None,
                activity: str | None = None) -> list[ChainedEntry]:
        return [_chained(a) for a in self._t.audit if (after is None or a["seq"] > after)
                and (tenant_id is None or a["tenant_id"] == tenant_id)
                and (activity is None or a["action"] == activity)][:limit]

    def walk(self, *, upto: int | None, batch: int = 2000) -> Iterator[ChainedEntry]:
        return iter([_chained(a) for a in self._t.audit if upto is None or a["seq"] <= upto])

    def list(self, *, tenant_id: str | None = None, action: str | None = None) -> list[dict]:
        return [{**a, "facts": dict(a["facts"])} for a in self._t.audit
                if (not tenant_id or a["tenant_id"] == tenant_id)
                and (not action or a["action"] == action)]


def _chained(a: dict) -> ChainedEntry:
    return ChainedEntry(seq=a["seq"], at=a["at"], activity=a["action"], tenant_id=a["tenant_id"],
                        actor=a["actor"], object=a["subject_id"], basis=a["basis"],
                        purpose=a["purpose"], subject_ref=a["subject_ref"],
                        trace_id=a["trace_id"], facts=AuditRecord(
                            activity="", at=a["at"], facts=a["facts"]).facts_text(),
                        prev_hash=a["prev_hash"], hash=a["hash"])


class _Endpoints(EndpointRepository):
    def __init__(self, t: _Tables) -> None:
        self._t = t

    def add(self, endpoint: Endpoint, sealed: bytes, key_version: int) -> None:
        if endpoint.id in self._t.endpoints:
            raise DuplicateKey()
        self._t.endpoints[endpoint.id] = (endpoint, sealed, key_version)

    def get(self, endpoint_id: str) -> tuple[Endpoint, bytes, int] | None:
        return self._t.endpoints.get(endpoint_id)

    def list_for_tenant(self, tenant_id: str, *, after: str | None, limit: int) -> list[Endpoint]:
        rows = [e for e, _, _ in self._t.endpoints.values() if e.tenant_id == tenant_id]
        return _page(rows, lambda e: e.id, after, limit)

    def all_active(self) -> list[Endpoint]:
        return sorted((e for e, _, _ in self._t.endpoints.values() if e.active),
                      key=lambda e: (e.tenant_id, e.id))

    def update_secrets(self, endpoint_id: str, sealed: bytes, key_version: int,
                       at: datetime) -> None:
        endpoint = self._t.endpoints[endpoint_id][0]
        self._t.endpoints[endpoint_id] = (replace(endpoint, updated_at=at), sealed, key_version)

    def deactivate(self, endpoint_id: str, reason: str, at: datetime) -> None:
        endpoint, sealed, version = self._t.endpoints[endpoint_id]
        self._t.endpoints[endpoint_id] = (
            replace(endpoint, active=False, disabled_reason=reason, updated_at=at), sealed, version)

    def update(self, endpoint: Endpoint) -> None:
        old, sealed, version = self._t.endpoints[endpoint.id]
        self._t.endpoints[endpoint.id] = (
            replace(old, config=endpoint.config, types=endpoint.types,
                    max_attempts=endpoint.max_attempts, updated_at=endpoint.updated_at),
            sealed, version)

    def note_failure(self, endpoint_id: str, at: datetime) -> datetime | None:
        if endpoint_id not in self._t.endpoints:
            return None
        endpoint, sealed, version = self._t.endpoints[endpoint_id]
        if endpoint.failing_since is None:
            endpoint = replace(endpoint, failing_since=at)
            self._t.endpoints[endpoint_id] = (endpoint, sealed, version)
        return endpoint.failing_since

    def note_success(self, endpoint_ids: Sequence[str]) -> None:
        for endpoint_id in endpoint_ids:
            if endpoint_id in self._t.endpoints:
                endpoint, sealed, version = self._t.endpoints[endpoint_id]
                self._t.endpoints[endpoint_id] = (replace(endpoint, failing_since=None),
                                                  sealed, version)


class MemoryHubUnitOfWork(HubUnitOfWork):
    """Works on a copy of the store; ``commit`` publishes the copy, anything else discards it."""

    def __init__(self, store: MemoryHubStore) -> None:
        self._store = store
        self._tenants_uow = MemoryUnitOfWork(store.tenants)
        self._consent_uow = MemoryConsentUnitOfWork(store.consent)
        self.commits = 0
        self._stage()

    def _stage(self) -> None:
        self._tenants_uow.rollback()
        self._consent_uow.rollback()
        for name in ("tenants", "keys", "networks", "users", "web_sessions"):
            setattr(self, name, getattr(self._tenants_uow, name))
        self.consents = self._consent_uow.consents
        self.woningen = self._consent_uow.woningen
        self._work = work = self._store.tables.copy()
        self.data_keys = _DataKeys(work)
        self.messages = _Messages(work)
        self.deliveries = _Deliveries(work)
        self.attempts = _Attempts(work)
        self.decisions = _Decisions(work)
        self.outbox = _Outbox(work)
        self.alerts = _Alerts(work)
        self.audit = _Audit(work)
        self.endpoints = _Endpoints(work)
        self.zaken = MemoryZaakRepository(work)
        self.regiechecks = MemoryRegiecheckRepository(work.regiechecks)
        self.termijnen = MemoryTermijnRepository(work.termijnen)
        self.samenloop = MemorySamenloopRepository(work)
        self.subjects = MemorySubjectRepository(work)
        self.stats = MemoryStatsRepository(work)
        self.retention = MemoryRetentionRepository(work)

    def __enter__(self) -> MemoryHubUnitOfWork:
        self._stage()
        return self

    def commit(self) -> None:
        self._tenants_uow.commit()
        self._consent_uow.commit()
        self._store.tables = self._work.copy()
        self.commits += 1

    def rollback(self) -> None:
        self._stage()
