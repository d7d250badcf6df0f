"""Fault tests for DESIGN.md §3 rule 7, "nothing accepted is lost" (issue "Reliable message
pipeline"): 2,000 signalen with 3 recipients each, sent while

(a) a ``ketenhub worker`` is SIGKILLed three times (two workers run side by side part of the time),
(b) every broker connection is force-closed twice (``rabbitmqctl close_all_connections``),
(c) the embedded ``ketenhub serve`` (SQLite + in-process bus) is SIGKILLed and restarted,

after which every accepted (message, recipient) pair is in the recipient's inbox exactly once by
delivery id, counted through GET /api/v1/inbox. No timing assertions: waits are bounded polls.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests
from sqlalchemy import create_engine

from hub.app import create_app
from hub.bootstrap import bootstrap
from hub.bus.kombu_bus import KombuBus
from hub.config import Config
from hub.persistence.migrate import upgrade
from tests.fault.harness import (
    MELDPUNTEN,
    SENDER,
    HubProcess,
    assert_every_pair_exactly_once,
    close_all_broker_connections,
    count_inboxes,
    free_port,
    hub_env,
    new_master_key,
    permitted_pairs,
    seed,
    signaal,
    wait_until,
)
from tests.fault.harness_db import db_state
from tests.fault.tcp_proxy import TcpProxy

pytestmark = pytest.mark.integration

MESSAGES = 2000
RECIPIENTS = len(MELDPUNTEN)
#: Bound on waiting for the pipeline to drain after the last message went in.
DRAIN_BOUND_S = 240.0

#: Short timers so lost bus messages are re-dispatched quickly; same for every process.
FAST = {"redispatch_after_s": 3, "reconcile_interval_s": 0.2, "lease_s": 10,
        "retry_base_s": 0.2, "retry_max_s": 2,
        # thousands of messages from one key within a minute: no rate limit in the way
        "ratelimit_per_key": "1000000/minute", "ratelimit_per_tenant": "1000000/minute"}


@dataclass
class FaultPlan:
    """Fault actions fired when ``progress()`` reaches their threshold, on their own thread, so
    the traffic keeps flowing while the fault happens."""

    progress: Callable[[], int]
    steps: list[tuple[int, str, Callable[[], object]]]
    done: list[tuple[str, int, object]] = field(default_factory=list)
    error: BaseException | None = None

    def run(self, stop: threading.Event) -> None:
        try:
            for threshold, name, action in self.steps:
                while self.progress() < threshold:
                    if stop.wait(0.02):
                        return
                self.done.append((name, self.progress(), action()))
        except BaseException as exc:  # noqa: BLE001 - re-raised on the test's thread
            self.error = exc

    def start(self) -> tuple[threading.Thread, threading.Event]:
        stop = threading.Event()
        thread = threading.Thread(target=self.run, args=(stop,), name="fault-plan", daemon=True)
        thread.start()
        return thread, stop


# --------------------------------------------------------------------------------------------
# (a) + (b): PostgreSQL + RabbitMQ, worker processes SIGKILLed, broker connections closed.
# --------------------------------------------------------------------------------------------


@pytest.mark.timeout(600)
def test_workers_sigkilled_and_broker_connections_closed_lose_nothing(postgres_url, broker_url,
                                                                       tmp_path):
    prefix = f"kh-fault-{uuid.uuid4().hex[:8]}"
    master_key = new_master_key()
    config = Config(data_dir=tmp_path, database_url=postgres_url, broker_url=broker_url,
                    master_key=master_key, bus_prefix=prefix, **FAST)
    container = bootstrap(config)
    upgrade(container.engine)
    keys = seed(container)
    client = create_app(config, container).test_client()

    env = hub_env(database_url=postgres_url, broker_url=broker_url, master_key=master_key,
                  bus_prefix=prefix, data_dir=tmp_path, **FAST)
    workers = {name: HubProcess(name, ["worker"], env, tmp_path / f"{name}.log")
               for name in ("worker-a", "worker-b")}
    sent = [0]
    started = time.monotonic()
    try:
        workers["worker-a"].start().wait_for_log("Ketenhub worker draait")

        open_at_kill: list[int] = []

        def kill(name: str, restart: bool = True) -> Callable[[], int]:
            def action() -> int:
                code = workers[name].sigkill()
                open_at_kill.append(db_state(container.engine).open)
                if restart:
                    bring_up(name)
                return code
            return action

        def bring_up(name: str) -> int:
            # Up before the next fault: a broker fault during start-up is its own test below.
            w = workers[name].start()
            w.wait_for_log("Ketenhub worker draait", occurrences=w.starts)
            return w.starts

        def start(name: str) -> Callable[[], int]:
            return lambda: bring_up(name)

        plan = FaultPlan(progress=lambda: sent[0], steps=[
            (150, "start worker-b", start("worker-b")),
            (350, "SIGKILL worker-a, restart", kill("worker-a")),
            (600, "close all broker connections", close_all_broker_connections),
            (850, "SIGKILL worker-b, leave it down", kill("worker-b", restart=False)),
            (1150, "restart worker-b", start("worker-b")),
            (1300, "close all broker connections", close_all_broker_connections),
            (1600, "SIGKILL worker-a, restart", kill("worker-a")),
        ])
        fault_thread, stop_faults = plan.start()

        expected: set[tuple[str, str]] = set()
        auth = {"Authorization": f"Bearer {keys[SENDER]}"}
        for n in range(MESSAGES):
            r = client.post("/api/v1/messages", json=signaal(f"fault-pg-{n}", n), headers=auth)
            assert r.status_code == 202, (n, r.status_code, r.json)
            pairs = permitted_pairs(r.json)
            assert {p[1] for p in pairs} == set(MELDPUNTEN), r.json
            expected |= pairs
            sent[0] = n + 1
            if plan.error is not None:
                break
        fault_thread.join(120)
        stop_faults.set()
        if plan.error is not None:
            raise plan.error
        sent_s = time.monotonic() - started
        assert len(expected) == MESSAGES * RECIPIENTS

        # Every fault really happened, and no worker died of anything but our SIGKILLs.
        assert [name for name, _, _ in plan.done] == [name for _, name, _ in plan.steps]
        kills = [result for name, _, result in plan.done if name.startswith("SIGKILL")]
        assert kills == [-9, -9, -9], plan.done
        closes = [result for name, _, result in plan.done if name.startswith("close")]
        assert all(rc == 0 and before > 0 for before, rc in closes), closes
        assert all(w.alive for w in workers.values()), {n: w.proc.returncode for n, w in
                                                        workers.items()}

        wait_until(lambda: db_state(container.engine).drained(len(expected)), DRAIN_BOUND_S,
                   describe=lambda: f"{db_state(container.engine)}; " + "; ".join(
                       f"{w.name} alive={w.alive} log tail: {w.log_text()[-1500:]}"
                       for w in workers.values()))
        drained_s = time.monotonic() - started

        def fetch(recipient: str, after: str | None) -> dict:
            query = {"status": "all", "limit": 500, **({"after": after} if after else {})}
            r = client.get("/api/v1/inbox", query_string=query,
                           headers={"Authorization": f"Bearer {keys[recipient]}"})
            assert r.status_code == 200, r.json
            return r.json

        count = count_inboxes(fetch, MELDPUNTEN)
        assert_every_pair_exactly_once(count, expected)
        assert count.statuses == {"delivered": MESSAGES * RECIPIENTS}

        state = db_state(container.engine)
        assert state.messages == MESSAGES
        assert state.statuses == {"delivered": MESSAGES * RECIPIENTS}  # none dead or blocked
        assert state.outbox == 0
        assert state.dead_alerts == 0
        assert state.successes == MESSAGES * RECIPIENTS
        assert state.deliveries_with_several_successes == 0

        # The broker faults were felt: consumers had to reconnect.
        reconnects = sum(w.log_text().count("bus consumer reconnecting") for w in workers.values())
        assert reconnects >= 2, "closing the broker connections did not reach the workers"
        _report(tmp_path, "postgresql+rabbitmq", sent_s=sent_s, drained_s=drained_s,
                faults=plan.done, open_at_kill=open_at_kill, reconnects=reconnects,
                state=state.__dict__)
    finally:
        for w in workers.values():
            w.stop()
        container.close()
        KombuBus(broker_url, prefix).delete_all()


@pytest.mark.timeout(300)
def test_a_worker_restarted_while_the_broker_is_unreachable_waits_for_it(postgres_url, broker_url,
                                                                         tmp_path):
    """A worker that comes back from a crash while the broker is down (both crashed, or the
    broker is still starting) must wait for the broker, not exit: otherwise nothing accepted
    reaches anyone until an operator notices."""
    prefix = f"kh-fault-{uuid.uuid4().hex[:8]}"
    master_key = new_master_key()
    config = Config(data_dir=tmp_path, database_url=postgres_url, broker_url=broker_url,
                    master_key=master_key, bus_prefix=prefix, **FAST)
    container = bootstrap(config)
    upgrade(container.engine)
    keys = seed(container)
    client = create_app(config, container).test_client()
    broker = urlsplit(broker_url)
    port = free_port()
    proxied = urlunsplit(broker._replace(netloc=f"{broker.username}:{broker.password}"
                                                f"@127.0.0.1:{port}"))
    proxy = TcpProxy(port, (broker.hostname, broker.port or 5672))
    worker = HubProcess("worker", ["worker"], hub_env(
        database_url=postgres_url, broker_url=proxied, master_key=master_key, bus_prefix=prefix,
        data_dir=tmp_path, **FAST), tmp_path / "worker.log")
    try:
        expected: set[tuple[str, str]] = set()
        for n in range(50):
            r = client.post("/api/v1/messages", json=signaal(f"fault-down-{n}", n),
                            headers={"Authorization": f"Bearer {keys[SENDER]}"})
            assert r.status_code == 202, r.json
            expected |= permitted_pairs(r.json)
        worker.start()
        time.sleep(5)  # the outage: the broker stays unreachable for a while
        proxy.start()

        def drained() -> bool:
            assert worker.alive, f"the worker exited instead of waiting for the broker " \
                                 f"({worker.proc.returncode}):\n{worker.log_text()[-3000:]}"
            return db_state(container.engine).drained(len(expected))

        wait_until(drained, 60, describe=lambda: str(db_state(container.engine)))

        def fetch(recipient: str, after: str | None) -> dict:
            query = {"status": "all", "limit": 500, **({"after": after} if after else {})}
            return client.get("/api/v1/inbox", query_string=query,
                              headers={"Authorization": f"Bearer {keys[recipient]}"}).json

        assert_every_pair_exactly_once(count_inboxes(fetch, MELDPUNTEN), expected)
    finally:
        worker.stop()
        proxy.stop()
        container.close()
        KombuBus(broker_url, prefix).delete_all()


# --------------------------------------------------------------------------------------------
# (c): the embedded mode, ``ketenhub serve`` on SQLite + in-process bus, SIGKILLed mid-stream.
# --------------------------------------------------------------------------------------------


class EmbeddedHub:
    """``ketenhub serve`` on its own data directory, spoken to over real HTTP."""

    def __init__(self, tmp_path, master_key: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.up = threading.Event()
        self.process = HubProcess("serve", ["serve", "--threads", "8"], hub_env(
            data_dir=tmp_path / "hub", master_key=master_key, port=self.port, **FAST),
            tmp_path / "serve.log")

    def start(self) -> None:
        self.process.start()
        wait_until(self._healthy, 60, interval=0.1,
                   describe=lambda: self.process.log_text()[-3000:])
        self.up.set()

    def _healthy(self) -> bool:
        if not self.process.alive:
            raise AssertionError(f"serve exited:\n{self.process.log_text()[-3000:]}")
        try:
            return requests.get(f"{self.base}/healthz", timeout=2).status_code == 200
        except requests.RequestException:
            return False


@pytest.mark.timeout(600)
def test_embedded_serve_killed_and_restarted_loses_nothing(tmp_path):
    master_key = new_master_key()
    setup = bootstrap(Config(data_dir=tmp_path / "hub", master_key=master_key))
    upgrade(setup.engine)
    keys = seed(setup)
    db_path = setup.config.effective_database_url.removeprefix("sqlite:///")
    setup.close()
    # Reads only, beside the running hub (WAL): no BEGIN IMMEDIATE, no hub code.
    reader = create_engine(f"sqlite:///file:{db_path}?mode=ro&uri=true")

    hub = EmbeddedHub(tmp_path, master_key)
    answers: dict[int, dict] = {}
    cut: dict[int, int] = {}  # message number -> requests cut by a kill / refused while down
    replayed_after_cut: set[int] = set()
    open_at_kill: list[int] = []
    local = threading.local()
    lock = threading.Lock()
    started = time.monotonic()

    def send(n: int) -> None:
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        body = signaal(f"fault-emb-{n}", n)
        for _ in range(20):
            try:
                r = session.post(f"{hub.base}/api/v1/messages", json=body, timeout=60,
                                 headers={"Authorization": f"Bearer {keys[SENDER]}"})
            except requests.RequestException:
                # Cut by the kill, or refused while the hub is down: accepted or not, send the
                # same CloudEvent (same id) again once the hub is back.
                with lock:
                    cut[n] = cut.get(n, 0) + 1
                session.close()
                assert hub.up.wait(90), "the hub did not come back"
                continue
            assert r.status_code in (200, 202), (n, r.status_code, r.text[:500])
            if r.status_code == 200:
                assert n in cut, f"message {n} replayed though it was never cut"
                replayed_after_cut.add(n)
            with lock:
                answers[n] = r.json()
            return
        raise AssertionError(f"message {n} never got an answer")

    def kill() -> int:
        hub.up.clear()
        code = hub.process.sigkill()
        open_at_kill.append(db_state(reader).open)
        hub.start()
        return code

    try:
        hub.start()
        plan = FaultPlan(progress=lambda: len(answers), steps=[
            (MESSAGES // 3, "SIGKILL serve, restart", kill),
            (2 * MESSAGES // 3, "SIGKILL serve, restart", kill),
        ])
        fault_thread, stop_faults = plan.start()
        with ThreadPoolExecutor(4, thread_name_prefix="sender") as pool:
            for future in [pool.submit(send, n) for n in range(MESSAGES)]:
                future.result()
        fault_thread.join(120)
        stop_faults.set()
        if plan.error is not None:
            raise plan.error
        sent_s = time.monotonic() - started
        assert [result for _, _, result in plan.done] == [-9, -9], plan.done
        assert hub.process.alive and hub.process.starts == 3

        expected: set[tuple[str, str]] = set()
        for n, answer in answers.items():
            pairs = permitted_pairs(answer)
            assert {p[1] for p in pairs} == set(MELDPUNTEN), (n, answer)
            expected |= pairs
        assert len(answers) == MESSAGES and len(expected) == MESSAGES * RECIPIENTS

        wait_until(lambda: db_state(reader).drained(len(expected)), DRAIN_BOUND_S,
                   describe=lambda: str(db_state(reader)))
        drained_s = time.monotonic() - started

        def fetch(recipient: str, after: str | None) -> dict:
            query = {"status": "all", "limit": 500, **({"after": after} if after else {})}
            r = requests.get(f"{hub.base}/api/v1/inbox", params=query, timeout=60,
                             headers={"Authorization": f"Bearer {keys[recipient]}"})
            assert r.status_code == 200, r.text[:500]
            return r.json()

        count = count_inboxes(fetch, MELDPUNTEN)
        assert_every_pair_exactly_once(count, expected)
        assert count.statuses == {"delivered": MESSAGES * RECIPIENTS}

        state = db_state(reader)
        assert state.messages == MESSAGES  # re-sent cut messages were not stored twice
        assert state.statuses == {"delivered": MESSAGES * RECIPIENTS}
        assert state.outbox == 0
        assert state.dead_alerts == 0
        assert state.successes == MESSAGES * RECIPIENTS
        assert state.deliveries_with_several_successes == 0
        _report(tmp_path, "embedded", sent_s=sent_s, drained_s=drained_s, faults=plan.done,
                cut_messages=len(cut), replayed_after_cut=len(replayed_after_cut),
                open_at_kill=open_at_kill, state=state.__dict__)
    finally:
        hub.up.set()  # release any sender still waiting
        hub.process.stop()
        reader.dispose()


def _report(tmp_path, name: str, **facts: object) -> None:
    line = json.dumps({"scenario": name, **facts}, default=str)
    (tmp_path / "fault-report.json").write_text(line)
    print(f"\nFAULT REPORT {line}")
