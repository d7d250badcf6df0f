"""Alerts reach people: listed by the API, e-mailed once to the tenant's alert address by the
worker's notifier (a real SMTP server on loopback), counted in the metrics."""

from __future__ import annotations

import socket
import threading
from datetime import UTC, datetime
from email import message_from_bytes

import pytest

from tests.integration.conftest import build_world


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def mailbox():
    from aiosmtpd.controller import Controller

    box = _Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield box, controller.port
    controller.stop()


@pytest.fixture
def alert_world(database_url, tmp_path, mailbox):
    _, port = mailbox
    w = build_world(database_url, tmp_path, smtp_host="127.0.0.1", smtp_port=port,
                    smtp_tls="none", public_url="https://hub.voorbeeld.nl")
    yield w
    w.container.close()


def _raise(w, tenant_id: str, kind: str, subject_id: str) -> None:
    with w.container.uow() as uow:
        uow.alerts.raise_alert(kind=kind, tenant_id=tenant_id, subject_id=subject_id,
                               detail=None, at=datetime.now(UTC))
        uow.commit()


def test_a_tenant_admin_sets_an_alert_address_and_each_alert_is_mailed_to_it_once(
        alert_world, mailbox):
    w = alert_world
    box, _ = mailbox
    r = w.client.patch("/api/v1/admin/tenants/ymere", headers=w.headers("ymere"),
                       json={"alert_email": "beheer@ymere.voorbeeld.nl"})
    assert r.status_code == 200 and r.json["alert_email"] == "beheer@ymere.voorbeeld.nl"
    _raise(w, "ymere", "delivery.dead", "d-1")
    _raise(w, "arkin", "endpoint.gone", "e-1")  # arkin has no alert address

    assert w.container.alerts.notify_pending() == 2
    assert w.container.alerts.notify_pending() == 0
    assert len(box.messages) == 1
    mail = box.messages[0]
    assert mail["To"] == "beheer@ymere.voorbeeld.nl"
    assert mail["Subject"] == "[Ketenhub] Bericht niet afgeleverd"
    body = mail.get_payload(decode=True).decode()
    assert "d-1" in body and "https://hub.voorbeeld.nl/api/v1/admin/alerts" in body

    listed = w.client.get("/api/v1/admin/alerts", headers=w.headers("ymere")).json["items"]
    assert [(a["kind"], a["subject_id"]) for a in listed] == [("delivery.dead", "d-1")]
    assert listed[0]["notified_at"] is not None and listed[0]["what_to_do"]


def test_an_invalid_alert_address_is_refused_without_echoing_it(alert_world):
    w = alert_world
    r = w.client.patch("/api/v1/admin/tenants/ymere", headers=w.headers("ymere"),
                       json={"alert_email": "geen adres\r\nBcc: x@y.nl"})
    assert r.status_code == 422
    assert r.json["error"]["details"][0]["field"] == "/alert_email"
    assert "Bcc" not in r.get_data(as_text=True)


def test_the_alerts_per_kind_and_the_delivery_counts_are_in_the_metrics(alert_world):
    w = alert_world
    _raise(w, "ymere", "delivery.dead", "d-1")
    _raise(w, "ymere", "delivery.dead", "d-2")
    text = w.client.get("/metrics").get_data(as_text=True)
    assert 'ketenhub_alerts{kind="delivery.dead"} 2.0' in text
    assert "ketenhub_outbox_backlog 0.0" in text


@pytest.mark.integration
def test_two_notifiers_at_once_mail_each_alert_once(postgres_url, tmp_path, mailbox):
    box, port = mailbox
    w = build_world(postgres_url, tmp_path, smtp_host="127.0.0.1", smtp_port=port,
                    smtp_tls="none")
    try:
        w.container.tenants.set_alert_email(_system(), "ymere", "beheer@ymere.voorbeeld.nl")
        for i in range(20):
            _raise(w, "ymere", "delivery.dead", f"d-{i}")
        counts: list[int] = []
        threads = [threading.Thread(target=lambda: counts.append(w.container.alerts.notify_pending()))
                   for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sum(counts) == 20
        assert sorted(m["Message-ID"] for m in box.messages) == sorted(
            {m["Message-ID"] for m in box.messages})
        assert len(box.messages) == 20
    finally:
        w.container.close()


def _system():
    from tenants.model import Principal

    return Principal.system()
