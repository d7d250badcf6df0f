"""Intake with the complete processing log against intake without it, in the same run.

Usage (from the repository root, PostgreSQL on 127.0.0.1):

    .venv/bin/python bench/bench_audit.py [--rounds 6] [--batches 20] [--batch 50] [--verify]

In one process, on a fresh PostgreSQL database (created and dropped here) with the demo
network: the intake service stores signaal batches (``accept_many``, one transaction each,
the way ``POST /messages:batch`` and the group commit of single requests store them). Rounds
alternate between the real audit repository (a ``message.accepted`` and a ``decision.recorded``
entry per message, chained under the locked chain head) and the same repository with its
``flush`` and ``record`` switched off, so both see the same machine. Reported: messages per
second each way, the ratio with/without (goal >= 0.9), and with ``--verify`` how many entries
per second ``audit verify`` checks.
"""

from __future__ import annotations

import argparse
import base64
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pipeline.events import signaal  # noqa: E402
from hub.bootstrap import bootstrap  # noqa: E402
from hub.config import Config  # noqa: E402
from hub.persistence.audit_repository import SqlAuditRepository  # noqa: E402
from hub.persistence.migrate import upgrade  # noqa: E402
from tenants.demo import DemoServices, load_demo  # noqa: E402
from tenants.model import Principal, Scope  # noqa: E402

ADMIN_URL = os.environ.get("KETENHUB_BENCH_DATABASE_URL",
                           "postgresql+psycopg://postgres@127.0.0.1:5432/test")


class _Off:
    """Switches the audit repository's writes off for the baseline rounds."""

    def __enter__(self) -> None:
        self._saved = SqlAuditRepository.record, SqlAuditRepository.flush
        SqlAuditRepository.record = lambda self, **kw: None  # type: ignore[method-assign]
        SqlAuditRepository.flush = lambda self: None  # type: ignore[method-assign]

    def __exit__(self, *exc: object) -> None:
        SqlAuditRepository.record, SqlAuditRepository.flush = self._saved


def _round(container, sender: Principal, batches: int, size: int) -> float:
    started = time.perf_counter()
    for _ in range(batches):
        results = container.intake.accept_many(sender, [signaal() for _ in range(size)])
        failed = [r for r in results if isinstance(r, Exception)]
        assert not failed, f"{type(failed[0]).__name__}: {failed[0]}"
    return batches * size / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=6, help="rounds each way, alternating")
    parser.add_argument("--batches", type=int, default=20, help="batches per round")
    parser.add_argument("--batch", type=int, default=50, help="messages per batch")
    parser.add_argument("--verify", action="store_true", help="also time audit verify")
    args = parser.parse_args()

    name = f"kh_bench_audit_{uuid.uuid4().hex[:8]}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    try:
        with tempfile.TemporaryDirectory() as data_dir:
            config = Config(data_dir=Path(data_dir), database_url=url,
                            master_key=base64.b64encode(os.urandom(32)).decode())
            c = bootstrap(config)
            try:
                upgrade(c.engine)
                load_demo(DemoServices(c.tenants, c.keys, c.networks))
                sender = Principal(tenant_id="ymere", key_id="bench", scopes=frozenset(Scope))
                _round(c, sender, 2, args.batch)  # warm-up: caches, first data key
                with_log, without = [], []
                for _ in range(args.rounds):
                    with_log.append(_round(c, sender, args.batches, args.batch))
                    with _Off():
                        without.append(_round(c, sender, args.batches, args.batch))
                on, off = statistics.median(with_log), statistics.median(without)
                print(f"intake with the complete log: {on:.1f} msg/s (median of {args.rounds})")
                print(f"intake without the log:      {off:.1f} msg/s")
                print(f"ratio with/without: {on / off:.2f} (goal >= 0.9)")
                if args.verify:
                    started = time.perf_counter()
                    result = c.audit.verify()
                    elapsed = time.perf_counter() - started
                    print(f"audit verify: {result.checked} entries in {elapsed:.2f} s = "
                          f"{result.checked / elapsed:.0f} entries/s (ok={result.ok})")
            finally:
                c.close()
    finally:
        with admin.connect() as conn:
            conn.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
