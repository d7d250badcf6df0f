"""The endpoint service, the tenants' delivery views and the decision list on the in-memory
unit of work."""

from __future__ import annotations

import pytest

from hub.delivery.model import DeliveryStatus
from hub.errors import InvalidMessage, ResourceNotFound, StateConflict
from tenants.model import Principal
from tests.fakes import signaal
from tests.unit.pipeline.conftest import Pipeline


def test_an_endpoint_is_created_with_sealed_secrets_and_an_audit_record(pipe: Pipeline):
    endpoint = pipe.push_endpoint()
    uow = pipe.read()
    stored, sealed, version = uow.endpoints.get(endpoint.id)
    assert stored.active and stored.config["to"] == "meldpunt@example.nl"
    assert version == 1 and b"meldpunt@example.nl" not in sealed
    [entry] = uow.audit.list(action="endpoint.created")
    assert (entry["subject_id"], entry["facts"]) == (endpoint.id, {"connector": "smtp"})
    assert pipe.endpoints.active_for(["mzwo-centrum"]) == [stored]


def test_an_unknown_connector_is_refused_and_nothing_is_stored(pipe: Pipeline):
    with pytest.raises(InvalidMessage) as refused:
        pipe.endpoints.create(Principal.system(), "mzwo-centrum", connector="fax", config={})
    assert refused.value.code == "validation.choice"
    assert pipe.store.tables.endpoints == {}


def test_a_change_of_an_smtp_endpoint_is_stored_audited_once_and_applies_at_once(pipe: Pipeline):
    from hub.endpoints.model import EndpointChange

    endpoint = pipe.push_endpoint()
    changed = pipe.endpoints.change(Principal.system(), "mzwo-centrum", endpoint.id, EndpointChange(
        config={"to": "team@example.nl"}, types=("nl.ketenhub.signaal.v1",), set_types=True))
    assert changed.config["to"] == "team@example.nl" and changed.types == ("nl.ketenhub.signaal.v1",)
    same = pipe.endpoints.change(Principal.system(), "mzwo-centrum", endpoint.id,
                                 EndpointChange(config={"to": "team@example.nl"}))
    assert same.updated_at == changed.updated_at
    [entry] = pipe.read().audit.list(action="endpoint.changed")
    assert entry["facts"] == {"fields": ["config.to", "types"]}
    [active] = pipe.endpoints.active_for(["mzwo-centrum"])
    assert not active.wants("nl.ketenhub.regiecheck.vraag.v1") and active.wants("nl.ketenhub.signaal.v1")


def test_another_tenants_endpoint_answers_not_found(pipe: Pipeline):
    endpoint = pipe.push_endpoint("mzwo-centrum")
    with pytest.raises(ResourceNotFound):
        pipe.endpoints.get(pipe.partner("ymere"), "mzwo-centrum", endpoint.id)
    with pytest.raises(ResourceNotFound):
        pipe.endpoints.get(pipe.partner("ymere"), "ymere", endpoint.id)
    assert pipe.endpoints.get(pipe.partner("mzwo-centrum"), "mzwo-centrum", endpoint.id).id == \
        endpoint.id


def test_a_disabled_endpoint_gets_no_new_deliveries(pipe: Pipeline):
    endpoint = pipe.push_endpoint()
    disabled = pipe.endpoints.disable(pipe.partner("mzwo-centrum"), "mzwo-centrum", endpoint.id)
    assert (disabled.active, disabled.disabled_reason) == (False, "disabled_by_admin")
    assert pipe.endpoints.active_for(["mzwo-centrum"]) == []
    message_id = pipe.send(signaal()).answer["id"]
    assert [d.connector for d in pipe.deliveries_of(message_id)] == ["inbox"]
    page = pipe.endpoints.list(pipe.partner("mzwo-centrum"), "mzwo-centrum")
    assert [(e.id, e.active) for e in page.items] == [(endpoint.id, False)]


