"""Key rotation on the real databases: a master-key rotation re-wraps every data key while
messages keep flowing (no delivery fails), keeps pseudonyms and derived keys the same, and
afterwards the new key alone opens everything; a data-key rotation seals new payloads under
the new version while old ones stay readable."""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import replace

from hub.app import create_app
from hub.bootstrap import bootstrap
from hub.crypto.keyring import MasterKey, new_data_key
from hub.crypto.vault import _context
from hub.runtime import Runtime
from tests.integration.conftest import new_master_key
from tests.integration.pipeline import pipeline_world, signaal, wait_until
from tests.integration.retention_world import retention_world, rows, run_cli, send


def _key_id(key_b64: str) -> str:
    return MasterKey(base64.b64decode(key_b64)).key_id


def test_after_rotate_master_the_new_key_alone_opens_every_payload_and_pseudonyms_stay(
        database_url, tmp_path, monkeypatch):
    old_key, new_key = new_master_key(), new_master_key()
    w = retention_world(database_url, tmp_path, master_key=old_key)
    try:
        message_id = send(w, signaal(sender="ymere"), "ymere")
        before = {"web": w.container.web_secret,
                  "client_ref": w.container.vault.master.derive("client-ref")}
        config = replace(w.container.config, master_key=new_key)
        result = run_cli(config, monkeypatch, "keys", "rotate-master", previous=old_key)
        assert result.exit_code == 0, result.output
        assert "datasleutel(s) opnieuw verpakt" in result.output
        masters = rows(w, "SELECT DISTINCT master_key_id FROM tenant_data_keys")
        assert [m[0] for m in masters] == [_key_id(new_key)]

        only_new = bootstrap(config)  # the old key is gone from every process
        try:
            assert only_new.web_secret == before["web"]
            assert only_new.vault.master.derive("client-ref") == before["client_ref"]
            client = create_app(config, only_new).test_client()
            [item] = client.get("/api/v1/inbox", headers=w.headers("mzwo-centrum")).json["items"]
            assert item["message_id"] == message_id and item["event"]["data"]["soort"]
        finally:
            only_new.close()
        again = run_cli(config, monkeypatch, "keys", "rotate-master")
        assert again.exit_code == 0 and "0 datasleutel(s)" in again.output
        verify = w.client.get("/api/v1/audit/verify", headers=w.headers()).json
        assert verify["ok"] is True
    finally:
        w.container.close()


def test_rotate_data_seals_new_messages_with_a_new_version_and_old_ones_stay_readable(
        database_url, tmp_path, monkeypatch):
    w = retention_world(database_url, tmp_path)
    try:
        first = send(w, signaal(sender="ymere"), "ymere")
        result = run_cli(w.container.config, monkeypatch, "keys", "rotate-data", "--tenant", "ymere")
        assert result.exit_code == 0, result.output
        assert "versie 2" in result.output
        w.container.vault.forget("ymere")  # this process learns at once; others within the TTL
        second = send(w, signaal(sender="ymere"), "ymere")
        versions = dict(rows(w, "SELECT id, key_version FROM messages WHERE id IN (:a, :b)",
                             a=first, b=second))
        assert versions == {first: 1, second: 2}
        retired = dict(rows(w, "SELECT version, retired_at IS NOT NULL FROM tenant_data_keys "
                               "WHERE tenant_id = 'ymere'"))
        assert retired == {1: True, 2: False}
        items = w.client.get("/api/v1/inbox", headers=w.headers("mzwo-centrum")).json["items"]
        assert {i["message_id"] for i in items if i["event"]} == {first, second}
        unknown = run_cli(w.container.config, monkeypatch, "keys", "rotate-data", "--tenant", "nope")
        assert unknown.exit_code != 0 and "not_found" in unknown.output
    finally:
        w.container.close()


def test_a_master_key_rotation_while_messages_flow_fails_no_delivery(postgres_url, tmp_path):
    old_key, new_key = new_master_key(), new_master_key()
    w = pipeline_world(postgres_url, tmp_path, start=False, master_key=old_key)
    # Many data keys under the old master key, so the rotation takes several batches.
    filler = MasterKey(base64.b64decode(old_key))
    with w.container.uow() as uow:
        for version in range(1, 601):
            uow.data_keys.add("arkin", version, filler.wrap(new_data_key(),
                                                           _context("arkin", version)),
                              filler.key_id, w.container.clock())
        uow.commit()
    send_first = w.client.post("/api/v1/messages", headers=w.headers("ymere"),
                               json=signaal(sender="ymere"))
    assert send_first.status_code == 202
    w.container.close()

    # Every process restarted with the new key and the old one as previous (step 2).
    config = replace(w.container.config, master_key=new_key, master_key_previous=old_key)
    worker = bootstrap(config)
    runtime = Runtime(worker)
    runtime.start()
    client = create_app(config, worker).test_client()
    sent: list[str] = []
    failures: list[str] = []
    stop = threading.Event()

    def flow() -> None:
        while not stop.is_set() and len(sent) < 60:
            worker.vault.forget("ymere")  # unwrap from the database each time, mid-rotation
            worker.vault.forget("mzwo-centrum")
            r = client.post("/api/v1/messages", headers=w.headers("ymere"),
                            json=signaal(sender="ymere"))
            if r.status_code != 202:
                failures.append(f"send {r.status_code}")
                continue
            sent.append(r.json["id"])
            inbox = client.get("/api/v1/inbox?status=all&limit=500",
                               headers=w.headers("mzwo-centrum"))
            if inbox.status_code != 200:
                failures.append(f"inbox {inbox.status_code}")

    flowing = threading.Thread(target=flow)
    flowing.start()
    try:
        wait_until(lambda: len(sent) >= 5)
        rotation = bootstrap(config).key_rotation.rotate_master(actor="test")  # meanwhile
        flowing.join(120)
        assert rotation.rewrapped >= 600 and rotation.unreadable == 0
        assert failures == []
        every = [send_first.json["id"], *sent]

        def all_delivered() -> bool:
            states = rows_of(worker, every)
            return states and all(s == "delivered" for s in states)

        wait_until(all_delivered, timeout=60)
        inbox = client.get("/api/v1/inbox?status=all&limit=500",
                           headers=w.headers("mzwo-centrum")).json["items"]
        assert {i["message_id"] for i in inbox if i["event"]} == set(every)
        with worker.uow() as uow:
            assert set(uow.data_keys.count_by_master()) == {_key_id(new_key)}
    finally:
        stop.set()
        flowing.join(30)
        runtime.stop()
        worker.close()


def rows_of(container, message_ids: list[str]) -> list[str]:
    from sqlalchemy import bindparam, text

    with container.engine.connect() as conn:
        return [r[0] for r in conn.execute(text(
            "SELECT status FROM deliveries WHERE message_id IN :ids").bindparams(
            bindparam("ids", expanding=True)), {"ids": message_ids})]


def test_configuration_names_the_previous_master_key(tmp_path):
    from hub.config import Config

    config = Config.from_env({"KETENHUB_MASTER_KEY_PREVIOUS": "abc",
                              "KETENHUB_DATA_KEY_REFRESH_S": "5"})
    assert config.master_key_previous == "abc" and config.data_key_refresh_s == 5.0
    assert json.dumps(config.retention_batch) == "500"
