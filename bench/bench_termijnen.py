"""The deadline watcher on PostgreSQL with 10,000 and 1,000,000 open terms, 1,000 due per pass.

Usage (from the repository root, PostgreSQL on 127.0.0.1:5432):

    .venv/bin/python bench/bench_termijnen.py [--sizes 10000,1000000] [--rounds 7] [--due 1000]

Bar (issue 12): the watcher's cost grows with what is due, not with what runs: time per pass
at 1,000,000 open terms / at 10,000 <= 1.5.

What runs, in one process:

1. A database per size (``ketenhub_bench_<random>_<size>``), migrated, with the operator, a
   meldpunt, a corporatie and a zorgaanbieder in one network (through the services, as the hub
   does). The terms are written with ONE ``INSERT … SELECT … FROM generate_series`` per size:
   ``size`` running terms (``signaal_zorgaanbieder``, 2 werkdagen, reminded already), of which
   ``rounds × due`` fall due in blocks of ``due`` one minute apart, the rest spread over the
   next 14 days. ``VACUUM ANALYZE`` after loading.
2. Rounds, the sizes in shuffled order within each round, on a fake clock set so that exactly
   one block (``due`` terms) is due; each sample is:
   * ``claim`` — the watcher's query alone (``claim_due``: ``due_at <= now ORDER BY due_at
     LIMIT n FOR UPDATE SKIP LOCKED`` on the ``due_at`` index), rolled back;
   * ``pass`` — one ``TermijnWatcher.run_once()``: claim, expire each term, send
     ``termijn.verlopen`` through the pipeline (a sealed message, a decision, an inbox
     delivery and an outbox row per recipient: the corporatie and the meldpunt), an alert, an
     audit record, one commit. Each pass must expire exactly ``due`` terms.
   The baseline is the same work at 10,000 terms in the same run; growth = 1M / 10k.
3. ``EXPLAIN (ANALYZE, BUFFERS)`` of the claim at every size.
"""

from __future__ import annotations

import argparse
import base64
import os
import platform
import random
import secrets
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from hub.bootstrap import bootstrap
from hub.config import Config
from hub.persistence.database import normalise_url
from hub.persistence.migrate import upgrade
from tenants.model import Area, Flow, LegalBasis, Party, Principal, TenantKind
from tenants.services import NetworkSpec

