"""A message from intake to the recipient's inbox, on SQLite + in-process bus and on
PostgreSQL + RabbitMQ."""

from __future__ import annotations

import pytest

from tenants.model import Principal
from tests.integration.pipeline import (
    delivery_status,
    event,
    pipeline_world,
    signaal,
    stop_world,
    wait_until,
)


@pytest.fixture(params=["embedded", "postgresql+rabbitmq"])
def pw(request, tmp_path):
    if request.param == "embedded":
        w = pipeline_world(f"sqlite:///{tmp_path / 'ketenhub.db'}", tmp_path)
    else:
        broker = request.getfixturevalue("broker_url")
        w = pipeline_world(request.getfixturevalue("postgres_url"), tmp_path, broker_url=broker)
    yield w
    stop_world(w)


def _send(w, body, sender="ymere"):
    return w.client.post("/api/v1/messages", json=body, headers=w.headers(sender))


def test_a_signaal_reaches_the_area_meldpunts_inbox_and_is_acknowledged(pw):
    r = _send(pw, signaal())
    assert r.status_code == 202, r.json
    assert r.json["status"] == "accepted"
    assert r.json["deliveries"] == [{"recipient": "mzwo-centrum", "basis": "convenant",
                                     "decision": "permit", "reason": "convenant amsterdam"}]
    message_id = r.json["id"]
    wait_until(lambda: delivery_status(pw, message_id)[0]["status"] == "delivered")
    inbox = pw.client.get("/api/v1/inbox", headers=pw.headers("mzwo-centrum")).json
    assert len(inbox["items"]) == 1
    item = inbox["items"][0]
    assert item["message_id"] == message_id and item["sender"] == "ymere"
    assert item["event"]["data"]["adres"]["postcode"] == "1012AB"
    ack = pw.client.post(f"/api/v1/inbox/{item['delivery_id']}/ack",
                         headers=pw.headers("mzwo-centrum"))
    assert ack.status_code == 200 and ack.json["status"] == "acknowledged"
    again = pw.client.post(f"/api/v1/inbox/{item['delivery_id']}/ack",
                           headers=pw.headers("mzwo-centrum"))
    assert again.status_code == 200 and again.json["acknowledged_at"] == ack.json["acknowledged_at"]
    assert pw.client.get("/api/v1/inbox", headers=pw.headers("mzwo-centrum")).json["items"] == []
    everything = pw.client.get("/api/v1/inbox?status=all", headers=pw.headers("mzwo-centrum"))
    assert [i["status"] for i in everything.json["items"]] == ["acknowledged"]
    [view] = delivery_status(pw, message_id)
    assert view["status"] == "acknowledged" and view["attempts"] == 1


def test_the_same_cloudevent_sent_100_times_is_stored_and_delivered_once(pw):
    body = signaal(event_id="vaste-id-1")
    answers = [_send(pw, body) for _ in range(100)]
    assert answers[0].status_code == 202
    assert {a.status_code for a in answers[1:]} == {200}
    assert all(a.headers.get("Idempotent-Replayed") == "true" for a in answers[1:])
    assert {a.json["id"] for a in answers} == {answers[0].json["id"]}
    wait_until(lambda: delivery_status(pw, answers[0].json["id"])[0]["status"] == "delivered")
    items = pw.client.get("/api/v1/inbox", headers=pw.headers("mzwo-centrum")).json["items"]
    assert len(items) == 1
    with pw.container.uow() as uow:
        counts = uow.deliveries.count_by_status()
    assert sum(counts.values()) == 1


