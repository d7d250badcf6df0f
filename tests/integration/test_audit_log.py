"""The processing log on the real databases: chained on commit by concurrent writers, listed per
tenant, and every kind of tampering found by the API and by ``ketenhub audit verify``."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from hub.cli import cli

T0 = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def _write(w, n: int, tenant: str = "ymere") -> None:
    for i in range(n):
        with w.container.uow() as uow:
            uow.audit.record(action="message.accepted", tenant_id=tenant, actor="k1",
                             subject_id=f"msg-{i}", facts={"n": i}, at=T0 + timedelta(seconds=i),
                             basis="convenant", subject_ref="ab" * 32, trace_id=f"t{i}",
                             purpose="signalering")
            uow.commit()


def _sql(w, statement: str, **params) -> None:
    with w.container.engine.begin() as conn:
        conn.execute(text(statement), params)


def _api_verify(w) -> dict:
    r = w.client.get("/api/v1/audit/verify", headers=w.headers())
    assert r.status_code == 200
    return r.json


def _cli_verify(w, monkeypatch) -> tuple[int, dict]:
    config = w.container.config
    monkeypatch.setenv("KETENHUB_DATA_DIR", str(config.data_dir))
    monkeypatch.setenv("KETENHUB_DATABASE_URL", config.database_url)
    monkeypatch.setenv("KETENHUB_MASTER_KEY", config.master_key)
    monkeypatch.delenv("KETENHUB_BROKER_URL", raising=False)
    result = CliRunner().invoke(cli, ["audit", "verify"], catch_exceptions=False)
    return result.exit_code, json.loads(result.output.strip().splitlines()[-1])


def test_entries_recorded_in_a_unit_of_work_are_chained_when_it_commits(world):
    _write(world, 3)
    with world.container.uow() as uow:
        uow.audit.record(action="message.accepted", tenant_id="ymere", actor=None,
                         subject_id="never", facts={}, at=T0)  # rolled back: never chained
    r = world.client.get("/api/v1/audit", headers=world.headers())
    items = [e for e in r.json["items"] if e["activity"] == "message.accepted"]
    assert [e["object"] for e in items] == ["msg-0", "msg-1", "msg-2"]
    seqs = [e["seq"] for e in r.json["items"]]
    assert seqs == list(range(1, len(seqs) + 1))
    for before, after in zip(r.json["items"], r.json["items"][1:], strict=False):
        assert after["prev_hash"] == before["hash"]
    first = items[0]
    assert {k: first[k] for k in ("basis", "subject_ref", "purpose", "trace_id", "actor")} == {
        "basis": "convenant", "subject_ref": "ab" * 32, "purpose": "signalering",
        "trace_id": "t0", "actor": "k1"}
    assert _api_verify(world) == {"ok": True, "checked": len(seqs), "first_bad_seq": None}


def test_a_tenant_reads_only_the_entries_about_its_own_processing(world):
    _write(world, 2, tenant="ymere")
    _write(world, 2, tenant="arkin")
    mine = world.client.get("/api/v1/audit?activity=message.accepted",
                            headers=world.headers("ymere")).json["items"]
    assert len(mine) == 2 and {e["tenant_id"] for e in mine} == {"ymere"}
    page = world.client.get("/api/v1/audit?limit=1&activity=message.accepted",
                            headers=world.headers()).json
    assert len(page["items"]) == 1 and page["next"]
    rest = world.client.get(f"/api/v1/audit?limit=10&activity=message.accepted&after={page['next']}",
                            headers=world.headers()).json
    assert len(rest["items"]) == 3 and rest["next"] is None


def test_an_unknown_activity_filter_in_a_bad_shape_is_a_clear_422(world):
    r = world.client.get("/api/v1/audit?activity=DROP%20TABLE", headers=world.headers())
    assert r.status_code == 422 and r.json["error"]["code"] == "validation.invalid"
    assert "DROP" not in r.get_data(as_text=True)


_FLIPS = {
    "at": "UPDATE audit_log SET at = at + interval '1 microsecond' WHERE seq = :seq",
    "action": "UPDATE audit_log SET action = 'message.acceptee' WHERE seq = :seq",
    "tenant_id": "UPDATE audit_log SET tenant_id = 'ymerf' WHERE seq = :seq",
    "actor": "UPDATE audit_log SET actor = 'k2' WHERE seq = :seq",
    "subject_id": "UPDATE audit_log SET subject_id = 'msg-9' WHERE seq = :seq",
    "basis": "UPDATE audit_log SET basis = 'convenanu' WHERE seq = :seq",
    "purpose": "UPDATE audit_log SET purpose = 'signalerinh' WHERE seq = :seq",
    "subject_ref": "UPDATE audit_log SET subject_ref = 'bb' || substr(subject_ref, 3) "
                   "WHERE seq = :seq",
    "trace_id": "UPDATE audit_log SET trace_id = 'u2' WHERE seq = :seq",
    "facts": "UPDATE audit_log SET facts = replace(facts, '2', '3') WHERE seq = :seq",
    # A hex digit that always differs from the one it replaces: 'f' over a hash that already
    # starts with 'f' would change nothing (one in sixteen runs).
    "prev_hash": "UPDATE audit_log SET prev_hash = CASE WHEN substr(prev_hash, 1, 1) = 'f' "
                 "THEN 'e' ELSE 'f' END || substr(prev_hash, 2) WHERE seq = :seq",
    "hash": "UPDATE audit_log SET hash = CASE WHEN substr(hash, 1, 1) = 'f' THEN 'e' ELSE 'f' END "
            "|| substr(hash, 2) WHERE seq = :seq",
}


def _tamper_cases():
    cases = {f"flip {column}": (sql, 3) for column, sql in _FLIPS.items()}
    cases["delete an entry"] = ("DELETE FROM audit_log WHERE seq = :seq", 3)
    cases["swap two entries"] = (
        "UPDATE audit_log SET seq = -1 WHERE seq = :seq;"
        "UPDATE audit_log SET seq = :seq WHERE seq = :seq + 2;"
        "UPDATE audit_log SET seq = :seq + 2 WHERE seq = -1", 3)
    cases["cut the tail"] = ("DELETE FROM audit_log WHERE seq >= :seq", 5)
    cases["cut the tail and move the head back"] = (
        "DELETE FROM audit_log WHERE seq >= :seq;"
        "UPDATE audit_chain_head SET seq = :seq - 1, "
        "hash = (SELECT hash FROM audit_log WHERE seq = :seq - 1)", 5)
    return cases


@pytest.mark.parametrize("case", list(_tamper_cases()))
def test_every_kind_of_tampering_is_found_by_the_api_and_the_cli(world, monkeypatch, case):
    sql, offset = _tamper_cases()[case]
    with world.container.uow() as uow:
        seq = uow.audit.head()[0] + offset  # the world's own set-up wrote entries before
    _write(world, 6)
    assert world.container.audit.anchor() is not None  # as the worker does now and then
    assert _api_verify(world)["ok"]
    if world.container.engine.dialect.name == "sqlite":
        sql = sql.replace("at + interval '1 microsecond'", "substr(at, 1, length(at) - 1) || '1'")
    for statement in sql.split(";"):
        _sql(world, statement, seq=seq)
    api = _api_verify(world)
    assert api["ok"] is False and api["first_bad_seq"] == seq
    code, cli = _cli_verify(world, monkeypatch)
    assert code == 1 and cli == api


def test_the_cli_reports_an_intact_log_with_exit_code_zero(world, monkeypatch):
    _write(world, 2)
    code, body = _cli_verify(world, monkeypatch)
    assert code == 0 and body["ok"] is True and body["checked"] >= 2


def test_an_anchor_is_written_only_when_the_chain_has_grown(world):
    _write(world, 1)
    first = world.container.audit.anchor()
    assert first is not None and world.container.audit.anchor() is None
    _write(world, 1)
    second = world.container.audit.anchor()
    assert second is not None and second.seq == first.seq + 1
    lines = world.container.config.effective_audit_anchor_file.read_text().splitlines()
    assert len(lines) == 2 and "msg-" not in "".join(lines)


def test_concurrent_writers_on_postgresql_build_one_unbroken_chain(postgres_url, tmp_path):
    from tests.integration.conftest import build_world

    w = build_world(postgres_url, tmp_path)
    try:
        def writer(n: int) -> None:
            for i in range(25):
                with w.container.uow() as uow:
                    for j in range(3):
                        uow.audit.record(action="delivery.attempted", tenant_id="arkin",
                                         actor=None, subject_id=f"d{n}-{i}-{j}", facts={},
                                         at=datetime.now(UTC))
                    uow.commit()

        threads = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        with w.container.uow() as uow:
            attempts = uow.audit.list(action="delivery.attempted")
            everything = uow.audit.list()
            head = uow.audit.head()
        assert len(attempts) == 6 * 25 * 3
        assert [e["seq"] for e in everything] == list(range(1, len(everything) + 1))
        assert head == (len(everything), everything[-1]["hash"])
        assert w.container.audit.verify().ok
    finally:
        w.container.close()
