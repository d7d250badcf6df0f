"""Intake on the in-memory unit of work: screen → route → decide → persist in one commit."""

from __future__ import annotations

import json

import pytest

from consent.errors import PrivacyViolation
from hub.delivery.model import DeliveryStatus
from hub.errors import InvalidMessage
from tenants.demo import demo_oin, source_for
from tests.fakes import signaal
from tests.unit.pipeline.conftest import Pipeline


def test_an_accepted_signaal_is_stored_with_its_delivery_decision_and_outbox_row_in_one_commit(
        pipe: Pipeline):
    before = pipe.commits()
    result = pipe.send(signaal())
    assert pipe.commits() == before + 1
    assert result.replayed is False
    answer = result.answer
    assert answer["deliveries"] == [{"recipient": "mzwo-centrum", "basis": "convenant",
                                     "decision": "permit", "reason": "convenant amsterdam"}]
    uow = pipe.read()
    message = uow.messages.get(answer["id"])
    assert message is not None and message.sender == "ymere"
    assert b"Harde muziek" not in message.payload  # sealed with ymere's data key
    assert json.loads(pipe.vault.open_message(
        uow.data_keys, "ymere", message.key_version, message.wrapped_key, message.payload,
        message.id.encode()))["id"] == message.event_id
    [delivery] = uow.deliveries.for_message(answer["id"])
    assert (delivery.recipient, delivery.connector, delivery.status) == (
        "mzwo-centrum", "inbox", DeliveryStatus.PENDING)
    assert [(d["phase"], d["decision"]) for d in uow.decisions.for_message(answer["id"])] == [
        ("intake", "permit")]
    assert uow.outbox.claim_batch(10)[0][1:] == (delivery.id, "inbox")
    assert pipe.committed == ["intake"]


def test_the_same_event_sent_again_is_answered_as_a_replay_and_stored_once(pipe: Pipeline):
    first = pipe.send(signaal(event_id="vaste-id"))
    again = pipe.send(signaal(event_id="vaste-id"))
    assert again.replayed is True and again.answer == first.answer
    assert len(pipe.store.tables.messages) == 1
    assert len(pipe.store.tables.deliveries) == 1


def test_the_same_event_id_from_another_source_is_another_message(pipe: Pipeline):
    first = pipe.send(signaal(event_id="gedeeld"))
    other = signaal(event_id="gedeeld")
    other["source"] = f"urn:nld:oin:{demo_oin('ymere')}:systeem:ander"  # ymere's other source
    second = pipe.send(other)
    assert second.replayed is False and second.answer["id"] != first.answer["id"]


def test_a_batch_with_twins_stores_each_event_once_in_one_commit(pipe: Pipeline):
    before = pipe.commits()
    results = pipe.intake.accept_many(pipe.partner("ymere"), [
        signaal(event_id="a"), signaal(event_id="b"), signaal(event_id="a")])
    assert pipe.commits() == before + 1
    first, second, twin = results
    assert not first.replayed and not second.replayed
    assert twin.replayed and twin.answer == first.answer
    assert first.answer["id"] != second.answer["id"]
    assert len(pipe.store.tables.messages) == 2


def test_a_batch_refuses_a_bad_event_by_itself_and_stores_the_others(pipe: Pipeline):
    bad = signaal()
    del bad["data"]["adres"]
    good, refused = pipe.intake.accept_many(pipe.partner("ymere"), [signaal(), bad])
    assert good.replayed is False
    assert isinstance(refused, InvalidMessage)
    assert len(pipe.store.tables.messages) == 1


def test_a_refused_event_stores_nothing_but_its_audit_record(pipe: Pipeline):
    with pytest.raises(PrivacyViolation):
        pipe.send(signaal(omschrijving="Bewoner met BSN 111222333 maakt veel lawaai."))
    tables = pipe.store.tables
    assert tables.messages == {} and tables.deliveries == {} and tables.outbox == []
    assert tables.decisions == []
    [entry] = pipe.read().audit.list(action="message.rejected")
    assert entry["tenant_id"] == "ymere" and entry["actor"] == "key-ymere"
    assert {f["rule"] for f in entry["facts"]["findings"]} == {"privacy.bsn"}
    assert "111222333" not in json.dumps(entry["facts"])
    assert pipe.committed == []


def test_a_postcode_outside_every_area_is_accepted_with_no_delivery(pipe: Pipeline):
    result = pipe.send(signaal(adres={"postcode": "9999 ZZ", "huisnummer": 1}))
    assert result.answer["deliveries"] == []
    assert pipe.deliveries_of(result.answer["id"]) == []
    assert pipe.committed == []


def test_a_push_endpoint_of_the_recipient_gets_its_own_delivery_beside_the_inbox(pipe: Pipeline):
    endpoint = pipe.push_endpoint(max_attempts=5)
    result = pipe.send(signaal())
    deliveries = {d.connector: d for d in pipe.deliveries_of(result.answer["id"])}
    assert set(deliveries) == {"inbox", "smtp"}
    assert deliveries["smtp"].endpoint_id == endpoint.id
    assert (deliveries["smtp"].max_attempts, deliveries["inbox"].max_attempts) == (5, 3)


def test_a_reactie_is_routed_back_to_the_signaal_sender_through_the_lookup(pipe: Pipeline):
    signaal_id = pipe.send(signaal()).answer["id"]
    reactie = {"specversion": "1.0", "id": "reactie-1", "source": source_for("mzwo-centrum", "ris"),
               "type": "nl.ketenhub.signaal.reactie.v1",
               "data": {"signaal_id": signaal_id, "status": "in_behandeling"}}
    answer = pipe.send(reactie, sender="mzwo-centrum").answer
    assert [(d["recipient"], d["decision"]) for d in answer["deliveries"]] == [("ymere", "permit")]
