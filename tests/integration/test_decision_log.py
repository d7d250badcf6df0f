"""The decision log follows the outcome every time it is decided again (issue 13, item 9):
a redrive's fresh check (single and bulk), a re-check at delivery that turns it into a deny,
the withdrawal of an inbox item — so it never says permit while the delivery is blocked."""

from __future__ import annotations

import pytest

from connectors.errors import PermanentDeliveryError
from connectors.memory import MemoryConnector
from hub.delivery.model import DeliveryStatus
from tenants.model import Principal
from tests.integration.pipeline import delivery_status, pipeline_world
from tests.integration.test_consent_flow import register_consent, register_woning, send_signaal
from tests.unit.pipeline.conftest import fails_with


@pytest.fixture
def dw(database_url, tmp_path):
    w = pipeline_world(database_url, tmp_path, start=False)
    w.container.endpoints.create(Principal.system(), "arkin", connector="webhook",
                                 config={"url": "http://127.0.0.1:9/hook"})
    w.webhook = MemoryConnector(fails_with(PermanentDeliveryError("connector.http_4xx")))
    w.container.connectors["webhook"] = w.webhook
    yield w
    w.container.close()


def work(w) -> None:
    """One pass of the worker over what is due."""
    with w.container.uow() as uow:
        due = [d.id for status in (DeliveryStatus.PENDING, DeliveryStatus.RETRYING)
               for d in uow.deliveries.list_by_status(status, after=None, limit=500)]
    w.container.processor.process_many(due)


def log(w, message_id: str) -> list[tuple[str, str, str]]:
    items = w.client.get(f"/api/v1/decisions?message_id={message_id}",
                         headers=w.headers("arkin")).json["items"]
    return [(d["phase"], d["decision"], d["reason"]) for d in items
            if d["recipient"] == "arkin"]


def arkin_webhook(w, message_id: str) -> dict:
    return next(v for v in delivery_status(w, message_id)
                if v["recipient"] == "arkin" and v["connector"] == "webhook")


def test_a_redrive_then_a_withdrawal_leave_the_log_ending_in_deny_as_the_delivery_is_blocked(dw):
    consent = register_consent(dw)
    register_woning(dw, consent)
    message_id = send_signaal(dw)["id"]
    work(dw)
    assert arkin_webhook(dw, message_id)["status"] == "dead"

    r = dw.client.post("/api/v1/admin/deliveries:redrive", headers=dw.headers("arkin"), json={})
    assert r.status_code == 200 and r.json == {"redriven": 1, "blocked": 0}
    dw.client.post(f"/api/v1/consents/{consent['id']}/withdraw", headers=dw.headers("arkin"),
                   json={"reason": "Cliënt trekt de toestemming in."})
    work(dw)  # the re-check at delivery now denies

    webhook = arkin_webhook(dw, message_id)
    assert (webhook["status"], webhook["reason"]) == ("blocked", "consent withdrawn")
    assert log(dw, message_id) == [
        ("intake", "permit", "consent"), ("delivery", "permit", "consent"),
        ("redrive", "permit", "consent"), ("withdrawal", "deny", "consent withdrawn"),
        ("delivery", "deny", "consent withdrawn")]


def test_a_redrive_after_the_consent_ended_is_blocked_and_says_so_in_the_log(dw):
    consent = register_consent(dw)
    register_woning(dw, consent)
    message_id = send_signaal(dw)["id"]
    work(dw)
    dead = arkin_webhook(dw, message_id)
    dw.client.post(f"/api/v1/consents/{consent['id']}/withdraw", headers=dw.headers("arkin"),
                   json={"reason": "Cliënt trekt de toestemming in."})

    r = dw.client.post(f"/api/v1/admin/deliveries/{dead['delivery_id']}/redrive",
                       headers=dw.headers("arkin"))
    assert r.status_code == 200, r.json
    assert (r.json["status"], r.json["redrives"]) == ("blocked", 0)
    work(dw)
    blocked = arkin_webhook(dw, message_id)
    assert (blocked["status"], blocked["attempts"], blocked["reason"]) == (
        "blocked", 1, "consent withdrawn")  # not attempted again
    assert log(dw, message_id)[-2:] == [("withdrawal", "deny", "consent withdrawn"),
                                        ("redrive", "deny", "consent withdrawn")]
    again = dw.client.post("/api/v1/admin/deliveries:redrive", headers=dw.headers("arkin"),
                           json={})
    assert again.json == {"redriven": 0, "blocked": 0}  # blocked is final
