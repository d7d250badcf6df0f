"""Statistics on PostgreSQL over 1,000,000 messages across five years: what the rollup costs
once, and what a statistics query costs against a bare COUNT over the messages in the same run.

Usage (from the repository root, PostgreSQL on 127.0.0.1:5432):

    .venv/bin/python bench/bench_stats.py [--size 1000000] [--rounds 30]

What runs, in one process:

1. A database (``ketenhub_bench_stats_<random>``), migrated, with the operator, two meldpunten
   (Centrum 1011–1018, West 1050–1059), a corporatie, the politie and a zorgaanbieder in one
   network (through the services). Then ``size`` accepted signalen written as intake leaves
   them — a ``messages`` row with its routing facts (PC4, an address pseudonym out of
   ``size / 5`` — so each address comes back once a year — with its own categorie of 13,
   the melder_type), an intake-phase permit ``decisions`` row
   to the area's meldpunt and a ``message.accepted`` audit entry — with one
   ``INSERT … SELECT … FROM generate_series`` per table, evenly spread over five years, then
   ``VACUUM ANALYZE``. The intake itself is not involved: the statistics add nothing to it
   (no row, no query per message; the rollup reads the audit trail afterwards).
2. The rollup (``StatsRollup.run_until_idle``, batches of 2,000 entries, one transaction
   each) over all of it: time and entries per second, and the aggregate rows it made.
3. Rounds, the queries in shuffled order within each round, after one warm-up round:
   * ``count`` — the baseline: ``SELECT count(*) FROM messages WHERE type = signaal AND
     received_at in the period`` (five years), the cheapest question the raw data answers;
   * ``signalen×area``, ``signalen×month``, ``recidive×category``, ``termijnen×partner`` —
     ``StatsService.table`` over the same five years (no rollup before the query), the
     suppressed table as the API returns it.
   p50 / p99 per query and the ratio of each query's p50 to the count's p50.
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
import time
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from hub.bootstrap import bootstrap
from hub.config import Config
from hub.errors import DatabaseUnavailable
from hub.persistence.database import normalise_url
from hub.persistence.migrate import upgrade
from hub.stats.rollup import StatsRollup
from hub.stats.service import StatsService
from tenants.model import Area, Flow, LegalBasis, Party, Principal, TenantKind
from tenants.services import NetworkSpec

PG_ADMIN_URL = os.environ.get("KETENHUB_TEST_DATABASE_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/test")
K = TenantKind
START = datetime(2021, 12, 1, 8, 0, tzinfo=UTC)
END = datetime(2026, 11, 30, 18, 0, tzinfo=UTC)
CATEGORIES = ("geluid", "stank", "vervuiling", "verzamelwoede", "agressie", "intimidatie",
              "treiteren", "burenruzie", "drugs", "vernieling", "verward_gedrag",
              "sociaal_isolement", "overig")
SENDERS = ("ymere", "ymere", "politie-amsterdam", "hvo-querido", "mzwo-centrum")

MESSAGES = """
INSERT INTO messages (id, sender_tenant_id, source, event_id, type, urgent, received_at,
                      key_version, payload, payload_sha256, routing, correlation, answer)
SELECT md5('m' || i)::uuid::text, (CAST(:senders AS text[]))[1 + i % 5],
       'urn:nld:kvk:00000000:bench', i::text,
       'nl.ketenhub.signaal.v1', false, at, 1, '\\x00'::bytea, md5('p' || i),
       json_build_object('pc4', pc4::text, 'categorieen', json_build_array(
           (CAST(:categories AS text[]))[1 + (i::bigint * 7919) % :addresses % 13]),
           'address_ref', 'ref' || (i::bigint * 7919) % :addresses,
           'melder_type', 'omwonende')::text, NULL, '{}'
FROM (SELECT i, CAST(:start AS timestamptz) + (i - 1) * CAST(:step AS interval) AS at,
             CASE WHEN i % 2 = 0 THEN 1011 + i % 8 ELSE 1050 + i % 10 END AS pc4
      FROM generate_series(1, :size) AS i) AS s
"""
DECISIONS = """
INSERT INTO decisions (message_id, recipient_tenant_id, phase, decision, basis, reason,
                       network_id, review_required, decided_at)
SELECT md5('m' || i)::uuid::text, CASE WHEN i % 2 = 0 THEN 'mzwo-centrum' ELSE 'mzwo-west' END,
       'intake', 'permit', 'convenant', 'convenant', 'bench', false,
       CAST(:start AS timestamptz) + (i - 1) * CAST(:step AS interval)
FROM generate_series(1, :size) AS i
"""
AUDIT = """
INSERT INTO audit_log (seq, tenant_id, actor, action, subject_id, facts, at, prev_hash, hash)
SELECT :offset + i, (CAST(:senders AS text[]))[1 + i % 5], NULL, 'message.accepted',
       md5('m' || i)::uuid::text, '{}',
       CAST(:start AS timestamptz) + (i - 1) * CAST(:step AS interval), 'bench', 'bench'
