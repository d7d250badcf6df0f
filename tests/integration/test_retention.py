"""Retention with crypto-shredding on the real databases: an expired message loses its data key
(no process can decrypt it), shows as vernietigd in status, inbox and zaak, the audit chain
still verifies; a zaak keeps its messages 5 years after afsluiting; several runs at once shred
each message once; a failed run raises an alert."""

from __future__ import annotations

import json
import threading

import pytest

from hub.persistence.retention_repository import SqlRetentionRepository
from hub.retention.errors import RetentionFailed
from tests.integration.pipeline import event, signaal
from tests.integration.retention_world import (
    decryptable_with_any_key,
    retention_world,
    rows,
    run_cli,
    send,
)

FIVE_YEARS = 1827  # days: the convenant's default of 1826, and a day more


@pytest.fixture
def rw(database_url, tmp_path):
    w = retention_world(database_url, tmp_path)
    yield w
    w.container.close()


def _payload(w, message_id: str) -> bytes:
    [(payload,)] = rows(w, "SELECT payload FROM messages WHERE id = :id", id=message_id)
    return bytes(payload)


def test_an_expired_message_is_shredded_so_that_no_key_in_the_database_opens_it(rw):
    message_id = send(rw, signaal(sender="ymere"), "ymere")
    ciphertext = _payload(rw, message_id)
    assert decryptable_with_any_key(rw, message_id, ciphertext)
    inbox = rw.client.get("/api/v1/inbox", headers=rw.headers("mzwo-centrum")).json["items"]
    assert inbox[0]["event"] is not None and inbox[0]["vernietigd"] is False

    rw.clock.advance(days=30)
    assert rw.container.retention.run().messages == 0  # not due yet: nothing shredded
    rw.clock.advance(days=FIVE_YEARS)
    report = rw.container.retention.run()

    assert report.messages == 1
    assert rows(rw, "SELECT count(*) FROM message_keys WHERE message_id = :id",
                id=message_id)[0][0] == 0
    assert _payload(rw, message_id) == b""
    assert not decryptable_with_any_key(rw, message_id, ciphertext)
    status = rw.client.get(f"/api/v1/messages/{message_id}", headers=rw.headers("ymere")).json
    assert status["status"] == "vernietigd" and status["shredded_at"]
    assert [d["recipient"] for d in status["deliveries"]] == ["mzwo-centrum"]  # skeleton stays
    [item] = rw.client.get("/api/v1/inbox?status=all",
                           headers=rw.headers("mzwo-centrum")).json["items"]
    assert item["vernietigd"] is True and item["event"] is None
    verify = rw.client.get("/api/v1/audit/verify", headers=rw.headers()).json
    assert verify["ok"] is True and verify["first_bad_seq"] is None


def test_a_retention_run_writes_one_audit_entry_with_counts_and_no_content(rw):
    for _ in range(3):
        send(rw, signaal(sender="ymere"), "ymere")
    rw.clock.advance(days=FIVE_YEARS)
    rw.container.retention.run()
    entries = rw.client.get("/api/v1/audit?activity=retention.run&limit=10",
                            headers=rw.headers()).json["items"]
    assert len(entries) == 1
    [(facts,)] = rows(rw, "SELECT facts FROM audit_log WHERE action = 'retention.run'")
    assert json.loads(facts) == {"status": "ok", "messages_shredded": 3, "zaken_shredded": 0,
                                 "postponed_by_zaak": 0}
    overview = rw.client.get("/api/v1/admin/retention", headers=rw.headers()).json
    assert overview["last_run"]["status"] == "ok"
    assert overview["last_run"]["messages_shredded"] == 3
    assert overview["due"]["messages"] == 0


