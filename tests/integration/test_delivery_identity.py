"""One identity per delivery across channels: a message reaches a tenant's inbox, webhook,
AMQP broker and e-mail under one id — the inbox item's ``delivery_id`` is the ``webhook-id``,
the AMQP ``message_id`` and the e-mail's kenmerk — and ``khmessageid`` names the hub's
message. A partner acknowledges the inbox copy of a pushed event with that same id."""

from __future__ import annotations

import json

import pytest

from connectors.memory import MemoryConnector
from connectors.smtp import SmtpConnector
from tenants.model import Principal
from tests.contract.conftest import WebhookReceiver
from tests.integration.pipeline import delivery_status, pipeline_world, signaal, stop_world, wait_until

PUSH = {"amqp": {"url": "amqp://guest:guest@127.0.0.1:5672/", "exchange": "partner",
                 "routing_key": "signalen"},
        "smtp": {"to": "team@example.nl"}}


@pytest.fixture
def pw(sqlite_url, tmp_path):
    w = pipeline_world(sqlite_url, tmp_path)
    with WebhookReceiver() as receiver:
        w.receiver = receiver
        yield w
    stop_world(w)


def test_inbox_webhook_amqp_and_e_mail_carry_the_same_delivery_id_and_the_push_is_acked_by_it(pw):
    created, secret = pw.container.endpoints.create(
        Principal.system(), "mzwo-centrum", connector="webhook",
        config={"url": pw.receiver.url("/ok")})
    pw.receiver.accepted_secrets.append(secret)
    for connector, config in PUSH.items():
        pw.container.endpoints.create(Principal.system(), "mzwo-centrum", connector=connector,
                                      config=config)
    # What the hub hands the broker and the mail server (how each renders the id:
    # tests/contract and tests/unit/connectors); the webhook goes over HTTP for real.
    sent = {name: MemoryConnector() for name in PUSH}
    pw.container.connectors.update(sent)

    answer = pw.client.post("/api/v1/messages", json=signaal(), headers=pw.headers("ymere")).json
    wait_until(lambda: {d["status"] for d in delivery_status(pw, answer["id"])} == {"delivered"})
    [item] = pw.client.get("/api/v1/inbox", headers=pw.headers("mzwo-centrum")).json["items"]
    identity = item["delivery_id"]
    assert item["message_id"] == answer["id"]

    [received] = pw.receiver.received
    assert received.headers["webhook-id"] == identity
    assert json.loads(received.body)["khmessageid"] == answer["id"]
    [amqp] = sent["amqp"].sent
    [mail] = sent["smtp"].sent
    assert amqp.delivery_id == mail.delivery_id == identity
    assert amqp.event["khmessageid"] == answer["id"]
    body = SmtpConnector(inbox_url_template="https://hub.example/inbox/{delivery_id}") \
        .compose(mail).get_body(("plain",)).get_content()
    assert f"Kenmerk: {identity}" in body and f"https://hub.example/inbox/{identity}" in body
    # Four channels, four deliveries of their own (attempts, status) — one id to the partner.
    assert len({d["delivery_id"] for d in delivery_status(pw, answer["id"])}) == 4

    # The partner guide: having stored the pushed event, acknowledge its inbox copy by the
    # webhook-id; the inbox then holds nothing open.
    ack = pw.client.post(f"/api/v1/inbox/{received.headers['webhook-id']}/ack",
                         headers=pw.headers("mzwo-centrum"))
    assert ack.status_code == 200, ack.json
    assert pw.client.get("/api/v1/inbox", headers=pw.headers("mzwo-centrum")).json["items"] == []


def test_the_inbox_items_id_is_derived_from_the_message_and_the_recipient(pw):
    from hub.delivery.model import delivery_identity

    answer = pw.client.post("/api/v1/messages", json=signaal(), headers=pw.headers("ymere")).json
    with pw.container.uow() as uow:
        [inbox] = [d for d in uow.deliveries.for_message(answer["id"]) if d.connector == "inbox"]
    assert inbox.id == delivery_identity(answer["id"], "mzwo-centrum")
    assert delivery_identity(answer["id"], "arkin") != inbox.id
