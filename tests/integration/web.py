"""Helpers for the web tests: a served-in-process hub with people who log in, and a browser
stand-in (Flask's test client over https, with the CSRF token taken from each form)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from argon2 import PasswordHasher

from hub.runtime import Runtime
from tenants.model import Area, Party, Principal, Role, TenantKind
from tenants.passwords import Passwords
from tenants.services import NetworkSpec
from tests.integration.conftest import build_world
from tests.integration.pipeline import network_flows
from tests.totp import fresh_code

K = TenantKind
PASSWORD = "een-heel-lang-wachtwoord"
BASE = "https://localhost"
#: Test tenants with a KvK-nummer each (none passes the 11-proof, so none reads as a BSN).
TENANTS = (("mzwo-west", "Meldpunt West", K.MELDPUNT, "30000001"),
           ("eigen-haard", "Eigen Haard", K.WONINGCORPORATIE, "30000003"),
           ("cordaan", "Cordaan", K.ZORGAANBIEDER, "30000004"))
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Person:
    username: str
    user_id: str
    totp_secret: str | None = None


def web_world(database_url: str, tmp_path, start: bool = True, **overrides):
    overrides.setdefault("reconcile_interval_s", 0.1)
    w = build_world(database_url, tmp_path, **overrides)
    c = w.container
    c.accounts._passwords = Passwords(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    system = Principal.system()
    for tenant_id, name, kind, kvk in TENANTS:
        c.tenants.create(system, tenant_id=tenant_id, name=name, kind=kind, kvk=kvk)
    c.networks.create(system, NetworkSpec(
        id="west", name="Convenant West",
        parties=(Party("mzwo-west", "meldpunt"), Party("eigen-haard", "woningcorporatie"),
                 Party("cordaan", "zorgaanbieder")),
        areas=(Area("mzwo-west", 1051, 1058),), flows=network_flows()))
    w.people = {}
    for tenant_id, *_ in TENANTS:
        w.people[tenant_id] = person(w, tenant_id, f"mw.{tenant_id}", {Role.MEDEWERKER})
    w.people["privacy"] = person(w, "mzwo-west", "privacy.west", {Role.PRIVACY_OFFICER},
                                 totp=True)
    w.runtime = Runtime(c)
    if start:
        w.runtime.start()
    return w


def person(w, tenant_id: str, username: str, roles: set[Role], totp: bool = False) -> Person:
    c, system = w.container, Principal.system()
    user = c.users.create(system, tenant_id, email=f"{username}@{tenant_id}.example",
                          name=username, roles=frozenset(roles))
    c.accounts.set_login(system, user.id, username=username, password=PASSWORD)
    secret = c.accounts.new_second_factor(system, user.id) if totp else None
    return Person(username, user.id, secret)


class Browser:
    """A logged-in (or not) visitor: GETs and form POSTs with the page's CSRF token."""

    def __init__(self, app) -> None:
        self.client = app.test_client()
        self.last = None

    def get(self, path: str):
        self.last = self.client.get(path, base_url=BASE)
        return self.last

    def post(self, path: str, data: dict, *, token_from: str | None = None, csrf: bool = True):
        data = dict(data)
        if csrf:
            page = self.get(token_from or path).get_data(as_text=True)
            found = _CSRF.search(page)
            assert found, f"no CSRF token on {token_from or path}"
            data["csrf_token"] = found.group(1)
        self.last = self.client.post(path, base_url=BASE, data=data,
                                     headers={"Referer": BASE + (token_from or path)})
        return self.last

    def login(self, who: Person, password: str = PASSWORD):
        r = self.post("/login", {"username": who.username, "password": password})
        if who.totp_secret and r.status_code == 302 and "tweede-factor" in r.headers["Location"]:
            r = self.post("/login/tweede-factor", {"code": fresh_code(who.totp_secret)})
        return r

    @property
    def html(self) -> str:
        return self.last.get_data(as_text=True)


def without_csrf(page: bytes) -> bytes:
    """A page with its CSRF tokens blanked (they carry a timestamp), to compare two pages."""
    return re.sub(rb'(name="csrf_token"[^>]*value=")[^"]+"', rb'\1"', page)
