"""Shared fixtures. Integration fixtures use the real PostgreSQL and RabbitMQ on 127.0.0.1;
locally they skip when absent, with CI=true absence fails the run."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
PG_ADMIN_URL = os.environ.get(
    "KETENHUB_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BROKER_URL = os.environ.get("KETENHUB_TEST_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
REDIS_URL = os.environ.get("KETENHUB_TEST_REDIS_URL", "redis://127.0.0.1:6379")


def _reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url.replace("+psycopg", ""))
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or default_port),
                                      timeout=2):
            return True
    except OSError:
        return False


def require_service(name: str, url: str, port: int) -> None:
    if _reachable(url, port):
        return
    if IN_CI:
        pytest.fail(f"{name} is not reachable at {url} (CI=true: a missing service fails)")
    pytest.skip(f"{name} not reachable at {url}")


@pytest.fixture(scope="session")
def postgres_server() -> str:
    require_service("PostgreSQL", PG_ADMIN_URL, 5432)
    return PG_ADMIN_URL


@pytest.fixture(scope="session")
def broker_url() -> str:
    require_service("RabbitMQ", BROKER_URL, 5672)
    return BROKER_URL


@pytest.fixture(scope="session")
def redis_url() -> str:
    require_service("Redis", REDIS_URL, 6379)
    return REDIS_URL


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh, empty database on the real server, dropped afterwards."""
    from sqlalchemy import create_engine, text

    name = f"ketenhub_t_{uuid.uuid4().hex[:12]}"
    # Pinged before use: the server may have restarted meanwhile (tests/fault restarts it).
    admin = create_engine(postgres_server, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    base = postgres_server.rsplit("/", 1)[0]
    try:
        yield f"{base}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'ketenhub.db'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """Runs the test once on the embedded SQLite database and once on the real PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'ketenhub.db'}"
    return request.getfixturevalue("postgres_url")
