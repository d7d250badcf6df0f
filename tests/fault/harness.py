"""Helpers for the fault tests: a world of one woningcorporatie and three meldpunten (so every
signaal has three recipients), hub processes we can SIGKILL, broker faults, bounded waiting and
counting what reached the inboxes."""

from __future__ import annotations

import base64
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tenants.demo import demo_kvk, source_for
from tenants.model import Area, Flow, LegalBasis, Party, Principal, Scope, TenantKind
from tenants.services import NetworkSpec

SENDER = "wc-fault"
#: One meldpunt per network, all three covering the same PC4 range: a signaal from the sender
#: (party of all three networks) goes to each of them.
MELDPUNTEN = ("mp-noord", "mp-zuid", "mp-west")
NETWORKS = {"net-noord": "mp-noord", "net-zuid": "mp-zuid", "net-west": "mp-west"}
SIGNAAL = "nl.ketenhub.signaal.v1"

#: Run ``ketenhub`` from this interpreter (the venv running the tests).
KETENHUB = [sys.executable, "-c", "from hub.cli import main; main()"]


def new_master_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def seed(container) -> dict[str, str]:
    """Tenants, networks and API keys through the services; returns key per tenant id."""
    system = Principal.system()
    keys: dict[str, str] = {}
    container.tenants.create(system, tenant_id=SENDER, name="Woningcorporatie Fault",
                             kind=TenantKind.WONINGCORPORATIE, kvk=demo_kvk(SENDER))
    for meldpunt in MELDPUNTEN:
        container.tenants.create(system, tenant_id=meldpunt, name=meldpunt, kind=TenantKind.MELDPUNT)
    for tenant_id in (SENDER, *MELDPUNTEN):
        _, keys[tenant_id] = container.keys.issue(system, tenant_id, name="fault",
                                                  scopes=frozenset(Scope))
    for network_id, meldpunt in NETWORKS.items():
        container.networks.create(system, NetworkSpec(
            id=network_id, name=network_id,
            parties=(Party(meldpunt, "meldpunt"), Party(SENDER, "woningcorporatie")),
            areas=(Area(meldpunt, 1011, 1018),),
            flows=(Flow(SIGNAAL, TenantKind.WONINGCORPORATIE, TenantKind.MELDPUNT,
                        LegalBasis.CONVENANT),)))
    return keys


def signaal(event_id: str, n: int) -> dict:
    return {"specversion": "1.0", "id": event_id, "source": source_for(SENDER),
            "type": SIGNAAL, "time": "2026-11-20T09:30:00Z",
            "datacontenttype": "application/json",
            "data": {"soort": "overlast", "categorieen": ["geluid"],
                     "adres": {"postcode": f"{1011 + n % 8} AB", "huisnummer": 1 + n % 200},
                     "omschrijving": "Harde muziek na middernacht, al drie weken.",
                     "waargenomen_op": "2026-11-01", "melder_type": "omwonende",
                     "kenmerk_afzender": f"WC-{n:05d}"}}


def permitted_pairs(answer: dict) -> set[tuple[str, str]]:
    return {(answer["id"], d["recipient"]) for d in answer["deliveries"]
            if d["decision"] == "permit"}


