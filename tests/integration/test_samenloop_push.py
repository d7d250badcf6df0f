"""Samenloop on push deliveries: a signaal pushed to a meldpunt carries its ``samenloop`` over
every channel (webhook, AMQP, e-mail), as its inbox item does; a partner that is no meldpunt
never gets one, on no channel."""

from __future__ import annotations

from datetime import timedelta

import pytest

from connectors.memory import MemoryConnector
from hub.delivery.model import DeliveryStatus
from hub.delivery.processor import SAMENLOOP_EXTENSION
from tenants.model import Principal
from tests.integration.pipeline import signaal
from tests.integration.test_zaken import KENMERK, send, toewijzing, zaken_world

PUSH = {"webhook": {"url": "http://127.0.0.1:9/hook"},
        "amqp": {"url": "amqp://guest:guest@127.0.0.1:5672/", "exchange": "partner",
                 "routing_key": "signalen"},
        "smtp": {"to": "team@example.nl"}}


@pytest.fixture
def sw(database_url, tmp_path):
    w = zaken_world(database_url, tmp_path, allow_loopback_endpoints=True)
    yield w
    w.container.close()


def test_a_signaal_pushed_to_a_meldpunt_carries_samenloop_on_every_channel_and_to_no_one_else(sw):
    for tenant in ("mzwo-centrum", "hvo-querido"):
        for connector, config in PUSH.items():
            sw.container.endpoints.create(Principal.system(), tenant, connector=connector,
                                          config=config)
    # What the hub hands each transport (how each renders it: tests/unit/connectors).
    sent = {name: MemoryConnector() for name in PUSH}
    sw.container.connectors.update(sent)

    now = sw.clock.now
    sw.clock.now = now - timedelta(days=200)
    send(sw, "ymere", signaal())  # earlier at Damrak 12
    sw.clock.now = now - timedelta(days=10)
    send(sw, "mzwo-centrum", toewijzing("hvo-querido"))  # the open zaak at the address
    sw.clock.now = now
    latest = send(sw, "ymere", signaal())["id"]
    shared = signaal(sender="mzwo-centrum")
    shared["data"] |= {"aan": ["hvo-querido"], "melder_type": "gemeente"}
    passed_on = send(sw, "mzwo-centrum", shared)["id"]

    with sw.container.uow() as uow:
        pending = [d.id for d in uow.deliveries.list_by_status(
            DeliveryStatus.PENDING, after=None, limit=500)]
    sw.container.processor.process_many(pending)

    expected = {"eerdere_signalen_3_jaar": 1, "open_zaak": KENMERK}
    for name, connector in sent.items():
        to_meldpunt = [r for r in connector.sent
                       if r.recipient == "mzwo-centrum" and r.message_id == latest]
        assert [r.event[SAMENLOOP_EXTENSION] for r in to_meldpunt] == [expected], name
        to_partner = [r for r in connector.sent if r.recipient == "hvo-querido"]
        assert {r.message_id for r in to_partner} >= {passed_on}, name
        assert all(SAMENLOOP_EXTENSION not in r.event for r in to_partner), name