def test_a_zaak_keeps_its_messages_five_years_after_afsluiting_then_shows_vernietigd(rw):
    toewijzing = send(rw, event("nl.ketenhub.toewijzing.v1",
                                {"zaak_kenmerk": "Z-R1", "aan": "arkin"}), "mzwo-centrum")
    rw.clock.advance(days=365)
    afsluiting = send(rw, event("nl.ketenhub.afsluiting.v1",
                                {"zaak_kenmerk": "Z-R1", "reden": "opgelost"}), "mzwo-centrum")
    rw.clock.advance(days=FIVE_YEARS - 365 + 10)  # the toewijzing's own term has passed
    assert rw.container.retention.run().messages == 0  # the zaak was closed 4 years ago
    overview = rw.client.get("/api/v1/admin/retention", headers=rw.headers()).json
    assert overview["due"]["messages"] == 0

    rw.clock.advance(days=366 + 10)
    report = rw.container.retention.run()
    assert report.messages == 2 and report.zaken == 1
    zaak = rw.client.get("/api/v1/zaken/Z-R1", headers=rw.headers("mzwo-centrum")).json
    assert zaak["vernietigd"] is True
    assert {i["message_id"]: i["vernietigd"] for i in zaak["items"]} == {
        toewijzing: True, afsluiting: True}
    assert rw.client.get("/api/v1/audit/verify", headers=rw.headers()).json["ok"] is True


def test_a_network_sets_its_own_retention_per_basis(rw):
    network = rw.client.get("/api/v1/admin/networks/amsterdam", headers=rw.headers()).json
    assert network["bewaartermijnen"]["zaak_jaren"] == 5
    body = {k: v for k, v in network.items() if k not in ("created_at", "version")}
    body["bewaartermijnen"] = {"convenant_dagen": 10}
    r = rw.client.put("/api/v1/admin/networks/amsterdam", headers=rw.headers(), json=body)
    assert r.status_code == 200, r.json
    assert r.json["bewaartermijnen"]["convenant_dagen"] == 10
    assert r.json["bewaartermijnen"]["zaak_jaren"] == 5
    rw.container.directory.invalidate()
    message_id = send(rw, signaal(sender="ymere"), "ymere")
    rw.clock.advance(days=11)
    assert rw.container.retention.run().messages == 1
    status = rw.client.get(f"/api/v1/messages/{message_id}", headers=rw.headers("ymere")).json
    assert status["status"] == "vernietigd"
    body["bewaartermijnen"] = {"convenant_dagen": -1}
    bad = rw.client.put("/api/v1/admin/networks/amsterdam", headers=rw.headers(), json=body)
    assert bad.status_code == 422 and "-1" not in bad.get_data(as_text=True)


def test_a_failed_run_is_recorded_and_raises_a_retention_failed_alert(rw, monkeypatch):
    send(rw, signaal(sender="ymere"), "ymere")
    rw.clock.advance(days=FIVE_YEARS)

    def broken(self, message_ids, at):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(SqlRetentionRepository, "shred", broken)
    with pytest.raises(RetentionFailed):
        rw.container.retention.run()
    alerts = rw.client.get("/api/v1/admin/alerts", headers=rw.headers()).json["items"]
    assert [a["kind"] for a in alerts] == ["retention.failed"]
    assert "disk on fire" not in str(alerts)
    overview = rw.client.get("/api/v1/admin/retention", headers=rw.headers()).json
    assert overview["last_run"]["status"] == "failed" and overview["due"]["messages"] == 1


def test_the_daily_run_happens_once_a_day_however_many_workers_ask(rw):
    send(rw, signaal(sender="ymere"), "ymere")
    rw.clock.advance(days=FIVE_YEARS)
    first = rw.container.retention.run_daily()
    assert first is not None and first.messages == 1
    assert rw.container.retention.run_daily() is None
    rw.clock.advance(days=1)
    assert rw.container.retention.run_daily() is not None


def test_ketenhub_retention_run_answers_in_dutch(rw, monkeypatch):
    send(rw, signaal(sender="ymere"), "ymere")
    result = run_cli(rw.container.config, monkeypatch, "retention", "run")
    assert result.exit_code == 0
    assert "0 bericht(en) vernietigd" in result.output  # the real clock: nothing due yet