def test_concurrent_senders_each_get_their_own_answer_and_twins_share_one_message(pw):
    import threading

    bodies = [signaal(event_id=f"gelijktijdig-{i % 10}") for i in range(40)]
    answers: list = [None] * len(bodies)

    def send(i: int) -> None:
        client = pw.app.test_client()
        answers[i] = client.post("/api/v1/messages", json=bodies[i], headers=pw.headers("ymere"))

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(bodies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    by_event: dict[str, set[str]] = {}
    for body, answer in zip(bodies, answers, strict=True):
        assert answer.status_code in (200, 202), answer.json
        by_event.setdefault(body["id"], set()).add(answer.json["id"])
    assert all(len(ids) == 1 for ids in by_event.values()) and len(by_event) == 10
    assert sum(a.status_code == 202 for a in answers) == 10
    with pw.container.uow() as uow:
        assert sum(uow.deliveries.count_by_status().values()) == 10


def test_the_same_id_from_another_sender_is_another_message(pw):
    first = _send(pw, signaal(event_id="gedeeld-id"))
    meldpunt_event = event("nl.ketenhub.toewijzing.v1",
                           {"zaak_kenmerk": "Z-1", "aan": "arkin"}, event_id="gedeeld-id")
    second = _send(pw, meldpunt_event, sender="mzwo-centrum")
    assert first.status_code == second.status_code == 202
    assert first.json["id"] != second.json["id"]


def test_a_recipient_outside_the_network_is_denied_with_its_reason(pw):
    r = _send(pw, event("nl.ketenhub.toewijzing.v1", {"zaak_kenmerk": "Z-2", "aan": "ymere"}),
              sender="mzwo-centrum")
    assert r.status_code == 202
    assert r.json["deliveries"] == [{"recipient": "ymere", "basis": None, "decision": "deny",
                                     "reason": "not in network"}]
    unknown = _send(pw, event("nl.ketenhub.toewijzing.v1",
                              {"zaak_kenmerk": "Z-3", "aan": "bestaat-niet"}), sender="mzwo-centrum")
    assert unknown.json["deliveries"][0]["reason"] == "not in network"
    view = delivery_status(pw, r.json["id"], sender="mzwo-centrum")
    assert view == [{"recipient": "ymere", "decision": "deny", "basis": None,
                     "reason": "not in network", "status": None, "attempts": 0}]


def test_a_postcode_outside_every_area_is_accepted_with_no_recipient_and_the_reason(pw):
    r = _send(pw, signaal(postcode="9999 ZZ"))
    assert r.status_code == 202 and r.json["deliveries"] == []
    assert [w["code"] for w in r.json["warnings"]] == ["routing.no_meldpunt_for_area"]


def test_a_toewijzing_and_its_reactie_and_afsluiting_find_their_way(pw):
    toewijzing = _send(pw, event("nl.ketenhub.toewijzing.v1",
                                 {"zaak_kenmerk": "MZWO-77", "aan": "arkin"}), sender="mzwo-centrum")
    assert toewijzing.json["deliveries"][0]["decision"] == "permit"
    reactie = _send(pw, event("nl.ketenhub.toewijzing.reactie.v1",
                              {"zaak_kenmerk": "MZWO-77", "geaccepteerd": True,
                               "contact": {"naam": "J. de Vries", "telefoon": "020-5551234"}},
                              sender="arkin"),
                    sender="arkin")
    assert [d["recipient"] for d in reactie.json["deliveries"]] == ["mzwo-centrum"]
    afsluiting = _send(pw, event("nl.ketenhub.afsluiting.v1",
                                 {"zaak_kenmerk": "MZWO-77", "reden": "opgelost"}),
                       sender="mzwo-centrum")
    assert [d["recipient"] for d in afsluiting.json["deliveries"]] == ["arkin"]


def test_a_reactie_goes_back_to_the_signaal_sender_only_from_its_recipient(pw):
    signaal_id = _send(pw, signaal()).json["id"]
    reactie = {"signaal_id": signaal_id, "status": "in_behandeling"}
    ok = _send(pw, event("nl.ketenhub.signaal.reactie.v1", reactie), sender="mzwo-centrum")
    assert [d["recipient"] for d in ok.json["deliveries"]] == ["ymere"]
    stranger = _send(pw, event("nl.ketenhub.signaal.reactie.v1", reactie, sender="arkin"),
                     sender="arkin")
    assert stranger.status_code == 422
    assert stranger.json["error"]["code"] == "validation.unknown_reference"


def test_a_recipient_suspended_before_delivery_gets_a_blocked_delivery(pw):
    pw.runtime.stop()
    r = _send(pw, signaal())
    pw.container.tenants.suspend(Principal.system(), "mzwo-centrum")
    pw.container.processor.process(delivery_status(pw, r.json["id"])[0]["delivery_id"])
    [view] = delivery_status(pw, r.json["id"])
    assert view["status"] == "blocked" and view["reason"] == "recipient suspended"
    with pw.container.uow() as uow:
        phases = [(d["phase"], d["decision"]) for d in uow.decisions.for_message(r.json["id"])]
    assert phases == [("intake", "permit"), ("delivery", "deny")]


def test_a_message_at_the_size_limit_is_accepted_and_over_it_is_413(pw):
    body = signaal(omschrijving="x" * 2000)
    assert _send(pw, body).status_code == 202
    body["data"]["omschrijving"] = "y" * 70_000
    r = _send(pw, body)
    assert r.status_code == 413 and r.json["error"]["code"] == "request.too_large"


def test_the_payload_is_encrypted_at_rest(pw):
    marker = "Onmiskenbaar-Kenmerk-4242"
    r = _send(pw, signaal(omschrijving=f"Veel lawaai, zie {marker}."))
    with pw.container.engine.connect() as conn:
        from sqlalchemy import text

        rows = conn.execute(text("SELECT payload, routing, answer FROM messages")).all()
    assert rows and all(marker.encode() not in bytes(row[0]) for row in rows)
    assert all(marker not in row[1] + row[2] for row in rows)
    wait_until(lambda: delivery_status(pw, r.json["id"])[0]["status"] == "delivered")
    items = pw.client.get("/api/v1/inbox", headers=pw.headers("mzwo-centrum")).json["items"]
    assert marker in items[0]["event"]["data"]["omschrijving"]


def test_a_page_of_the_inbox_is_acknowledged_at_once(pw):
    ids = [_send(pw, signaal()).json["id"] for _ in range(5)]
    wait_until(lambda: len(pw.client.get("/api/v1/inbox", headers=pw.headers(
        "mzwo-centrum")).json["items"]) == 5)
    items = pw.client.get("/api/v1/inbox", headers=pw.headers("mzwo-centrum")).json["items"]
    assert sorted(i["message_id"] for i in items) == sorted(ids)
    delivery_ids = [i["delivery_id"] for i in items]
    r = pw.client.post("/api/v1/inbox:ack", headers=pw.headers("mzwo-centrum"),
                       json={"delivery_ids": delivery_ids})
    assert r.json == {"acknowledged": delivery_ids, "not_found": []}
    assert pw.client.get("/api/v1/inbox", headers=pw.headers("mzwo-centrum")).json["items"] == []


def test_a_batch_is_stored_in_one_go_and_duplicates_inside_it_are_replays(pw):
    first, second = signaal(event_id="batch-1"), signaal(event_id="batch-2")
    r = pw.client.post("/api/v1/messages:batch", headers=pw.headers("ymere"),
                       json={"events": [first, second, first]})
    statuses = [res["status"] for res in r.json["results"]]
    assert statuses == [202, 202, 200]
    assert r.json["results"][0]["body"]["id"] == r.json["results"][2]["body"]["id"]
    for res in r.json["results"][:2]:
        wait_until(lambda mid=res["body"]["id"]: delivery_status(pw, mid)[0]["status"]
                   == "delivered")