PG_ADMIN_URL = os.environ.get("KETENHUB_TEST_DATABASE_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BAR_GROWTH = 1.5
K = TenantKind
BASE = datetime(2026, 12, 1, 7, 0, tzinfo=UTC)  # a Tuesday morning

FILL = """
INSERT INTO termijnen (id, flow, network_id, subject_id, delivery_id, owed_by, owed_to, meldpunt,
                       werkdagen, gehaald_door, started_at, deadline, remind_at, status, due_at,
                       reminded_at, settled_at, met_by)
SELECT md5('t' || i)::uuid::text, 'signaal_zorgaanbieder', 'bench', md5('m' || i)::uuid::text,
       md5('d' || i)::uuid::text, 'hvo-querido', 'ymere', 'mzwo-centrum', 2,
       '["signaal.reactie:klager_benaderd"]',
       due - interval '4 days', due - interval '1 second', due - interval '16 hours', 'lopend',
       due, due - interval '16 hours', NULL, NULL
FROM (
    SELECT i, CASE WHEN i <= :due_rows
                   THEN CAST(:base AS timestamptz) + ((i - 1) / :block) * interval '1 minute'
                   ELSE CAST(:base AS timestamptz) + interval '1 day'
                        + (i % 20160) * interval '1 minute' END AS due
    FROM generate_series(1, :size) AS i
) AS s
"""


class Clock:
    def __init__(self, at: datetime) -> None:
        self._at, self._lock = at, threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return self._at

    def set(self, at: datetime) -> None:
        with self._lock:
            self._at = at


class Target:
    def __init__(self, size: int, db_name: str, url: str, tmp: Path, due: int) -> None:
        self.size, self.db_name, self.url = size, db_name, url
        self.clock = Clock(BASE)
        self.container = bootstrap(Config(
            data_dir=tmp, database_url=url, master_key=base64.b64encode(os.urandom(32)).decode(),
            termijn_batch=due), clock=self.clock)
        self.claim: list[float] = []
        self.passes: list[float] = []
        self.load_s = self.vacuum_s = 0.0

    def setup(self, due_rows: int, block: int) -> None:
        c = self.container
        upgrade(c.engine)
        system = Principal.system()
        for tenant_id, kind in (("ketenhub", K.OVERIG), ("mzwo-centrum", K.MELDPUNT),
                                ("ymere", K.WONINGCORPORATIE), ("hvo-querido", K.ZORGAANBIEDER)):
            c.tenants.create(system, tenant_id=tenant_id, name=tenant_id, kind=kind,
                             is_operator=tenant_id == "ketenhub")
        c.networks.create(system, NetworkSpec(
            id="bench", name="Bench",
            parties=(Party("mzwo-centrum", "meldpunt"), Party("ymere", "woningcorporatie"),
                     Party("hvo-querido", "zorgaanbieder")),
            areas=(Area("mzwo-centrum", 1011, 1018),),
            flows=(Flow("nl.ketenhub.signaal.v1", K.WONINGCORPORATIE, K.MELDPUNT,
                        LegalBasis.CONVENANT),)))
        started = time.perf_counter()
        with c.engine.begin() as conn:
            conn.execute(text(FILL), {"size": self.size, "due_rows": due_rows, "block": block,
                                      "base": BASE})
        self.load_s = time.perf_counter() - started
        started = time.perf_counter()
        with c.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE termijnen"))
        self.vacuum_s = time.perf_counter() - started

    def sample(self, round_no: int, due: int) -> None:
        now = BASE + timedelta(minutes=round_no, seconds=30)
        self.clock.set(now)
        with self.container.uow() as uow:
            started = time.perf_counter()
            claimed = uow.termijnen.claim_due(now, due)
            self.claim.append(time.perf_counter() - started)
            uow.rollback()
        if len(claimed) != due:
            raise AssertionError(f"{len(claimed)} due at {self.size}, expected {due}")
        started = time.perf_counter()
        done = self.container.watcher.run_once()
        self.passes.append(time.perf_counter() - started)
        if done.expired != due:
            raise AssertionError(f"{done.expired} expired at {self.size}, expected {due}")

    def explain(self, due: int, round_no: int) -> str:
        now = BASE + timedelta(minutes=round_no, seconds=30)
        with self.container.engine.connect() as conn:
            rows = conn.execute(text(
                "EXPLAIN (ANALYZE, BUFFERS) SELECT * FROM termijnen WHERE due_at <= :now "
                "ORDER BY due_at LIMIT :n FOR UPDATE SKIP LOCKED"), {"now": now, "n": due})
            plan = "\n".join(r[0] for r in rows)
            conn.rollback()
        return plan


def ms(values: list[float]) -> str:
    return (f"median {statistics.median(values) * 1000:8.1f} ms, min {min(values) * 1000:8.1f}, "
            f"max {max(values) * 1000:8.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,1000000")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--due", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    rng = random.Random(args.seed)
    token = secrets.token_hex(4)
    admin = create_engine(normalise_url(PG_ADMIN_URL), isolation_level="AUTOCOMMIT")
    targets: list[Target] = []
    tmp = Path(tempfile.mkdtemp(prefix="kh-bench-termijnen-"))
    command = ".venv/bin/python bench/bench_termijnen.py " + " ".join(sys.argv[1:])
    started = time.perf_counter()
    try:
        for size in sizes:
            db_name = f"ketenhub_bench_{token}_{size}"
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{db_name}"'))
            url = make_url(normalise_url(PG_ADMIN_URL)).set(database=db_name)
            tg = Target(size, db_name, url.render_as_string(hide_password=False), tmp / str(size), args.due)
            targets.append(tg)
            print(f"{db_name}: {size:,} open terms ...", flush=True)
            tg.setup((args.rounds + 2) * args.due, args.due)  # + warm-up and EXPLAIN blocks
            print(f"  INSERT … SELECT generate_series {tg.load_s:.1f} s, VACUUM ANALYZE "
                  f"{tg.vacuum_s:.1f} s", flush=True)
        with admin.connect() as conn:
            pg = conn.exec_driver_sql("SHOW server_version").scalar()
        # Round 0 warms up (caches, the vault's data key, compiled statements): not counted.
        for round_no in range(args.rounds + 1):
            order = list(targets)
            rng.shuffle(order)
            for tg in order:
                tg.sample(round_no, args.due)
            if round_no == 0:
                for tg in targets:
                    tg.claim.clear()
                    tg.passes.clear()
        print(f"\n{platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
              f"PostgreSQL {pg}; {args.rounds} rounds (after 1 warm-up), {args.due} due per pass")
        print(f"command: {command}\n")
        for tg in targets:
            print(f"{tg.size:>9,} open terms  claim: {ms(tg.claim)}")
            print(f"{'':>9}             pass:  {ms(tg.passes)}  "
                  f"({statistics.median(tg.passes) / args.due * 1e6:.0f} µs per expired term)")
        base, top = targets[0], targets[-1]
        growth = statistics.median(top.passes) / statistics.median(base.passes)
        claim_growth = statistics.median(top.claim) / statistics.median(base.claim)
        print(f"\ngrowth {base.size:,} → {top.size:,} open terms: pass {growth:.2f}× "
              f"(bar ≤ {BAR_GROWTH}×: {'pass' if growth <= BAR_GROWTH else 'FAIL'}), "
              f"claim query {claim_growth:.2f}×")
        for tg in targets:
            print(f"\nEXPLAIN claim at {tg.size:,}:\n{tg.explain(args.due, args.rounds + 1)}")
        print(f"\ntotal run time {time.perf_counter() - started:.0f} s")
        return 0 if growth <= BAR_GROWTH else 1
    finally:
        for tg in targets:
            tg.container.close()
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{tg.db_name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    sys.exit(main())