def test_only_a_webhook_has_a_signing_secret_to_rotate(pipe: Pipeline):
    endpoint = pipe.push_endpoint()
    with pytest.raises(InvalidMessage) as refused:
        pipe.endpoints.rotate_secret(pipe.partner("mzwo-centrum"), "mzwo-centrum", endpoint.id)
    assert refused.value.code == "validation.not_a_webhook"


def test_a_test_ping_goes_through_the_endpoints_connector(pipe: Pipeline):
    endpoint = pipe.push_endpoint()
    result = pipe.endpoints.test(pipe.partner("mzwo-centrum"), "mzwo-centrum", endpoint.id)
    assert result.outcome == "success"
    [request] = pipe.push.sent
    assert request.event["type"] == "nl.ketenhub.ping.v1" and request.recipient == "mzwo-centrum"


def _delivered(pipe: Pipeline) -> tuple[str, str]:
    message_id = pipe.send(signaal()).answer["id"]
    [delivery] = pipe.deliveries_of(message_id)
    pipe.processor.process(delivery.id)
    return message_id, delivery.id


def test_an_inbox_item_is_acknowledged_only_by_its_recipient(pipe: Pipeline):
    _, delivery_id = _delivered(pipe)
    with pytest.raises(ResourceNotFound):
        pipe.deliveries.acknowledge(pipe.partner("ymere"), delivery_id)
    acked = pipe.deliveries.acknowledge(pipe.partner("mzwo-centrum"), delivery_id)
    assert acked.status is DeliveryStatus.ACKNOWLEDGED
    assert pipe.deliveries.inbox(pipe.partner("mzwo-centrum")).items == []
    again = pipe.deliveries.acknowledge_many(pipe.partner("mzwo-centrum"), [delivery_id, "nope"])
    assert again == {"acknowledged": [delivery_id], "not_found": ["nope"]}


def test_the_sender_sees_the_status_of_its_message_and_others_do_not(pipe: Pipeline):
    message_id, delivery_id = _delivered(pipe)
    status = pipe.deliveries.message_status(pipe.partner("ymere"), message_id)
    assert [(d["delivery_id"], d["status"]) for d in status["deliveries"]] == [
        (delivery_id, "delivered")]
    with pytest.raises(ResourceNotFound):
        pipe.deliveries.message_status(pipe.partner("mzwo-centrum"), message_id)


def test_only_a_dead_delivery_is_redriven_and_it_is_dispatched_again(pipe: Pipeline):
    _, delivery_id = _delivered(pipe)
    admin = Principal.system()
    with pytest.raises(StateConflict):
        pipe.deliveries.redrive(admin, delivery_id)
    with pipe.uow() as uow:
        uow.deliveries.finish(delivery_id, status=DeliveryStatus.DEAD, now=pipe.clock(),
                              error="x", reason="max attempts")
        uow.commit()
    assert [d.id for d in pipe.deliveries.list_by_status(admin, DeliveryStatus.DEAD).items] == [
        delivery_id]
    redriven = pipe.deliveries.redrive(admin, delivery_id)
    assert (redriven.status, redriven.attempts, redriven.redrives) == (DeliveryStatus.PENDING, 0, 1)
    assert (delivery_id, "inbox") in [row[1:] for row in pipe.read().outbox.claim_batch(10)]
    assert pipe.committed[-1] == "redrive"


def test_a_tenant_sees_the_decisions_about_its_own_messages_only(pipe: Pipeline):
    message_id, _ = _delivered(pipe)
    mine = pipe.decisions.list(pipe.partner("ymere")).items
    assert {(d["message_id"], d["phase"]) for d in mine} == {
        (message_id, "intake"), (message_id, "delivery")}
    assert pipe.decisions.list(pipe.partner("arkin")).items == []
    page = pipe.decisions.list(Principal.system(), limit=1)
    assert len(page.items) == 1 and page.next is not None