def hub_env(**settings: object) -> dict[str, str]:
    """The test's environment without any KETENHUB_* of the caller, plus ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KETENHUB_")}
    env.update({f"KETENHUB_{k.upper()}": str(v) for k, v in settings.items()})
    env["PYTHONUNBUFFERED"] = "1"
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class HubProcess:
    """One ``ketenhub`` process (worker or serve); stderr/stdout go to ``log``."""

    name: str
    args: list[str]
    env: dict[str, str]
    log: Path
    proc: subprocess.Popen | None = None
    kills: int = 0
    starts: int = 0

    def start(self) -> HubProcess:
        assert self.proc is None or self.proc.poll() is not None, f"{self.name} already running"
        with self.log.open("ab") as out:
            out.write(f"\n===== start {self.starts + 1} of {self.name} =====\n".encode())
            out.flush()
            self.proc = subprocess.Popen([*KETENHUB, *self.args], env=self.env, stdout=out,
                                         stderr=subprocess.STDOUT, cwd=Path(__file__).parents[2])
        self.starts += 1
        return self

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def sigkill(self) -> int:
        """SIGKILL; returns the exit code (``-9`` when the kill landed on a live process)."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        code = self.proc.wait(30)
        self.kills += 1
        return code

    def stop(self, timeout: float = 20.0) -> int | None:
        """Graceful SIGTERM, SIGKILL if it does not go in time."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(30)
        return self.proc.returncode

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def wait_for_log(self, needle: str, occurrences: int = 1, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while self.log_text().count(needle) < occurrences:
            if not self.alive:
                raise AssertionError(f"{self.name} exited ({self.proc.returncode}) before "
                                     f"logging {needle!r}:\n{self.log_text()[-3000:]}")
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.name} did not log {needle!r} within {timeout}s")
            time.sleep(0.1)


def close_all_broker_connections() -> tuple[int, int]:
    """``rabbitmqctl close_all_connections``; returns (connections open before, exit code)."""
    listed = subprocess.run(["rabbitmqctl", "-q", "list_connections", "name"],
                            capture_output=True, text=True, timeout=60)
    before = len([line for line in listed.stdout.splitlines() if line.strip()])
    done = subprocess.run(["rabbitmqctl", "close_all_connections", "fault test"],
                          capture_output=True, text=True, timeout=60)
    return before, done.returncode


def wait_until(predicate: Callable[[], object], timeout: float, interval: float = 0.5,
               describe: Callable[[], str] = lambda: "") -> object:
    """Bounded polling; fails with ``describe()`` when the state is never reached."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"state not reached within {timeout}s: {describe()}")
        time.sleep(interval)


@dataclass
class InboxCount:
    """What the recipients' inboxes hold, as read through GET /api/v1/inbox."""

    #: delivery id -> how often it was listed (must be 1)
    by_delivery: Counter = field(default_factory=Counter)
    #: (message id, recipient) -> delivery ids seen for it (must be exactly one)
    by_pair: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    statuses: Counter = field(default_factory=Counter)
    pages: int = 0

    @property
    def duplicated_deliveries(self) -> list[str]:
        return [d for d, n in self.by_delivery.items() if n != 1]

    @property
    def pairs_with_several_deliveries(self) -> list[tuple[str, str]]:
        return [p for p, ids in self.by_pair.items() if len(ids) != 1]


def count_inboxes(fetch: Callable[[str, str | None], dict], recipients: tuple[str, ...],
                  max_pages: int = 1000) -> InboxCount:
    """Page every recipient's inbox (``fetch(recipient, after)`` returns one page's JSON,
    ``?status=all&limit=500``) and tally every item."""
    count = InboxCount()
    for recipient in recipients:
        after: str | None = None
        for _ in range(max_pages):
            page = fetch(recipient, after)
            count.pages += 1
            for item in page["items"]:
                count.by_delivery[item["delivery_id"]] += 1
                count.by_pair.setdefault((item["message_id"], recipient), set()).add(
                    item["delivery_id"])
                count.statuses[item["status"]] += 1
            after = page["next"]
            if after is None:
                break
        else:
            raise AssertionError(f"inbox of {recipient} did not end within {max_pages} pages")
    return count


def assert_every_pair_exactly_once(count: InboxCount, expected: set[tuple[str, str]]) -> None:
    seen = set(count.by_pair)
    missing, unexpected = expected - seen, seen - expected
    assert not missing, f"{len(missing)} (message, recipient) pairs never reached the inbox, " \
                        f"e.g. {sorted(missing)[:5]}"
    assert not unexpected, f"{len(unexpected)} inbox items for pairs never accepted, " \
                           f"e.g. {sorted(unexpected)[:5]}"
    assert not count.duplicated_deliveries, \
        f"delivery ids listed more than once: {count.duplicated_deliveries[:5]}"
    assert not count.pairs_with_several_deliveries, \
        f"pairs delivered under several delivery ids: {count.pairs_with_several_deliveries[:5]}"
    assert sum(count.by_delivery.values()) == len(expected)
