"""What every adapter of the hub's storage port (``hub.ports``) does alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from consent.policy import Decision
from hub.delivery.model import AttemptRecord, Delivery, DeliveryStatus, Outcome, StoredMessage
from hub.endpoints.model import Endpoint
from hub.errors import DuplicateKey
from hub.ports import DecisionFilter, HubUnitOfWork
from tests.contract.repositories.tenants_cases import T0, tenant

S = timedelta(seconds=1)
GENESIS_HASH = "0" * 64


def message(message_id: str, sender: str = "ymere", event_id: str | None = None,
            correlation: str | None = None, type_: str = "nl.ketenhub.signaal.v1") -> StoredMessage:
    return StoredMessage(id=message_id, sender=sender, source="urn:nld:kvk:1:crm",
                         event_id=event_id or message_id, type=type_, urgent=False,
                         received_at=T0, key_version=1, payload=b"sealed", payload_sha256="f" * 64,
                         routing={"pc4": "1012"}, answer={"id": message_id, "deliveries": []},
                         correlation=correlation)


def delivery(delivery_id: str, message_id: str = "m1", recipient: str = "mzwo",
             connector: str = "inbox", **changes: object) -> Delivery:
    d = Delivery(id=delivery_id, message_id=message_id, recipient=recipient, connector=connector,
                 basis="convenant", status=DeliveryStatus.PENDING, urgent=False, attempts=0,
                 max_attempts=3, created_at=T0, next_attempt_at=T0)
    return replace(d, **changes)


def permit(recipient: str, **extra: object) -> Decision:
    return Decision(recipient=recipient, permit=True, basis="convenant", reason="convenant",
                    network_id="amsterdam", **extra)


class HubRepositoryContract:
    def create_unit_of_work(self) -> HubUnitOfWork:
        raise NotImplementedError

    def _given(self, messages: list[StoredMessage] = (), deliveries: list[Delivery] = (),
               dispatched_at=T0) -> None:  # noqa: ANN001
        with self.create_unit_of_work() as uow:
            for tenant_id in ("ymere", "mzwo", "arkin"):
                uow.tenants.add(tenant(tenant_id))
            uow.messages.add_many(list(messages))
            uow.deliveries.add_many(list(deliveries), dispatched_at=dispatched_at)
            uow.commit()

    def test_a_repeated_message_raises_duplicate_key_and_nothing_of_it_stays(self):
        self._given([message("m1", event_id="e1")])
        with pytest.raises(DuplicateKey):
            with self.create_unit_of_work() as uow:
                uow.messages.add_many([message("m2", event_id="e2"), message("m3", event_id="e1")])
                uow.commit()
        with self.create_unit_of_work() as uow:
            assert uow.messages.get("m2") is None
            assert uow.messages.get("m1") == message("m1", event_id="e1")
            assert uow.messages.find_answers("ymere", [("urn:nld:kvk:1:crm", "e1"), ("x", "e9")]) \
                == {("urn:nld:kvk:1:crm", "e1"): ({"id": "m1", "deliveries": []}, "f" * 64)}
            assert uow.messages.find_answers("mzwo", [("urn:nld:kvk:1:crm", "e1")]) == {}

    def test_messages_are_read_in_bulk_with_or_without_their_payload(self):
        self._given([message("m1"), message("m2")])
        with self.create_unit_of_work() as uow:
            assert set(uow.messages.get_many(["m1", "m2", "m1", "nope"])) == {"m1", "m2"}
            light = uow.messages.get_many_without_payload(["m2"])
            assert light["m2"] == replace(message("m2"), payload=b"")

    def test_recipients_and_correlations_are_found_through_the_deliveries(self):
        toewijzing = "nl.ketenhub.toewijzing.v1"
        self._given([message("m1", sender="mzwo", correlation="z1", type_=toewijzing),
                     message("m2", sender="mzwo", correlation="z2", type_=toewijzing)],
                    [delivery("d1", "m1", recipient="arkin"),
                     delivery("d2", "m1", recipient="arkin", connector="webhook"),
                     delivery("d3", "m1", recipient="ymere"), delivery("d4", "m2", "ymere")])
        with self.create_unit_of_work() as uow:
            sender, recipients = uow.messages.recipients_of("m1")
            assert (sender, sorted(recipients)) == ("mzwo", ["arkin", "arkin", "ymere"])
            assert uow.messages.recipients_of("nope") is None
            assert uow.messages.correlated_recipients(toewijzing, "z1", "mzwo") == ["arkin", "ymere"]
            assert uow.messages.correlated_recipients(toewijzing, "z1", "arkin") == []
            assert uow.messages.correlated_senders(toewijzing, "z1", "arkin") == ["mzwo"]
            assert uow.messages.correlated_senders(toewijzing, "z2", "arkin") == []
            assert uow.messages.correlated_received(toewijzing, "z1", "arkin") == {"m1": "mzwo"}
            assert uow.messages.correlated_received(toewijzing, "z2", "ymere") == {"m2": "mzwo"}
            assert uow.messages.correlated_received(toewijzing, "z2", "arkin") == {}
            assert uow.messages.correlated_received("nl.ketenhub.signaal.v1", "z1", "arkin") == {}

    def test_a_claim_takes_only_open_due_unleased_deliveries_and_counts_the_attempt(self):
        self._given([message("m1")], [
            delivery("due"), delivery("later", next_attempt_at=T0 + 10 * S),
            delivery("done", status=DeliveryStatus.DEAD), delivery("leased")])
        with self.create_unit_of_work() as uow:
            assert [d.id for d in uow.deliveries.claim_many(["leased"], T0, T0 + 60 * S)] == ["leased"]
            uow.commit()
        with self.create_unit_of_work() as uow:
            claimed = uow.deliveries.claim_many(["due", "later", "done", "leased", "nope"], T0,
                                                T0 + 60 * S)
            assert [(d.id, d.attempts) for d in claimed] == [("due", 1)]
            assert uow.deliveries.claim("leased", T0 + 61 * S, T0 + 120 * S).attempts == 2
            uow.commit()

    def test_finishing_an_attempt_sets_the_state_it_names(self):
        self._given([message("m1")], [delivery("r"), delivery("x"), delivery("ok")])
        with self.create_unit_of_work() as uow:
            uow.deliveries.claim_many(["r", "x", "ok"], T0, T0 + 60 * S)
            uow.deliveries.finish("r", status=DeliveryStatus.RETRYING, now=T0,
                                  next_attempt_at=T0 + 5 * S, error="http.503")
            uow.deliveries.finish("x", status=DeliveryStatus.DEAD, now=T0, error="http.410",
                                  reason="permanent failure")
            uow.deliveries.mark_delivered(["ok"], T0 + S)
            uow.commit()
        with self.create_unit_of_work() as uow:
            r, x, ok = (uow.deliveries.get(i) for i in ("r", "x", "ok"))
            assert (r.status, r.next_attempt_at, r.last_error) == (
                DeliveryStatus.RETRYING, T0 + 5 * S, "http.503")
            assert (x.status, x.status_reason, x.last_error) == (
                DeliveryStatus.DEAD, "permanent failure", "http.410")
            assert (ok.status, ok.delivered_at, ok.last_error) == (
                DeliveryStatus.DELIVERED, T0 + S, None)
            assert uow.deliveries.count_by_status() == {"retrying": 1, "dead": 1, "delivered": 1}
            # a retry is due again once its time has come, its lease released by finish()
            assert [d.id for d in uow.deliveries.claim_many(["r"], T0 + 5 * S, T0 + S)] == ["r"]

    def test_the_reconciler_sees_due_deliveries_without_a_live_dispatch(self):
        self._given([message("m1")], [delivery("fresh"), delivery("later",
                                                                  next_attempt_at=T0 + 60 * S)],
                    dispatched_at=T0)
        with self.create_unit_of_work() as uow:
            uow.deliveries.add_many([delivery("lost")], dispatched_at=T0 - 60 * S)
            uow.commit()
        with self.create_unit_of_work() as uow:
            due = uow.deliveries.due_for_dispatch(T0 + S, stale_before=T0 - 30 * S, limit=10)
            assert [d.id for d in due] == ["lost"]
            uow.deliveries.mark_dispatched(["lost"], T0 + S)
            uow.commit()
        with self.create_unit_of_work() as uow:
            assert uow.deliveries.due_for_dispatch(T0 + S, T0 - 30 * S, 10) == []

    def test_an_inbox_is_paged_by_delivery_time_and_acknowledged_by_its_recipient_only(self):
        self._given([message("m1"), message("m2")], [
            delivery("a", "m1"), delivery("b", "m2"), delivery("w", "m1", connector="webhook"),
            delivery("y", "m1", recipient="ymere")])
        with self.create_unit_of_work() as uow:
            uow.deliveries.mark_delivered(["b", "w", "y"], T0)
            uow.deliveries.mark_delivered(["a"], T0 + S)
            uow.commit()
        with self.create_unit_of_work() as uow:
            page = uow.deliveries.inbox("mzwo", after=None, limit=1, include_acknowledged=False)
            assert [(d.id, m.id) for d, m in page] == [("b", "m2")]
            rest = uow.deliveries.inbox("mzwo", after=(T0, "b"), limit=5, include_acknowledged=False)
            assert [d.id for d, _ in rest] == ["a"]
            acked = uow.deliveries.acknowledge_many(["a", "w", "y", "nope"], "mzwo", T0 + 2 * S)
            assert [(d.id, d.status, d.acknowledged_at) for d in acked] == [
                ("a", DeliveryStatus.ACKNOWLEDGED, T0 + 2 * S)]
            assert uow.deliveries.acknowledge("a", "mzwo", T0 + 3 * S).acknowledged_at == T0 + 2 * S
            uow.commit()
        with self.create_unit_of_work() as uow:
            assert [d.id for d, _ in uow.deliveries.inbox(
                "mzwo", after=None, limit=5, include_acknowledged=False)] == ["b"]
            assert [d.id for d, _ in uow.deliveries.inbox(
                "mzwo", after=None, limit=5, include_acknowledged=True)] == ["b", "a"]

    def test_dead_deliveries_are_listed_and_a_redrive_starts_one_over(self):
        self._given([message("m1")], [delivery("d2", attempts=3, status=DeliveryStatus.DEAD),
                                      delivery("d1", status=DeliveryStatus.DEAD),
                                      delivery("d3", recipient="arkin",
                                               status=DeliveryStatus.DEAD)])
        with self.create_unit_of_work() as uow:
            dead = uow.deliveries.list_by_status(DeliveryStatus.DEAD, after=None, limit=5)
            assert [d.id for d in dead] == ["d1", "d2", "d3"]
            assert [d.id for d in uow.deliveries.list_by_status(
                DeliveryStatus.DEAD, after="d1", limit=1, recipient="mzwo")] == ["d2"]
            uow.deliveries.redrive("d2", T0 + S)
            uow.commit()
        with self.create_unit_of_work() as uow:
            d = uow.deliveries.get("d2")
            assert (d.status, d.attempts, d.next_attempt_at, d.redrives) == (
                DeliveryStatus.PENDING, 0, T0 + S, 1)
            assert [x.id for x in uow.deliveries.for_message("m1")][0] == "d3"  # by recipient

    def test_dead_deliveries_are_filtered_by_endpoint_and_creation_window(self):
        self._given([message("m1")], [
            delivery("d1", status=DeliveryStatus.DEAD, endpoint_id="e1", created_at=T0),
            delivery("d2", status=DeliveryStatus.DEAD, endpoint_id="e1", created_at=T0 + 5 * S),
            delivery("d3", status=DeliveryStatus.DEAD, endpoint_id="e2", created_at=T0 + 5 * S)])
        with self.create_unit_of_work() as uow:
            def ids(**kw: object) -> list[str]:
                return [d.id for d in uow.deliveries.list_by_status(
                    DeliveryStatus.DEAD, after=None, limit=10, **kw)]
            assert ids(endpoint_id="e1") == ["d1", "d2"]
            assert ids(created_from=T0 + S) == ["d2", "d3"]
            assert ids(created_to=T0 + S) == ["d1"]
            assert ids(endpoint_id="e1", created_from=T0 + S, created_to=T0 + 10 * S) == ["d2"]

    def test_attempts_are_kept_in_order(self):
        self._given([message("m1")], [delivery("d1")])
        first = AttemptRecord("d1", 1, T0, 12, Outcome.RETRYABLE, "http.503", 503)
        second = AttemptRecord("d1", 2, T0 + S, 7, Outcome.SUCCESS, None, 204)
        with self.create_unit_of_work() as uow:
            uow.attempts.add(first)
            uow.attempts.add_many([second])
            uow.commit()
        with self.create_unit_of_work() as uow:
            assert uow.attempts.for_delivery("d1") == [first, second]

    def test_every_decision_is_recorded_and_only_the_delivery_permit_once(self):
        self._given([message("m1"), message("m2", sender="arkin")])
        with self.create_unit_of_work() as uow:
            uow.decisions.add_many([("m1", permit("mzwo")), ("m2", permit("ymere"))], "intake", T0)
            uow.decisions.add_once("m1", "delivery", permit("mzwo"), T0 + S)
            uow.decisions.add_once_many([("m1", "delivery", permit("mzwo")),
                                         ("m1", "delivery", permit("arkin", client_ref="c1"))],
                                        T0 + S)
            uow.commit()
        with self.create_unit_of_work() as uow:
            rows = uow.decisions.for_message("m1")
            assert [(r["phase"], r["recipient_tenant_id"], r["decision"]) for r in rows] == [
                ("intake", "mzwo", "permit"), ("delivery", "mzwo", "permit"),
                ("delivery", "arkin", "permit")]
            assert rows[0]["decided_at"] == T0 and rows[0]["network_id"] == "amsterdam"
            ids = [r["id"] for r in uow.decisions.list(after=None, limit=10)]
            assert ids == sorted(ids) and len(ids) == 4
            assert [r["message_id"] for r in uow.decisions.list(after=None, limit=10,
                                                                 tenant="ymere")] == ["m1", "m2", "m1", "m1"]
            assert [r["recipient_tenant_id"] for r in uow.decisions.list(
                after=ids[0], limit=10, client_ref="c1")] == ["arkin"]
        with pytest.raises(DuplicateKey):
            with self.create_unit_of_work() as uow:
                uow.decisions.add_many([("m1", permit("mzwo"))], "delivery", T0)
        deny = Decision("mzwo", False, "convenant", "not in network", network_id="amsterdam")
        with self.create_unit_of_work() as uow:  # decided again: each outcome is recorded
            uow.decisions.add_many([("m1", permit("mzwo"))], "redrive", T0 + 2 * S)
            uow.decisions.add_once_many([("m1", "delivery", deny)], T0 + 3 * S)
            uow.decisions.add_many([("m1", permit("mzwo"))], "redrive", T0 + 4 * S)
            uow.decisions.add_once_many([("m1", "delivery", deny)], T0 + 5 * S)
            uow.commit()
        with self.create_unit_of_work() as uow:
            assert [(r["phase"], r["decision"]) for r in uow.decisions.for_message("m1")
                    if r["recipient_tenant_id"] == "mzwo"] == [
                ("intake", "permit"), ("delivery", "permit"), ("redrive", "permit"),
                ("delivery", "deny"), ("redrive", "permit"), ("delivery", "deny")]

    def test_decisions_narrow_to_a_decision_basis_consent_and_period(self):
        self._given([message("m1"), message("m2")])
        deny = Decision("ymere", False, "consent", "consent withdrawn", network_id="amsterdam",
                        consent_id="cns_1", consent_version=2)
        with self.create_unit_of_work() as uow:
            uow.decisions.add_many([("m1", permit("mzwo")),
                                    ("m1", Decision("ymere", True, "consent", "consent",
                                                    network_id="amsterdam", consent_id="cns_1",
                                                    consent_version=1))], "intake", T0)
            uow.decisions.add_many([("m2", deny)], "intake", T0 + 2 * S)
            uow.commit()
        with self.create_unit_of_work() as uow:
            def of(**where: object) -> list[tuple[str, str]]:
                return [(r["message_id"], r["recipient_tenant_id"]) for r in uow.decisions.list(
                    after=None, limit=10, where=DecisionFilter(**where))]
            assert of(decision="deny") == [("m2", "ymere")]
            assert of(basis="consent") == [("m1", "ymere"), ("m2", "ymere")]
            assert of(consent_id="cns_1", decision="permit") == [("m1", "ymere")]
            assert of(since=T0 + S) == [("m2", "ymere")]
            assert of(before=T0 + S) == [("m1", "mzwo"), ("m1", "ymere")]
            assert of(basis="noodsituatie") == []

    def test_the_outbox_hands_out_its_oldest_rows_until_they_are_removed(self):
        with self.create_unit_of_work() as uow:
            uow.outbox.add_many([("d1", "inbox"), ("d2", "webhook"), ("d3", "urgent")], T0)
            uow.commit()
        with self.create_unit_of_work() as uow:
            batch = uow.outbox.claim_batch(2)
            assert [row[1:] for row in batch] == [("d1", "inbox"), ("d2", "webhook")]
            uow.outbox.remove([row[0] for row in batch])
            uow.commit()
        with self.create_unit_of_work() as uow:
            assert uow.outbox.count() == 1
            assert [row[1] for row in uow.outbox.claim_batch(5)] == ["d3"]

    def test_alerts_and_audit_records_are_listed_by_kind_tenant_and_action(self):
        with self.create_unit_of_work() as uow:
            uow.alerts.raise_alert(kind="delivery.dead", tenant_id="mzwo", subject_id="d1",
                                   detail="http.410", at=T0)
            uow.alerts.raise_alert(kind="endpoint.gone", tenant_id="mzwo", subject_id="e1",
                                   detail=None, at=T0)
            uow.audit.record(action="endpoint.created", tenant_id="mzwo", actor="k1",
                             subject_id="e1", facts={"connector": "webhook"}, at=T0)
            uow.audit.record(action="delivery.redrive", tenant_id="arkin", actor=None,
                             subject_id="d1", facts={}, at=T0)
            uow.commit()
        with self.create_unit_of_work() as uow:
            [alert] = uow.alerts.list(kind="endpoint.gone")
            assert (alert["subject_id"], alert["detail"], alert["raised_at"]) == ("e1", None, T0)
            assert len(uow.alerts.list()) == 2
            [entry] = uow.audit.list(tenant_id="mzwo")
            assert (entry["action"], entry["actor"], entry["facts"]) == (
                "endpoint.created", "k1", {"connector": "webhook"})
            assert [e["subject_id"] for e in uow.audit.list(action="delivery.redrive")] == ["d1"]

    def test_audit_entries_join_one_chain_on_commit_and_a_rollback_leaves_none(self):
        from hub.audit.chain import GENESIS, recompute

        for batch in (["a", "b"], ["c"]):
            with self.create_unit_of_work() as uow:
                for subject in batch:
                    uow.audit.record(action="message.accepted", tenant_id="mzwo", actor="k1",
                                     subject_id=subject, facts={}, at=T0, basis="convenant",
                                     subject_ref="ab" * 32, trace_id="t1", purpose="signalering")
                uow.commit()
        with self.create_unit_of_work() as uow:
            uow.audit.record(action="message.accepted", tenant_id="mzwo", actor=None,
                             subject_id="never", facts={}, at=T0)
        with self.create_unit_of_work() as uow:
            chain = list(uow.audit.walk(upto=None))
            assert [(e.seq, e.object) for e in chain] == [(1, "a"), (2, "b"), (3, "c")]
            assert chain[0].prev_hash == GENESIS and chain[2].prev_hash == chain[1].hash
            assert all(recompute(e) == e.hash for e in chain)
            assert (chain[0].basis, chain[0].subject_ref, chain[0].purpose) == (
                "convenant", "ab" * 32, "signalering")
            assert uow.audit.head() == (3, chain[2].hash)
            assert [e.object for e in uow.audit.entries(after=1, limit=1)] == ["b"]
            assert uow.audit.entries(after=None, limit=5, tenant_id="arkin") == []

    def test_writes_deferred_in_a_block_are_all_there_after_it_with_their_audit_entries(self):
        self._given()
        d1, d2 = delivery("d1", "m1"), delivery("d2", "m2", recipient="arkin")
        with self.create_unit_of_work() as uow:
            with uow.deferred_writes(with_audit=True):
                uow.messages.add_many([message("m1"), message("m2")])
                uow.deliveries.add_many([d1, d2], dispatched_at=T0)
                uow.decisions.add_many([("m1", permit("mzwo")), ("m2", permit("arkin"))],
                                       "intake", T0)
                uow.outbox.add_many([("d1", "q"), ("d2", "q")], T0)
                uow.audit.record(action="message.accepted", tenant_id="ymere", actor=None,
                                 subject_id="m1", facts={"n": 1}, at=T0)
            # Everything is written by the end of the block: it can be read before the commit.
            assert uow.deliveries.get("d2") == d2
            uow.audit.record(action="message.accepted", tenant_id="ymere", actor=None,
                             subject_id="m2", facts={}, at=T0)
            uow.commit()
        with self.create_unit_of_work() as uow:
            assert set(uow.messages.get_many(["m1", "m2"])) == {"m1", "m2"}
            assert [r[1] for r in uow.outbox.claim_batch(10)] == ["d1", "d2"]
            assert [d["recipient_tenant_id"] for d in uow.decisions.for_message("m2")] \
                == ["arkin"]
            chain = list(uow.audit.walk(upto=None))
            assert [e.object for e in chain] == ["m1", "m2"] and uow.audit.head()[0] == 2

    def test_a_duplicate_in_a_deferred_block_is_a_duplicate_key_and_leaves_nothing(self):
        self._given([message("m1", event_id="e1")])
        with pytest.raises(DuplicateKey):
            with self.create_unit_of_work() as uow:
                with uow.deferred_writes(with_audit=True):
                    uow.messages.add_many([message("m2", event_id="e2"),
                                           message("m3", event_id="e1")])
                    uow.audit.record(action="message.accepted", tenant_id="ymere", actor=None,
                                     subject_id="m2", facts={}, at=T0)
                uow.commit()
        with self.create_unit_of_work() as uow:
            assert uow.messages.get("m2") is None and uow.audit.head() in (None, (0, GENESIS_HASH))

    def test_alerts_are_paged_newest_first_and_claimed_until_marked_notified(self):
        with self.create_unit_of_work() as uow:
            for i, tenant_id in enumerate(("mzwo", "arkin", "mzwo")):
                uow.alerts.raise_alert(kind="delivery.dead", tenant_id=tenant_id,
                                       subject_id=f"d{i}", detail=None, at=T0 + i * S)
            uow.commit()
        with self.create_unit_of_work() as uow:
            newest = uow.alerts.page(tenant_id=None, after_id=None, limit=2)
            assert [a.subject_id for a in newest] == ["d2", "d1"]
            assert [a.subject_id for a in uow.alerts.page(
                tenant_id=None, after_id=newest[-1].id, limit=5)] == ["d0"]
            assert [a.subject_id for a in uow.alerts.page(
                tenant_id="mzwo", after_id=None, limit=5)] == ["d2", "d0"]
            claimed = uow.alerts.claim_unnotified(2)
            assert [a.subject_id for a in claimed] == ["d0", "d1"]
            uow.alerts.mark_notified([claimed[0].id], T0 + 9 * S)
            uow.commit()
        with self.create_unit_of_work() as uow:
            assert [a.subject_id for a in uow.alerts.claim_unnotified(5)] == ["d1", "d2"]
            [first] = [a for a in uow.alerts.page(tenant_id=None, after_id=None, limit=5)
                       if a.subject_id == "d0"]
            assert first.notified_at == T0 + 9 * S

    def test_endpoints_keep_their_sealed_secrets_and_are_deactivated(self):
        self._given()
        hook = Endpoint(id="e2", tenant_id="mzwo", connector="webhook",
                        config={"url": "https://mzwo.example/hook"}, active=True, created_at=T0,
                        updated_at=T0, max_attempts=5)
        with self.create_unit_of_work() as uow:
            uow.endpoints.add(hook, b"sealed-1", 1)
            uow.endpoints.add(replace(hook, id="e1", tenant_id="arkin"), b"sealed-x", 1)
            uow.commit()
        with self.create_unit_of_work() as uow:
            assert uow.endpoints.get("e2") == (hook, b"sealed-1", 1)
            assert [e.id for e in uow.endpoints.all_active()] == ["e1", "e2"]  # by tenant
            uow.endpoints.update_secrets("e2", b"sealed-2", 2, T0 + S)
            uow.endpoints.deactivate("e1", "gone", T0 + S)
            uow.commit()
        with self.create_unit_of_work() as uow:
            endpoint, sealed, version = uow.endpoints.get("e2")
            assert (sealed, version, endpoint.updated_at) == (b"sealed-2", 2, T0 + S)
            assert [e.id for e in uow.endpoints.all_active()] == ["e2"]
            gone = uow.endpoints.list_for_tenant("arkin", after=None, limit=5)
            assert [(e.active, e.disabled_reason) for e in gone] == [(False, "gone")]

    def test_an_endpoints_subscription_is_changed_and_its_failing_time_kept_until_success(self):
        self._given()
        hook = Endpoint(id="e1", tenant_id="mzwo", connector="webhook",
                        config={"url": "https://mzwo.example/hook"}, active=True, created_at=T0,
                        updated_at=T0)
        with self.create_unit_of_work() as uow:
            uow.endpoints.add(hook, b"sealed", 1)
            uow.endpoints.update(replace(hook, config={"url": "https://mzwo.example/v2"},
                                         types=("nl.ketenhub.signaal.v1",), max_attempts=4,
                                         updated_at=T0 + S))
            assert uow.endpoints.note_failure("e1", T0 + 2 * S) == T0 + 2 * S
            assert uow.endpoints.note_failure("e1", T0 + 9 * S) == T0 + 2 * S
            assert uow.endpoints.note_failure("nope", T0) is None
            uow.commit()
        with self.create_unit_of_work() as uow:
            endpoint, sealed, _ = uow.endpoints.get("e1")
            assert (endpoint.config["url"], endpoint.types, endpoint.max_attempts, sealed) == (
                "https://mzwo.example/v2", ("nl.ketenhub.signaal.v1",), 4, b"sealed")
            assert endpoint.failing_since == T0 + 2 * S and endpoint.wants("nl.ketenhub.signaal.v1")
            assert not endpoint.wants("nl.ketenhub.urgent.v1")
            uow.endpoints.note_success(["e1"])
            uow.commit()
        with self.create_unit_of_work() as uow:
            assert uow.endpoints.get("e1")[0].failing_since is None

    def test_a_deferred_delivery_gives_its_attempt_back_and_waits_until_due(self):
        self._given([message("m1")], [delivery("d1", attempts=2, status=DeliveryStatus.RETRYING)])
        with self.create_unit_of_work() as uow:
            [claimed] = uow.deliveries.claim_many(["d1"], T0 + S, T0 + 60 * S)
            assert claimed.attempts == 3
            uow.deliveries.defer_many(["d1"], T0 + 30 * S)
            uow.commit()
        with self.create_unit_of_work() as uow:
            d = uow.deliveries.get("d1")
            assert (d.status, d.attempts, d.next_attempt_at) == (
                DeliveryStatus.RETRYING, 2, T0 + 30 * S)
            assert uow.deliveries.claim_many(["d1"], T0 + 2 * S, T0 + 60 * S) == []
            assert [x.id for x in uow.deliveries.due_for_dispatch(T0 + 31 * S, T0, 10)] == ["d1"]

    def test_a_tenants_newest_data_key_is_current_and_a_repeated_version_is_refused(self):
        self._given()
        with self.create_unit_of_work() as uow:
            uow.data_keys.add("ymere", 1, b"wrapped-1", "master", T0)
            uow.data_keys.add("ymere", 2, b"wrapped-2", "master", T0)
            uow.commit()
        with self.create_unit_of_work() as uow:
            assert uow.data_keys.current("ymere") == (2, b"wrapped-2")
            assert uow.data_keys.get("ymere", 1) == b"wrapped-1"
            assert uow.data_keys.current("mzwo") is None
        with pytest.raises(DuplicateKey):
            with self.create_unit_of_work() as uow:
                uow.data_keys.add("ymere", 2, b"again", "master", T0)

    def test_retention_finds_what_is_due_shreds_it_once_and_claims_a_day_once(self):
        from hub.retention.ports import RetentionRun

        self._given([replace(message("m1"), retain_until=T0, wrapped_key=b"k1"),
                     replace(message("m2", event_id="e2"), retain_until=T0 + 10 * S),
                     message("m3", event_id="e3")])
        with self.create_unit_of_work() as uow:
            assert [d.id for d in uow.retention.due(T0 + S, T0, 10)] == ["m1"]
            assert uow.retention.count_due(T0 + 20 * S, T0, None) == 2
            assert uow.retention.count_due(T0 + 20 * S, T0, "arkin") == 0
            assert uow.retention.shred(["m1"], T0 + S) == 1
            assert uow.retention.shred(["m1"], T0 + S) == 0
            uow.retention.postpone({"m2": T0 + 100 * S})
            uow.retention.start_run(RetentionRun("r1", T0, "running", 0, 0,
                                                 scheduled_day=T0.date()))
            uow.commit()
        with self.create_unit_of_work() as uow:
            shredded = uow.messages.get("m1")
            assert shredded.shredded_at == T0 + S and shredded.payload == b""
            assert shredded.wrapped_key is None
            assert uow.retention.due(T0 + 20 * S, T0, 10) == []
            assert uow.retention.last_run().id == "r1"
        with pytest.raises(DuplicateKey):
            with self.create_unit_of_work() as uow:
                uow.retention.start_run(RetentionRun("r2", T0 + S, "running", 0, 0,
                                                     scheduled_day=T0.date()))
                uow.commit()
