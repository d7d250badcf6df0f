"""Helpers for the retention and key tests: a world on a clock the test moves, messages
delivered to the inbox without a running worker, and every key the database holds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from click.testing import CliRunner
from sqlalchemy import text

from hub.cli import cli
from hub.crypto.keyring import open_sealed
from hub.crypto.vault import _context, _message_key_context
from tenants.model import Area, Party, Principal
from tenants.services import NetworkSpec
from tests.integration.conftest import build_world
from tests.integration.pipeline import network_flows


class MovableClock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def retention_world(database_url: str, tmp_path, **overrides):
    clock = MovableClock()
    w = build_world(database_url, tmp_path, clock=clock, **overrides)
    w.clock = clock
    w.container.networks.create(Principal.system(), NetworkSpec(
        id="amsterdam", name="Amsterdam",
        parties=(Party("mzwo-centrum", "meldpunt"), Party("ymere", "woningcorporatie"),
                 Party("arkin", "zorgaanbieder")),
        areas=(Area("mzwo-centrum", 1011, 1018),), flows=network_flows()))
    return w


def send(w, body: dict, sender: str) -> str:
    """Accept the message and deliver its inbox deliveries; returns the hub message id."""
    r = w.client.post("/api/v1/messages", headers=w.headers(sender), json=body)
    assert r.status_code == 202, r.json
    with w.container.uow() as uow:
        deliveries = uow.deliveries.for_message(r.json["id"])
    for d in deliveries:
        w.container.processor.process(d.id)
    return r.json["id"]


def run_cli(config, monkeypatch, *args: str, previous: str = ""):
    """``ketenhub <args>`` in this world's environment (``previous``: the previous master key)."""
    monkeypatch.setenv("KETENHUB_DATA_DIR", str(config.data_dir))
    monkeypatch.setenv("KETENHUB_DATABASE_URL", config.database_url)
    monkeypatch.setenv("KETENHUB_MASTER_KEY", config.master_key)
    monkeypatch.setenv("KETENHUB_MASTER_KEY_PREVIOUS", previous)
    monkeypatch.delenv("KETENHUB_BROKER_URL", raising=False)
    return CliRunner().invoke(cli, list(args))


def rows(w, sql: str, **params) -> list:
    with w.container.engine.connect() as conn:
        return list(conn.execute(text(sql), params))


def decryptable_with_any_key(w, message_id: str, ciphertext: bytes) -> bool:
    """Whether any key stored in the database (each tenant data key, unwrapped with the master
    key, and any message key it wraps) opens ``ciphertext``: what any process could do."""
    master = w.container.vault.master
    aad = message_id.encode()
    tenant_keys = []
    for tenant, version, wrapped in rows(
            w, "SELECT tenant_id, version, wrapped_key FROM tenant_data_keys"):
        tenant_keys.append((tenant, master.unwrap(bytes(wrapped), _context(tenant, version))))
    candidates = [key for _, key in tenant_keys]
    for (wrapped,) in rows(w, "SELECT wrapped_key FROM message_keys"):
        for tenant, key in tenant_keys:
            try:
                candidates.append(open_sealed(key, bytes(wrapped),
                                              _message_key_context(tenant, aad)))
            except Exception:  # noqa: BLE001 - not this tenant's key
                continue
    for key in candidates:
        try:
            open_sealed(key, ciphertext, aad)
            return True
        except Exception:  # noqa: BLE001 - the wrong key
            continue
    return False
