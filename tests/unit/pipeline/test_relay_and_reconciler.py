"""The outbox relay and the reconciler on the in-memory unit of work."""

from __future__ import annotations

import pytest

from connectors.errors import RetryableDeliveryError
from hub.delivery.model import DeliveryStatus
from hub.errors import BusUnavailable
from tests.fakes import signaal
from tests.unit.pipeline.conftest import Pipeline, fails_with


def test_the_relay_publishes_outbox_rows_in_batches_and_removes_them(pipe: Pipeline):
    ids = [pipe.send(signaal()).answer["id"] for _ in range(3)]
    deliveries = [d.id for m in ids for d in pipe.deliveries_of(m)]
    assert pipe.relay.relay_once() == 2  # the relay's batch is 2
    assert pipe.relay.relay_once() == 1
    assert pipe.relay.relay_once() == 0
    assert pipe.bus.published == [("inbox", d) for d in deliveries]
    assert pipe.read().outbox.count() == 0


def test_rows_stay_in_the_outbox_while_the_bus_is_down(pipe: Pipeline):
    message_id = pipe.send(signaal()).answer["id"]
    pipe.bus.down = True
    with pytest.raises(BusUnavailable):
        pipe.relay.relay_once()
    assert pipe.read().outbox.count() == 1
    pipe.bus.down = False
    assert pipe.relay.relay_once() == 1
    [delivery] = pipe.deliveries_of(message_id)
    assert pipe.bus.published == [("inbox", delivery.id)]


def test_the_reconciler_leaves_a_fresh_dispatch_alone_and_redispatches_a_lost_one(pipe: Pipeline):
    message_id = pipe.send(signaal()).answer["id"]
    [delivery] = pipe.deliveries_of(message_id)
    pipe.relay.relay_once()
    assert pipe.reconciler.run_once() == 0  # dispatched at intake, the bus has it
    pipe.clock.advance(seconds=31)  # the bus message must be lost by now
    assert pipe.reconciler.run_once() == 1
    assert pipe.read().outbox.claim_batch(10)[0][1:] == (delivery.id, "inbox")
    assert pipe.reconciler.run_once() == 0  # dispatched again just now
    assert pipe.committed == ["intake", "reconciler"]


def test_the_reconciler_dispatches_a_retry_once_it_is_due(pipe: Pipeline):
    pipe.push_endpoint()
    pipe.push._behaviour = fails_with(RetryableDeliveryError("smtp.unavailable"))
    message_id = pipe.send(signaal()).answer["id"]
    [push] = [d for d in pipe.deliveries_of(message_id) if d.connector == "smtp"]
    pipe.processor.process(push.id)
    while pipe.relay.relay_once():
        pass
    assert pipe.read().deliveries.get(push.id).status is DeliveryStatus.RETRYING
    pipe.clock.advance(seconds=4)
    assert pipe.reconciler.run_once() == 0  # the retry is due after 5 s
    pipe.clock.advance(seconds=2)
    assert pipe.reconciler.run_once() == 1
    assert [row[1:] for row in pipe.read().outbox.claim_batch(10)] == [(push.id, "smtp")]