def test_two_runs_at_once_on_postgresql_shred_each_message_once(postgres_url, tmp_path):
    w = retention_world(postgres_url, tmp_path, retention_batch=4)
    try:
        ids = [send(w, signaal(sender="ymere"), "ymere") for _ in range(30)]
        w.clock.advance(days=FIVE_YEARS)
        from hub.bootstrap import bootstrap

        second = bootstrap(w.container.config, clock=w.clock)  # another worker process
        barrier = threading.Barrier(2)
        reports = []

        def run(container):
            barrier.wait()
            reports.append(container.retention.run())

        threads = [threading.Thread(target=run, args=(c,)) for c in (w.container, second)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        second.close()
        assert len(reports) == 2
        assert sum(r.messages for r in reports) == len(ids)
        assert rows(w, "SELECT count(*) FROM messages WHERE shredded_at IS NULL")[0][0] == 0
        assert rows(w, "SELECT count(*) FROM message_keys")[0][0] == 0
        assert len(rows(w, "SELECT 1 FROM audit_log WHERE action = 'retention.run'")) == 2
        assert w.client.get("/api/v1/audit/verify", headers=w.headers()).json["ok"] is True
    finally:
        w.container.close()


def test_a_regiecheck_whose_questions_are_shredded_keeps_no_persons_and_no_contacts(
        database_url, tmp_path):
    from tests.integration.regiecheck_world import household, regiecheck_world, stop

    w = regiecheck_world(database_url, tmp_path, start=False)
    try:
        r = w.client.post("/api/v1/regiechecks", headers=w.headers("mzwo-centrum"),
                          json=household(zaak_kenmerk=None))
        assert r.status_code == 201, r.json
        check_id = r.json["id"]
        answer = {"bekend": True, "contact": {"naam": "A. de Vries", "functie": "wijkagent"}}
        assert w.client.post(f"/api/v1/regiechecks/{check_id}/antwoord", json=answer,
                             headers=w.headers("politie")).status_code in (200, 201, 202)
        view = w.client.get(f"/api/v1/regiechecks/{check_id}", headers=w.headers("mzwo-centrum"))
        assert any(p.get("contact") for p in view.json["partners"])
        w.clock.advance(days=FIVE_YEARS)
        assert w.container.retention.run().messages > 0
        [(payload,)] = rows(w, "SELECT payload FROM regiechecks WHERE id = :id", id=check_id)
        assert bytes(payload) == b""
        assert rows(w, "SELECT count(*) FROM regiecheck_partners WHERE regiecheck_id = :id "
                       "AND contact IS NOT NULL", id=check_id)[0][0] == 0
        after = w.client.get(f"/api/v1/regiechecks/{check_id}", headers=w.headers("mzwo-centrum"))
        assert after.status_code == 200
        politie = next(p for p in after.json["partners"] if p["tenant"] == "politie")
        assert politie["status"] == "bekend" and not politie.get("contact")
    finally:
        stop(w)


def test_the_worker_runs_retention_by_itself_once_a_day(database_url, tmp_path):
    from hub.runtime import Runtime
    from tests.integration.pipeline import wait_until

    w = retention_world(database_url, tmp_path, retention_interval_s=0.05)
    runtime = Runtime(w.container)
    try:
        message_id = send(w, signaal(sender="ymere"), "ymere")
        w.clock.advance(days=FIVE_YEARS)
        runtime.start()
        wait_until(lambda: rows(w, "SELECT shredded_at FROM messages WHERE id = :id",
                                id=message_id)[0][0] is not None)
        wait_until(lambda: rows(w, "SELECT count(*) FROM retention_runs "
                                   "WHERE status = 'ok'")[0][0] == 1)
        runs = rows(w, "SELECT scheduled_day FROM retention_runs")
        assert len(runs) == 1 and runs[0][0] is not None  # a claimed day, not a manual run
    finally:
        runtime.stop()
        w.container.close()
