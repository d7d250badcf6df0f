"""An app on a real database, with a hub admin and two tenants with keys."""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass

import pytest

from hub.app import create_app
from hub.bootstrap import bootstrap
from hub.config import Config
from hub.persistence.migrate import upgrade
from tenants.demo import demo_kvk, demo_oin
from tenants.model import Principal, Scope, TenantKind

ALL_TENANT_SCOPES = frozenset(Scope)


@dataclass
class World:
    app: object
    client: object
    container: object
    admin_key: str
    keys: dict[str, str]

    def headers(self, who: str = "admin") -> dict[str, str]:
        key = self.admin_key if who == "admin" else self.keys[who]
        return {"Authorization": f"Bearer {key}"}


def new_master_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def build_world(database_url: str, tmp_path, broker_url: str = "", clock=None,
                **config_overrides) -> World:
    # The test partners (webhook receivers, brokers) listen on this machine.
    config_overrides.setdefault("allow_loopback_endpoints", True)
    config_overrides.setdefault("master_key", new_master_key())
    config = Config(data_dir=tmp_path, database_url=database_url, broker_url=broker_url,
                    **config_overrides)
    container = bootstrap(config, clock=clock) if clock is not None else bootstrap(config)
    upgrade(container.engine)
    system = Principal.system()
    container.tenants.create(system, tenant_id="ketenhub", name="Beheer", kind=TenantKind.OVERIG,
                             is_operator=True)
    _, admin_key = container.keys.issue(system, "ketenhub", name="admin", scopes=frozenset(Scope))
    keys = {}
    for tenant_id, kind in (("mzwo-centrum", TenantKind.MELDPUNT),
                            ("ymere", TenantKind.WONINGCORPORATIE),
                            ("arkin", TenantKind.ZORGAANBIEDER)):
        container.tenants.create(system, tenant_id=tenant_id, name=tenant_id, kind=kind,
                                 kvk=demo_kvk(tenant_id), oin=demo_oin(tenant_id))
        _, keys[tenant_id] = container.keys.issue(system, tenant_id, name="t",
                                                  scopes=ALL_TENANT_SCOPES)
    app = create_app(config, container)
    return World(app=app, client=app.test_client(), container=container, admin_key=admin_key,
                 keys=keys)


@pytest.fixture
def world(database_url: str, tmp_path):
    w = build_world(database_url, tmp_path)
    yield w
    w.container.close()


@pytest.fixture
def sqlite_world(sqlite_url: str, tmp_path):
    w = build_world(sqlite_url, tmp_path)
    yield w
    w.container.close()
