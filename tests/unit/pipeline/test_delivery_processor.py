"""The delivery processor on the in-memory unit of work: inbox placement, push outcomes,
retry scheduling, dead letters and the policy re-check at delivery time."""

from __future__ import annotations

from datetime import timedelta

from connectors.errors import EndpointGone, PermanentDeliveryError, RetryableDeliveryError
from hub.delivery.model import DeliveryStatus, Outcome
from hub.delivery.processor import MESSAGE_ID_EXTENSION
from tests.fakes import signaal
from tests.unit.pipeline.conftest import ADRES, Pipeline, fails_with


def _sent(pipe: Pipeline, connector: str = "inbox") -> str:
    message_id = pipe.send(signaal()).answer["id"]
    return next(d.id for d in pipe.deliveries_of(message_id) if d.connector == connector)


def test_an_inbox_delivery_is_placed_with_its_attempt_and_delivery_decision(pipe: Pipeline):
    delivery_id = _sent(pipe)
    pipe.processor.process(delivery_id)
    uow = pipe.read()
    delivery = uow.deliveries.get(delivery_id)
    assert delivery.status is DeliveryStatus.DELIVERED and delivery.delivered_at == pipe.clock()
    [attempt] = uow.attempts.for_delivery(delivery_id)
    assert (attempt.number, attempt.outcome) == (1, Outcome.SUCCESS)
    phases = [(d["phase"], d["decision"]) for d in uow.decisions.for_message(delivery.message_id)]
    assert phases == [("intake", "permit"), ("delivery", "permit")]
    [item] = pipe.deliveries.inbox(pipe.partner("mzwo-centrum")).items
    assert item["delivery_id"] == delivery_id and item["event"]["type"] == "nl.ketenhub.signaal.v1"


def test_a_delivery_held_by_another_worker_is_left_alone(pipe: Pipeline):
    delivery_id = _sent(pipe)
    with pipe.uow() as uow:
        uow.deliveries.claim(delivery_id, pipe.clock(), pipe.clock() + timedelta(seconds=60))
        uow.commit()
    pipe.processor.process(delivery_id)
    assert pipe.read().deliveries.get(delivery_id).status is DeliveryStatus.PENDING
    assert pipe.read().attempts.for_delivery(delivery_id) == []


def test_a_push_success_is_recorded_and_the_event_carries_the_hub_message_id(pipe: Pipeline):
    pipe.push_endpoint()
    delivery_id = _sent(pipe, "smtp")
    pipe.processor.process(delivery_id)
    delivery = pipe.read().deliveries.get(delivery_id)
    assert delivery.status is DeliveryStatus.DELIVERED
    [request] = pipe.push.sent
    assert request.event[MESSAGE_ID_EXTENSION] == delivery.message_id
    assert request.endpoint_config["to"] == "meldpunt@example.nl"
    assert request.sender_name == "ymere"


def _failed_push(pipe: Pipeline, error: Exception, max_attempts: int | None = None) -> str:
    """A push delivery whose endpoint fails with ``error``, attempted once."""
    pipe.push_endpoint(max_attempts=max_attempts)
    pipe.push._behaviour = fails_with(error)
    delivery_id = _sent(pipe, "smtp")
    pipe.processor.process(delivery_id)
    return delivery_id


def test_a_retryable_failure_schedules_the_next_attempt_by_the_retry_policy(pipe: Pipeline):
    delivery_id = _failed_push(pipe, RetryableDeliveryError("smtp.unavailable"))
    delivery = pipe.read().deliveries.get(delivery_id)
    assert delivery.status is DeliveryStatus.RETRYING
    assert delivery.next_attempt_at == pipe.clock() + timedelta(seconds=5)  # base/2, no jitter
    assert delivery.last_error == "smtp.unavailable"
    pipe.processor.process(delivery_id)  # not due yet: nothing happens
    assert len(pipe.read().attempts.for_delivery(delivery_id)) == 1


def test_a_delivery_is_dead_after_its_maximum_attempts_with_an_alert(pipe: Pipeline):
    delivery_id = _failed_push(pipe, RetryableDeliveryError("smtp.unavailable"), max_attempts=2)
    pipe.clock.advance(seconds=60)
    pipe.processor.process(delivery_id)
    uow = pipe.read()
    delivery = uow.deliveries.get(delivery_id)
    assert (delivery.status, delivery.attempts, delivery.status_reason) == (
        DeliveryStatus.DEAD, 2, "max attempts")
    assert [(a["kind"], a["subject_id"]) for a in uow.alerts.list()] == [
        ("delivery.dead", delivery_id)]
    assert [d.id for d in pipe.dead] == [delivery_id]


def test_a_permanent_failure_is_dead_at_once(pipe: Pipeline):
    delivery_id = _failed_push(pipe, PermanentDeliveryError("smtp.rejected"))
    delivery = pipe.read().deliveries.get(delivery_id)
    assert (delivery.status, delivery.status_reason) == (DeliveryStatus.DEAD, "permanent failure")


