"""The ``ketenhub`` command on the embedded database."""

from __future__ import annotations

import json
import stat

import pytest
from click.testing import CliRunner

from hub.cli import cli
from tenants.demo import MELDPUNTEN, PARTNERS, VEILIGHEIDSCOORDINATOREN
from tenants.demo_utrecht import TENANTS as UTRECHT


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("KETENHUB_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("KETENHUB_DATABASE_URL", raising=False)
    monkeypatch.delenv("KETENHUB_BROKER_URL", raising=False)
    runner = CliRunner()

    def invoke(*args, input=None):
        result = runner.invoke(cli, list(args), input=input, catch_exceptions=False)
        return result

    return invoke


def test_demo_load_creates_the_amsterdam_and_utrecht_tenants_and_writes_their_keys(run, tmp_path):
    result = run("demo", "load")
    assert result.exit_code == 0, result.output
    keys_file = tmp_path / "demo-keys.json"
    assert str(keys_file) in result.output
    keys = json.loads(keys_file.read_text())
    coordinators = {vc for vc, _ in VEILIGHEIDSCOORDINATOREN.values()}
    assert set(keys) == {"hub-admin"} | set(MELDPUNTEN) | set(PARTNERS) | coordinators | set(UTRECHT)
    assert stat.S_IMODE(keys_file.stat().st_mode) == 0o600
    listed = run("tenants", "list").output.splitlines()
    assert len(listed) == len(MELDPUNTEN) + len(PARTNERS) + len(coordinators) + len(UTRECHT) + 1
    again = run("demo", "load", "--if-empty")
    assert again.exit_code == 0 and "already loaded" in again.output
    assert json.loads(keys_file.read_text()) == keys
    assert run("demo", "load").exit_code != 0


def test_tenants_are_created_listed_and_suspended_from_the_console(run):
    assert run("db", "upgrade").exit_code == 0
    assert run("tenants", "create", "--id", "rochdale", "--name", "Rochdale",
               "--kind", "woningcorporatie").exit_code == 0
    assert "rochdale\twoningcorporatie\tactive\tRochdale" in run("tenants", "list").output
    assert run("tenants", "suspend", "rochdale").exit_code == 0
    assert "rochdale\twoningcorporatie\tsuspended" in run("tenants", "list").output


def test_a_failing_command_names_the_rule_and_exits_non_zero(run):
    run("db", "upgrade")
    result = run("tenants", "create", "--id", "Not A Slug", "--name", "x", "--kind", "ggd")
    assert result.exit_code == 1
    assert "validation.invalid" in result.output and "/id" in result.output


def test_keys_are_issued_once_and_can_be_revoked(run, tmp_path):
    from hub.app import create_app
    from hub.config import Config

    run("db", "upgrade")
    run("tenants", "create", "--id", "ggd-amsterdam", "--name", "GGD", "--kind", "ggd")
    issued = run("keys", "issue", "--tenant", "ggd-amsterdam", "--scope", "admin")
    assert issued.exit_code == 0
    key = issued.stdout.strip().splitlines()[-1]
    admin = run("keys", "issue", "--hub-admin").stdout.strip().splitlines()[-1]
    client = create_app(Config(data_dir=tmp_path)).test_client()
    r = client.get("/api/v1/admin/tenants", headers={"Authorization": f"Bearer {admin}"})
    assert {t["id"] for t in r.json["items"]} == {"ketenhub", "ggd-amsterdam"}
    key_id = key.split("_")[1]
    assert run("keys", "revoke", "--tenant", "ggd-amsterdam", key_id).exit_code == 0
    r = client.get("/api/v1/admin/tenants", headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 401


def test_privacy_check_reads_json_lines_and_answers_one_line_each(run):
    result = run("privacy", "check", input='"geen bijzonderheden"\n{"a": 1}\n')
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 2
    assert all(set(line) == {"bsn", "medical", "findings"} for line in lines)


def test_privacy_check_reads_json_as_the_api_does_and_answers_an_edge_line_malformed_in_its_place(
        run):
    """The parser edges of issue 18 on the command line: a duplicate key would hide its first
    value (here a BSN) from the check, a 5,000-digit integer crashed the command, a lone
    surrogate and NaN are no JSON the hub takes. Each gets the error line in its place."""
    edges = ['{"x": "bsn 111222333", "x": "ok"}', "9" * 5000, '"Harde \\ud800 muziek"', "NaN"]
    lines = ['"geen bijzonderheden"', *edges, '"bsn 111222333"']
    result = run("privacy", "check", input="\n".join(lines) + "\n")
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == len(lines)
    assert out[0]["bsn"] is False and out[-1]["bsn"] is True
    assert [o["error"]["code"] for o in out[1:-1]] == ["request.malformed_json"] * len(edges)
    assert result.stdout.count("111222333") == 0


def test_db_current_check_and_downgrade_tell_and_change_the_schemas_state(run):
    from hub.persistence.migrate import current_heads

    head = current_heads()[0]
    assert run("db", "check").exit_code == 1  # nothing migrated yet
    assert run("db", "upgrade").exit_code == 0
    current = run("db", "current").output
    assert f"database: {head}" in current and f"code: {head}" in current
    checked = run("db", "check")
    assert checked.exit_code == 0 and "past bij de code" in checked.output
    assert run("db", "downgrade", "base", "--yes").exit_code == 0
    assert "database: leeg" in run("db", "current").output
    assert run("db", "check").exit_code == 1