FROM generate_series(1, :size) AS i
"""
COUNT = ("SELECT count(*) FROM messages WHERE type = 'nl.ketenhub.signaal.v1' "
         "AND received_at >= :first AND received_at <= :last")
QUERIES = (("signalen×area", "signalen", "area"), ("signalen×month", "signalen", "month"),
           ("recidive×category", "recidive", "category"),
           ("termijnen×partner", "termijnen", "partner"))


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    admin = create_engine(normalise_url(PG_ADMIN_URL), isolation_level="AUTOCOMMIT")
    db_name = f"ketenhub_bench_stats_{secrets.token_hex(4)}"
    command = ".venv/bin/python bench/bench_stats.py " + " ".join(sys.argv[1:])
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{db_name}"'))
        pg = conn.exec_driver_sql("SHOW server_version").scalar()
    url = make_url(normalise_url(PG_ADMIN_URL)).set(database=db_name)
    container = bootstrap(Config(
        data_dir=Path(tempfile.mkdtemp(prefix="kh-bench-stats-")),
        database_url=url.render_as_string(hide_password=False),
        master_key=base64.b64encode(os.urandom(32)).decode()), clock=lambda: END)
    try:
        c = container
        upgrade(c.engine)
        system = Principal.system()
        for tenant_id, kind in (("ketenhub", K.OVERIG), ("mzwo-centrum", K.MELDPUNT),
                                ("mzwo-west", K.MELDPUNT), ("ymere", K.WONINGCORPORATIE),
                                ("politie-amsterdam", K.POLITIE), ("hvo-querido", K.ZORGAANBIEDER)):
            c.tenants.create(system, tenant_id=tenant_id, name=tenant_id, kind=kind,
                             is_operator=tenant_id == "ketenhub")
        c.networks.create(system, NetworkSpec(
            id="bench", name="Bench",
            parties=tuple(Party(t, "partij") for t in ("mzwo-centrum", "mzwo-west", "ymere",
                                                        "politie-amsterdam", "hvo-querido")),
            areas=(Area("mzwo-centrum", 1011, 1018), Area("mzwo-west", 1050, 1059)),
            flows=(Flow("nl.ketenhub.signaal.v1", K.WONINGCORPORATIE, K.MELDPUNT,
                        LegalBasis.CONVENANT),)))
        step = f"{(END - START).total_seconds() / args.size} seconds"
        params = {"size": args.size, "start": START, "step": step,
                  "senders": list(SENDERS), "categories": list(CATEGORIES),
                  "addresses": max(1, args.size // 5)}
        print(f"{db_name}: {args.size:,} signalen over five years ...", flush=True)
        started = time.perf_counter()
        with c.engine.begin() as conn:
            offset = conn.execute(text("SELECT coalesce(max(seq), 0) FROM audit_log")).scalar()
            conn.execute(text(MESSAGES), params)
            conn.execute(text(DECISIONS), params)
            conn.execute(text(AUDIT), {**params, "offset": offset})
            conn.execute(text("UPDATE audit_chain_head SET seq = :seq"),
                         {"seq": offset + args.size})
        load_s = time.perf_counter() - started
        with c.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in ("messages", "decisions", "audit_log"):
                conn.execute(text(f"VACUUM ANALYZE {table}"))
        print(f"  loaded in {load_s:.1f} s", flush=True)

        rollup = StatsRollup(uow=c.uow, directory=c.directory, clock=lambda: END, batch=2000)
        started = time.perf_counter()
        entries = restarts = 0
        while True:  # the rollup is idempotent: a database restart mid-way loses nothing
            try:
                entries += rollup.run_until_idle()
                break
            except DatabaseUnavailable:
                restarts += 1
                time.sleep(2)
        rollup_s = time.perf_counter() - started
        with c.engine.connect() as conn:
            cells = conn.execute(text("SELECT count(*) FROM stats_counts")).scalar()
            counted = conn.execute(text(
                "SELECT sum(n) FROM stats_counts WHERE metric = 'signaal:area'")).scalar()
            episodes = conn.execute(text("SELECT count(*) FROM stats_episodes")).scalar()
        with c.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE stats_counts"))
        if counted != args.size:
            raise AssertionError(f"rollup counted {counted} signalen of {args.size}")
        print(f"  rollup: {entries:,} entries in {rollup_s:.1f} s "
              f"({entries / rollup_s:,.0f}/s); {cells:,} aggregate rows; "
              f"{episodes:,} recidive situations kept; {restarts} database restarts survived",
              flush=True)

        service = StatsService(read_uow=c.uow, directory=c.directory, clock=lambda: END)
        meldpunt = Principal(tenant_id="mzwo-centrum", key_id="bench", scopes=frozenset())
        first, last = date(2021, 12, 1), date(2026, 11, 30)
        timings: dict[str, list[float]] = {"count": []}
        timings.update({label: [] for label, _, _ in QUERIES})

        def count() -> None:
            with c.engine.connect() as conn:
                n = conn.execute(text(COUNT), {"first": START, "last": END}).scalar()
            assert n == args.size

        def query(measure: str, group_by: str) -> None:
            service.table(meldpunt, measure=measure, group_by=group_by, first=first, last=last)

        jobs = [("count", count)] + [(label, lambda m=m, g=g: query(m, g))
                                     for label, m, g in QUERIES]
        for round_no in range(args.rounds + 1):
            rng.shuffle(jobs)
            for label, job in jobs:
                started = time.perf_counter()
                job()
                if round_no:  # round 0 warms up
                    timings[label].append(time.perf_counter() - started)
        base = statistics.median(timings["count"])
        print(f"\n{command}\nPostgreSQL {pg}, Python {platform.python_version()}, "
              f"{os.cpu_count()} cores, {args.rounds} rounds\n")
        print(f"{'query':<20} {'p50 ms':>8} {'p99 ms':>8} {'p50 / count':>12}")
        for label, values in timings.items():
            p50 = statistics.median(values)
            print(f"{label:<20} {p50 * 1000:8.1f} {pct(values, 0.99) * 1000:8.1f} "
                  f"{p50 / base:12.2f}")
        return 0
    finally:
        container.close()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))


if __name__ == "__main__":
    sys.exit(main())
