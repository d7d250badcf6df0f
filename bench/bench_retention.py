"""Per-message data keys on the intake, crypto-shredding and master-key rotation, in one run.

Usage (from the repository root, PostgreSQL on 127.0.0.1):

    .venv/bin/python bench/bench_retention.py [--rounds 6] [--batches 20] [--batch 50]
        [--keys 2000]

In one process, on a fresh PostgreSQL database (created and dropped here) with the demo
network:

1. Intake (``accept_many``, one transaction per batch, as ``POST /messages:batch`` and the
   group commit store them), in alternating rounds: with a data key per message (its wrapped
   key written in the batch's own insert into ``message_keys``) and, as the baseline, with the
   payload sealed under the tenant's data key directly (no key row). Reported: messages per
   second each way (medians) and the ratio (goal >= 0.9).
2. Shredding: every message stored in step 1 is made due and ``ketenhub retention run``'s
   service shreds them; reported: messages shredded per second.
3. Master-key rotation: ``--keys`` tenant data keys under the old master key, then
   ``rotate_master`` from a process holding the new key and the old one as previous; reported:
   data keys re-wrapped per second.
"""

from __future__ import annotations

import argparse
import base64
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pipeline.demo_db import add_round_arguments, alternating, demo_container  # noqa: E402
from hub.bootstrap import bootstrap  # noqa: E402
from hub.config import Config  # noqa: E402
from hub.crypto.keyring import MasterKey, new_data_key  # noqa: E402
from hub.crypto.vault import PayloadVault, SealedMessage, _context  # noqa: E402


class _TenantKeyOnly:
    """The baseline: payloads sealed under the tenant's data key, no key row per message."""

    def __enter__(self) -> None:
        self._saved = PayloadVault.seal_message

        def seal_message(vault, store, tenant_id, plaintext, aad):  # noqa: ANN001, ANN202
            version, blob = vault.seal(store, tenant_id, plaintext, aad)
            return SealedMessage(version, None, blob)  # type: ignore[arg-type]

        PayloadVault.seal_message = seal_message  # type: ignore[method-assign]

    def __exit__(self, *exc: object) -> None:
        PayloadVault.seal_message = self._saved  # type: ignore[method-assign]


def _shred(container) -> None:
    with container.engine.begin() as conn:
        conn.execute(text("UPDATE messages SET retain_until = now() - interval '1 day'"))
        stored = conn.execute(text("SELECT count(*) FROM messages")).scalar_one()
    started = time.perf_counter()
    report = container.retention.run(actor="bench")
    elapsed = time.perf_counter() - started
    print(f"retention run: {report.messages} of {stored} messages shredded in {elapsed:.2f} s = "
          f"{report.messages / elapsed:.0f} messages/s")


def _rotate(container, config: Config, keys: int) -> None:
    old = MasterKey(base64.b64decode(config.master_key))
    with container.uow() as uow:
        for version in range(1, keys + 1):
            uow.data_keys.add("arkin", 1000 + version,
                              old.wrap(new_data_key(), _context("arkin", 1000 + version)),
                              old.key_id, container.clock())
        uow.commit()
    rotated = replace(config, master_key=base64.b64encode(os.urandom(32)).decode(),
                      master_key_previous=config.master_key)
    other = bootstrap(rotated)
    try:
        started = time.perf_counter()
        result = other.key_rotation.rotate_master(actor="bench")
        elapsed = time.perf_counter() - started
    finally:
        other.close()
    print(f"rotate-master: {result.rewrapped} data keys re-wrapped in {elapsed:.2f} s = "
          f"{result.rewrapped / elapsed:.0f} keys/s (unreadable {result.unreadable})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_round_arguments(parser)
    parser.add_argument("--keys", type=int, default=2000, help="data keys to re-wrap")
    args = parser.parse_args()

    with demo_container("kh_bench_retention") as c:
        a, b = alternating(c, args.rounds, args.batches, args.batch, _TenantKeyOnly)
        print(f"intake, a data key per message: {a:.1f} msg/s (median of {args.rounds})")
        print(f"intake, the tenant key only:    {b:.1f} msg/s")
        print(f"ratio per-message/tenant key: {a / b:.2f} (goal >= 0.9)")
        _shred(c)
        _rotate(c, c.config, args.keys)
    return 0


if __name__ == "__main__":
    sys.exit(main())