def test_an_endpoint_that_is_gone_is_disabled_and_later_deliveries_to_it_end_dead(pipe: Pipeline):
    endpoint = pipe.push_endpoint()
    tried: list[str] = []

    def gone(request):  # noqa: ANN001, ANN202
        tried.append(request.delivery_id)
        raise EndpointGone("smtp.gone")

    pipe.push._behaviour = gone
    first = _sent(pipe, "smtp")
    second = _sent(pipe, "smtp")
    pipe.processor.process(first)
    assert pipe.read().endpoints.get(endpoint.id)[0].active is False
    assert [a["kind"] for a in pipe.read().alerts.list(kind="endpoint.gone")] == ["endpoint.gone"]
    pipe.processor.process(second)
    delivery = pipe.read().deliveries.get(second)
    assert (delivery.status, delivery.last_error) == (DeliveryStatus.DEAD, "endpoint.disabled")
    assert len(tried) == 1  # the first, once: the second never reached the connector


def _register_consent(pipe: Pipeline) -> dict:
    arkin = pipe.partner("arkin")
    consent = pipe.consents.register(arkin, {
        "client": {"achternaam": "Jansen", "voorletters": "P.", "geboortedatum": "1975-03-12"},
        "recipients": ["ymere"], "categories": ["signaal_overlast"],
        "purpose": "Overlast rond de woning samen met de corporatie aanpakken.",
        "necessity": "Zonder signaal kan de begeleiding niet tijdig bijsturen.",
        "valid_until": pipe.clock() + timedelta(days=365),
        "evidence": {"sha256": "ab" * 32, "signed_on": pipe.clock().date()}})
    pipe.woningen.register(arkin, {"adres": dict(ADRES), "client_ref": consent.client_ref,
                                    "consent_id": consent.id, "contractvorm": "intermediair"})
    return consent


def test_a_consent_withdrawn_after_intake_blocks_the_delivery_at_the_re_check(pipe: Pipeline):
    consent = _register_consent(pipe)
    answer = pipe.send(signaal()).answer
    assert {d["recipient"]: d["basis"] for d in answer["deliveries"]} == {
        "mzwo-centrum": "convenant", "arkin": "consent"}
    [to_arkin] = [d for d in pipe.deliveries_of(answer["id"]) if d.recipient == "arkin"]
    pipe.consents.withdraw(pipe.partner("arkin"), consent.id, "Cliënt trekt in.")
    pipe.processor.process_many([d.id for d in pipe.deliveries_of(answer["id"])])
    uow = pipe.read()
    blocked = uow.deliveries.get(to_arkin.id)
    assert blocked.status is DeliveryStatus.BLOCKED
    assert [a.outcome for a in uow.attempts.for_delivery(to_arkin.id)] == [Outcome.BLOCKED]
    delivery_phase = [d for d in uow.decisions.for_message(answer["id"])
                      if d["phase"] == "delivery"]
    assert {(d["recipient_tenant_id"], d["decision"]) for d in delivery_phase} == {
        ("arkin", "deny"), ("mzwo-centrum", "permit")}


def test_a_re_check_that_turns_a_permit_into_a_deny_is_recorded_again(pipe: Pipeline):
    consent = _register_consent(pipe)
    pipe.push_endpoint("arkin")
    answer = pipe.send(signaal()).answer
    to_arkin = [d for d in pipe.deliveries_of(answer["id"]) if d.recipient == "arkin"]
    inbox = next(d for d in to_arkin if d.connector == "inbox")
    push = next(d for d in to_arkin if d.connector != "inbox")
    pipe.processor.process(inbox.id)
    pipe.consents.withdraw(pipe.partner("arkin"), consent.id, "Cliënt trekt in.")
    pipe.processor.process(push.id)
    recorded = [(d["phase"], d["decision"], d["reason"])
                for d in pipe.read().decisions.for_message(answer["id"])
                if d["recipient_tenant_id"] == "arkin"]
    assert recorded == [("intake", "permit", "consent"), ("delivery", "permit", "consent"),
                        ("withdrawal", "deny", "consent withdrawn"),
                        ("delivery", "deny", "consent withdrawn")]
    assert pipe.read().deliveries.get(inbox.id).status is DeliveryStatus.INGETROKKEN
    assert pipe.read().deliveries.get(push.id).status is DeliveryStatus.BLOCKED


def test_an_expired_consent_takes_back_the_unacknowledged_inbox_item_once(pipe: Pipeline):
    from hub.delivery.withdrawal import ConsentExpiry

    consent = _register_consent(pipe)
    answer = pipe.send(signaal()).answer
    [inbox] = [d for d in pipe.deliveries_of(answer["id"])
               if d.recipient == "arkin" and d.connector == "inbox"]
    pipe.processor.process(inbox.id)
    expiry = ConsentExpiry(uow=pipe.uow, clock=pipe.clock)
    assert expiry.run_once() == 0  # still in force
    pipe.clock.now = consent.valid_until + timedelta(seconds=1)
    assert expiry.run_once() == 1 and expiry.run_once() == 0
    assert pipe.read().deliveries.get(inbox.id).status is DeliveryStatus.INGETROKKEN
    [item] = pipe.deliveries.inbox(pipe.partner("arkin")).items
    assert (item["status"], item["event"]) == ("ingetrokken", None)
    assert [(d["phase"], d["reason"]) for d in pipe.read().decisions.for_message(answer["id"])
            if d["recipient_tenant_id"] == "arkin"][-1] == ("withdrawal", "consent expired")
