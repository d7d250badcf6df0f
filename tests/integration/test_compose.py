"""The production shape starts: every hub service of docker-compose.yml, run with its own
command and environment (the Dockerfile's ENV beneath it) against the local PostgreSQL and
RabbitMQ, with the compose hostnames, credentials, secrets and ports mapped to this machine.
A broken compose file fails here even where Docker is absent."""

from __future__ import annotations

import base64
import os
import re
import shlex
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from tests.conftest import REDIS_URL

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SECRETS = "/run/secrets/"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _interpolate(value: object) -> str:
    """Compose's `${NAME:-default}` / `${NAME}`, resolved with nothing set (the defaults)."""
    return re.sub(r"\$\{(\w+)(?::?-([^}]*))?\}", lambda m: m.group(2) or "", str(value))


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _dockerfile_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("ENV "):
            env.update(part.split("=", 1) for part in shlex.split(line[4:]) if "=" in part)
    return env


def _hub_services(compose: dict) -> dict[str, dict]:
    return {name: svc for name, svc in compose["services"].items() if "build" in svc}


def _environment(svc: dict) -> dict[str, str]:
    return {k: _interpolate(v) for k, v in (svc.get("environment") or {}).items()}


def test_every_secret_a_hub_service_reads_is_mounted_into_it():
    compose = _compose()
    declared = set(compose.get("secrets", {}))
    for name, svc in _hub_services(compose).items():
        for var, value in _environment(svc).items():
            if value.startswith(SECRETS):
                secret = value[len(SECRETS):]
                assert secret in declared, f"{name}: {var} names an undeclared secret"
                assert secret in (svc.get("secrets") or []), f"{name}: {var} not mounted"


def test_the_hub_services_point_at_the_compose_database_and_broker_with_their_credentials():
    compose = _compose()
    services = compose["services"]
    pg = services["postgres"]["environment"]
    mq = services["rabbitmq"]["environment"]
    for name, svc in _hub_services(compose).items():
        env = _environment(svc)
        db = urlsplit(env["KETENHUB_DATABASE_URL"])
        assert db.hostname in services, name
        assert (db.username, db.password, db.path.strip("/")) == (
            pg["POSTGRES_USER"], pg["POSTGRES_PASSWORD"], pg["POSTGRES_DB"]), name
        broker = urlsplit(env["KETENHUB_BROKER_URL"])
        assert broker.hostname in services, name
        assert (broker.username, broker.password) == (
            mq["RABBITMQ_DEFAULT_USER"], mq["RABBITMQ_DEFAULT_PASS"]), name
        if "KETENHUB_RATELIMIT_STORAGE_URL" in env:  # the rate-limit counters all web share
            assert urlsplit(env["KETENHUB_RATELIMIT_STORAGE_URL"]).hostname in services, name
        for dependency in svc.get("depends_on") or {}:
            assert dependency in services, f"{name} depends on a missing {dependency}"


class _Shape:
    """The compose services as local processes."""

    def __init__(self, tmp_path: Path, database_url: str, broker_url: str) -> None:
        self.tmp = tmp_path
        self.database_url = database_url
        self.broker_url = broker_url
        secrets = tmp_path / "secrets"
        secrets.mkdir()
        (secrets / "master_key").write_text(base64.b64encode(os.urandom(32)).decode())
        self.secrets = secrets
        self.ports: dict[str, str] = {}

    def env(self, svc: dict) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KETENHUB_")}
        env.update(_dockerfile_env())
        for var, value in _environment(svc).items():
            if value.startswith(SECRETS):
                value = str(self.secrets / value[len(SECRETS):])
            env[var] = value
        env.update(KETENHUB_DATABASE_URL=self.database_url, KETENHUB_BROKER_URL=self.broker_url,
                   KETENHUB_DATA_DIR=str(self.tmp / "data"),
                   KETENHUB_WEB_ASSETS_DIR=str(ROOT / "node_modules"),  # the image's /opt/…
                   KETENHUB_BUS_PREFIX=f"kh-compose-{os.getpid()}", KETENHUB_SMTP_HOST="127.0.0.1")
        if "KETENHUB_RATELIMIT_STORAGE_URL" in env:
            env.update(KETENHUB_RATELIMIT_STORAGE_URL=REDIS_URL,
                       KETENHUB_RATELIMIT_PREFIX=f"kh-compose-{os.getpid()}")
        for var in ("KETENHUB_HOST", "KETENHUB_WORKER_HOST"):
            if var in env:
                env[var] = "127.0.0.1"  # the container's 0.0.0.0, kept to this machine
        return env

    def command(self, svc: dict) -> list[str]:
        cmd = [str(BIN / "ketenhub") if part == "ketenhub" else part for part in svc["command"]]
        return ["127.0.0.1" if part == "0.0.0.0" else part for part in cmd]

    def healthcheck(self, svc: dict, port_map: dict[str, str]) -> list[str]:
        test = svc["healthcheck"]["test"]
        assert test[0] == "CMD"
        cmd = [sys.executable if part == "python" else part for part in test[1:]]
        for container_port, local_port in port_map.items():
            cmd = [part.replace(f":{container_port}/", f":{local_port}/") for part in cmd]
        return cmd


def _wait_healthy(proc: subprocess.Popen, check: list[str], log: Path) -> None:
    for _ in range(300):  # bounded: at most about a minute
        if proc.poll() is not None:
            pytest.fail(f"exited with {proc.returncode}: " + log.read_text()[-2000:])
        if subprocess.run(check, capture_output=True, timeout=30).returncode == 0:
            return
        time.sleep(0.2)
    pytest.fail("the service's health check never passed: " + log.read_text()[-2000:])


@pytest.mark.integration
def test_the_compose_services_migrate_start_and_pass_their_health_checks(
        tmp_path, postgres_url, broker_url):
    compose = _compose()
    services = _hub_services(compose)
    shape = _Shape(tmp_path, postgres_url, broker_url)

    migrate = subprocess.run(shape.command(services["migrate"]), env=shape.env(services["migrate"]),
                             capture_output=True, text=True, timeout=180)
    assert migrate.returncode == 0, migrate.stderr[-2000:]

    web_port, worker_port = _free_port(), _free_port()
    running: list[subprocess.Popen] = []
    try:
        for name, extra, port_map in (
                ("web", {"KETENHUB_PORT": str(web_port)}, {"8000": str(web_port)}),
                ("worker", {"KETENHUB_WORKER_PORT": str(worker_port)},
                 {"9100": str(worker_port)})):
            svc = services[name]
            log = tmp_path / f"{name}.log"
            with log.open("w") as sink:
                proc = subprocess.Popen(shape.command(svc), env={**shape.env(svc), **extra},
                                        stdout=sink, stderr=subprocess.STDOUT)
            running.append(proc)
            _wait_healthy(proc, shape.healthcheck(svc, port_map), log)
        with urllib.request.urlopen(f"http://127.0.0.1:{worker_port}/metrics", timeout=10) as r:
            assert b"ketenhub_outbox_backlog" in r.read()
        assert "KETENHUB_WEB_ASSETS_DIR" in _dockerfile_env()  # the image points at its assets
        with urllib.request.urlopen(
                f"http://127.0.0.1:{web_port}/assets/utrecht-components.css", timeout=10) as r:
            assert r.status == 200
        for proc in running:
            proc.terminate()
            assert proc.wait(timeout=60) == 0
    finally:
        for proc in running:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
