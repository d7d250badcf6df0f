"""The hub under test, for real: its own PostgreSQL database, its own bus prefix on RabbitMQ,
``ketenhub db upgrade``, then ``ketenhub serve --without-workers`` and ``ketenhub worker`` as
separate processes. Tenants, a network and keys are created through the hub's own services
against the same database (as tests/integration/pipeline.py does). Everything is removed after."""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text

BIN = Path(sys.executable).parent
SENDER, RECIPIENT = "ymere", "mzwo-centrum"
#: The noisy-neighbour scenario's other recipient: a meldpunt for postcodes 1020-1029, in a
#: network of its own (the other phases never send there).
NOISY = "mzwo-noord"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _proc_cpu_seconds(pid: int) -> float:
    """user+system CPU of one process (Linux /proc)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def _machine_busy_seconds() -> float:
    with open("/proc/stat", encoding="ascii") as f:
        parts = [int(x) for x in f.readline().split()[1:]]
    idle = parts[3] + parts[4]
    return (sum(parts[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def _beam_pids() -> list[int]:
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/comm", encoding="ascii") as f:
                    if f.read().strip() == "beam.smp":
                        pids.append(int(entry))
            except OSError:
                continue
    return pids


@dataclass
class CpuSnapshot:
    serve: float
    worker: float
    bench: float
    #: per backend pid of this run's database: CPU seconds
    postgres: dict[int, float]
    rabbit: float
    machine: float
    at: float


@dataclass
class Hub:
    pg_admin_url: str
    broker_url: str
    threads: int = 8
    worker_concurrency: int = 4
    log_level: str = "INFO"
    run_id: str = field(default_factory=lambda: uuid.uuid4().hex[:10])
    base: str = ""
    keys: dict[str, str] = field(default_factory=dict)
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="kh-bench-")))
    _procs: dict[str, subprocess.Popen] = field(default_factory=dict)
    _db_created: bool = False
    _admin: object = None

    @property
    def db_name(self) -> str:
        return f"kh_bench_{self.run_id}"

    @property
    def bus_prefix(self) -> str:
        return f"kh-bench-{self.run_id}"

    @property
    def database_url(self) -> str:
        return self.pg_admin_url.rsplit("/", 1)[0] + "/" + self.db_name

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KETENHUB_")}
        env.update(KETENHUB_DATABASE_URL=self.database_url, KETENHUB_BROKER_URL=self.broker_url,
                   KETENHUB_MASTER_KEY=self._master_key, KETENHUB_BUS_PREFIX=self.bus_prefix,
                   KETENHUB_DATA_DIR=str(self.workdir / "var"), KETENHUB_LOG_LEVEL=self.log_level,
                   KETENHUB_WORKER_CONCURRENCY=str(self.worker_concurrency),
                   # The partner broker of the AMQP consumer runs on this machine.
                   KETENHUB_ALLOW_LOOPBACK_ENDPOINTS="true",
                   # The bench measures throughput from one key: no rate limit in its way.
                   KETENHUB_RATELIMIT_PER_KEY="1000000/minute",
                   KETENHUB_RATELIMIT_PER_TENANT="1000000/minute")
        return env

    def start(self) -> None:
        self._master_key = base64.b64encode(os.urandom(32)).decode()
        admin = create_engine(self.pg_admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{self.db_name}"'))
        admin.dispose()
        self._db_created = True
        subprocess.run([BIN / "ketenhub", "db", "upgrade"], env=self.env(), check=True,
                       capture_output=True)
        self._seed()
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        env = self.env()
        env["KETENHUB_PORT"] = str(port)
        self._spawn("serve", [BIN / "ketenhub", "serve", "--without-workers",
                              "--threads", str(self.threads)], env)
        self._spawn("worker", [BIN / "ketenhub", "worker"], env)
        self._wait_ready()

    def _spawn(self, name: str, argv: list, env: dict[str, str]) -> None:
        log = open(self.workdir / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        self._procs[name] = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)

    def pid(self, name: str) -> int:
        return self._procs[name].pid

    def _seed(self) -> None:
        from hub.bootstrap import bootstrap
        from hub.config import Config
        from tenants.demo import demo_kvk
        from tenants.model import Area, Flow, LegalBasis, Party, Principal, Scope, TenantKind
        from tenants.services import NetworkSpec

        k = TenantKind
        config = Config(data_dir=self.workdir / "var", database_url=self.database_url,
                        master_key=self._master_key)
        c = bootstrap(config)
        try:
            system = Principal.system()
            c.tenants.create(system, tenant_id="ketenhub", name="beheer", kind=k.OVERIG,
                             is_operator=True)
            _, self.keys["hub-admin"] = c.keys.issue(system, "ketenhub", name="bench admin",
                                                     scopes=frozenset(Scope))
            for tenant_id, kind in ((SENDER, k.WONINGCORPORATIE), (RECIPIENT, k.MELDPUNT),
                                    ("arkin", k.ZORGAANBIEDER), (NOISY, k.MELDPUNT)):
                c.tenants.create(system, tenant_id=tenant_id, name=tenant_id, kind=kind,
                                 kvk=demo_kvk(tenant_id))
                _, self.keys[tenant_id] = c.keys.issue(
                    system, tenant_id, name="bench",
                    scopes=frozenset({Scope.MESSAGES_SEND, Scope.MESSAGES_RECEIVE}))
            c.networks.create(system, NetworkSpec(
                id="amsterdam", name="Amsterdam",
                parties=(Party(RECIPIENT, "meldpunt"), Party(SENDER, "woningcorporatie"),
                         Party("arkin", "zorgaanbieder")),
                areas=(Area(RECIPIENT, 1011, 1018),),
                flows=(Flow("nl.ketenhub.signaal.v1", k.WONINGCORPORATIE, k.MELDPUNT,
                            LegalBasis.CONVENANT),
                       Flow("nl.ketenhub.signaal.v1", k.WONINGCORPORATIE, k.ZORGAANBIEDER,
                            LegalBasis.CONSENT))))
            c.networks.create(system, NetworkSpec(
                id="noord", name="Noord",
                parties=(Party(NOISY, "meldpunt"), Party(SENDER, "woningcorporatie")),
                areas=(Area(NOISY, 1020, 1029),),
                flows=(Flow("nl.ketenhub.signaal.v1", k.WONINGCORPORATIE, k.MELDPUNT,
                            LegalBasis.CONVENANT),)))
        finally:
            c.close()

    def _wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for name, proc in self._procs.items():
                if proc.poll() is not None:
                    raise RuntimeError(f"ketenhub {name} exited: {self.log_tail(name)}")
            try:
                with urllib.request.urlopen(self.base + "/readyz", timeout=2) as r:
                    if r.status == 200 and b"worker draait" in (self.workdir / "worker.log").read_bytes():
                        return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.1)
        raise TimeoutError("the hub did not become ready")

    def log_tail(self, name: str, chars: int = 2000) -> str:
        try:
            return (self.workdir / f"{name}.log").read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def error_lines(self) -> list[str]:
        lines = []
        for name in self._procs:
            for line in (self.workdir / f"{name}.log").read_text(errors="replace").splitlines():
                try:
                    level = json.loads(line).get("level")
                except ValueError:
                    continue
                if level in ("ERROR", "CRITICAL"):
                    lines.append(f"{name}: {line[:300]}")
        return lines

    def _backend_pids(self) -> list[int]:
        if self._admin is None:
            self._admin = create_engine(self.pg_admin_url, isolation_level="AUTOCOMMIT",
                                        pool_size=1)
        with self._admin.connect() as conn:
            return [r[0] for r in conn.execute(
                text("SELECT pid FROM pg_stat_activity WHERE datname = :d"), {"d": self.db_name})]

    def cpu(self) -> CpuSnapshot:
        """CPU used so far by the hub's processes, the PostgreSQL backends serving this run's
        database, RabbitMQ (the whole broker), this process, and the machine in all."""
        return CpuSnapshot(serve=_proc_cpu_seconds(self.pid("serve")),
                           worker=_proc_cpu_seconds(self.pid("worker")),
                           bench=_proc_cpu_seconds(os.getpid()),
                           postgres={p: _proc_cpu_seconds(p) for p in self._backend_pids()},
                           rabbit=sum(_proc_cpu_seconds(p) for p in _beam_pids()),
                           machine=_machine_busy_seconds(), at=time.perf_counter())

    def profile(self, py_spy: str, seconds: float, out_dir: Path) -> list[subprocess.Popen]:
        """Sample serve and worker with py-spy (collapsed stacks of the thread holding the GIL: where
        the CPU goes)."""
        procs = []
        for name in ("serve", "worker"):
            procs.append(subprocess.Popen(
                [py_spy, "record", "--pid", str(self.pid(name)), "--duration", str(int(seconds)),
                 "--rate", "200", "--format", "raw", "--output", str(out_dir / f"{name}.txt"),
                 "--nonblocking", "--gil"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        return procs

    def stop(self) -> None:
        for proc in self._procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self._procs.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)

    def cleanup(self) -> None:
        """Delete this run's queues and exchanges and drop its database."""
        from hub.bus.kombu_bus import KombuBus

        try:
            KombuBus(self.broker_url, self.bus_prefix).delete_all()
        except Exception as exc:  # noqa: BLE001 - report, still drop the database
            print(f"warning: could not delete bus prefix {self.bus_prefix}: {exc}", file=sys.stderr)
        if self._admin is not None:
            self._admin.dispose()
        if self._db_created:
            admin = create_engine(self.pg_admin_url, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)'))
            admin.dispose()
