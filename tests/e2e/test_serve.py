"""The hub as `make run` starts it: a real process on a real port, the demo network loaded."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tenants.demo import source_for

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, key: str | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"} if key else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


@pytest.fixture
def hub(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KETENHUB_")}
    port = _free_port()
    env.update(KETENHUB_DATA_DIR=str(tmp_path / "var"), KETENHUB_PORT=str(port),
               KETENHUB_ALLOW_LOOPBACK_ENDPOINTS="true")
    subprocess.run([BIN / "ketenhub", "demo", "load", "--if-empty"], env=env, check=True,
                   capture_output=True)
    proc = subprocess.Popen([BIN / "ketenhub", "serve"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):  # bounded: at most ~60 s
        if proc.poll() is not None:
            pytest.fail("ketenhub serve exited: " + proc.stderr.read().decode()[-2000:])
        try:
            if _get(base + "/healthz")[0] == 200:
                break
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("/healthz did not answer")
    yield base, json.loads((tmp_path / "var" / "demo-keys.json").read_text())
    proc.terminate()
    proc.wait(timeout=30)


def test_the_served_hub_lists_the_demo_tenants_to_the_hub_admin(hub):
    base, keys = hub
    status, body = _get(base + "/api/v1/admin/tenants?limit=500", keys["hub-admin"])
    assert status == 200
    assert {t["id"] for t in body["items"]} == (set(keys) - {"hub-admin"}) | {"ketenhub"}
    assert _get(base + "/readyz")[0] == 200


def test_a_demo_tenant_sees_only_itself_and_the_network_it_is_party_of(hub):
    base, keys = hub
    status, body = _get(base + "/api/v1/admin/tenants", keys["ymere"])
    assert status == 403  # demo partner keys carry no admin scope
    assert body["error"]["code"] == "auth.insufficient_scope"


def test_a_streamed_body_over_the_limit_is_refused_by_the_real_server(hub):
    base, keys = hub
    host, port = base.removeprefix("http://").split(":")
    chunk = b"x" * 8192
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(b"POST /api/v1/privacy/check HTTP/1.1\r\nHost: x\r\n"
                  b"Authorization: Bearer " + keys["ymere"].encode() + b"\r\n"
                  b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
        try:
            for _ in range(10):
                s.sendall(b"%x\r\n" % len(chunk) + chunk + b"\r\n")
            s.sendall(b"0\r\n\r\n")
        except OSError:
            pass  # the server may close early once the limit is passed
        answer = s.recv(65536)
    assert answer.split(b"\r\n", 1)[0].split(b" ")[1] == b"413"


def _post(url: str, key: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST", headers={
        "Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


def test_the_demo_begeleide_woning_shows_the_consent_flow(hub):
    base, keys = hub
    event = {"specversion": "1.0", "id": "demo-1", "source": source_for("ymere"),
             "type": "nl.ketenhub.signaal.v1",
             "data": {"soort": "overlast", "categorieen": ["vervuiling"],
                      "adres": {"postcode": "1012AB", "huisnummer": 5},
                      "omschrijving": "Stank in het trappenhuis.", "waargenomen_op": "2026-11-01",
                      "melder_type": "omwonende", "kenmerk_afzender": "YM-1"}}
    status, answer = _post(base + "/api/v1/messages", keys["ymere"], event)
    assert status == 202
    decisions = {d["recipient"]: (d["decision"], d["basis"]) for d in answer["deliveries"]}
    assert decisions == {"mzwo-centrum": ("permit", "convenant"),
                         "hvo-querido": ("permit", "consent")}


def test_each_log_record_is_one_json_line_with_the_request_id_the_caller_sent(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KETENHUB_")}
    port = _free_port()
    env.update(KETENHUB_DATA_DIR=str(tmp_path / "var"), KETENHUB_PORT=str(port))
    proc = subprocess.Popen([BIN / "ketenhub", "serve"], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):  # bounded: at most ~60 s
            try:
                if _get(base + "/healthz")[0] == 200:
                    break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        request = urllib.request.Request(base + "/healthz",
                                         headers={"X-Request-ID": "trace-0123456789"})
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.headers["X-Request-ID"] == "trace-0123456789"
    finally:
        proc.terminate()
        stderr = proc.communicate(timeout=30)[1].decode()
    lines = [line for line in stderr.splitlines() if line.strip()]
    records = [json.loads(line) for line in lines if line.startswith("{")]
    plain = [line for line in lines if not line.startswith("{")]
    assert all(line.startswith("Ketenhub ") for line in plain), plain  # only the CLI's own words
    traced = [r for r in records if r.get("request_id") == "trace-0123456789"]
    assert len(traced) == 1 and traced[0]["event"] == "request"
