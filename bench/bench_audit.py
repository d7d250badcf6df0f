"""Intake with the complete processing log against intake without it, in the same run.

Usage (from the repository root, PostgreSQL on 127.0.0.1):

    .venv/bin/python bench/bench_audit.py [--rounds 6] [--batches 20] [--batch 50] [--verify]
        [--inzage 1000000] [--people 200]

In one process, on a fresh PostgreSQL database (created and dropped here) with the demo
network: the intake service stores signaal batches (``accept_many``, one transaction each,
the way ``POST /messages:batch`` and the group commit of single requests store them). Rounds
alternate between the real audit repository (a ``message.accepted`` and a ``decision.recorded``
entry per message, chained under the locked chain head) and the same repository with its
``flush`` and ``record`` switched off, so both see the same machine. Reported: messages per
second each way, the ratio with/without (goal >= 0.9), and with ``--verify`` how many entries
per second ``audit verify`` checks.

``--inzage N``: inzage latency with N messages stored. ``--people`` persons each get an urgent
message through the real intake (its decisions, deliveries and subject pseudonyms as intake
writes them); then N filler messages are added straight in SQL (``INSERT … SELECT``), each with
a person and an address pseudonym, a decision and a delivery, so the indexes the inzage reads
hold N rows. Each person is then asked for once (``InzageService.report`` as the hub admin,
its audit entry included); reported: p50, p99 and max in ms.
"""

from __future__ import annotations

import argparse
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.pipeline.demo_db import add_round_arguments, alternating, demo_container  # noqa: E402
from hub.persistence.audit_repository import SqlAuditRepository  # noqa: E402
from tenants.demo import source_for  # noqa: E402
from tenants.model import Principal, Scope  # noqa: E402


class _Off:
    """Switches the audit repository's writes off for the baseline rounds."""

    def __enter__(self) -> None:
        self._saved = SqlAuditRepository.record, SqlAuditRepository.flush
        SqlAuditRepository.record = lambda self, **kw: None  # type: ignore[method-assign]
        SqlAuditRepository.flush = lambda self: None  # type: ignore[method-assign]

    def __exit__(self, *exc: object) -> None:
        SqlAuditRepository.record, SqlAuditRepository.flush = self._saved


def _person(i: int) -> dict:
    """Bench person ``i``: the name spells ``i`` in letters (the pseudonym ignores digits)."""
    letters = "".join(chr(ord("a") + int(d)) for d in f"{i:06d}")
    return {"achternaam": f"Bench{letters}", "voorletters": "A.", "geboortedatum": "1970-01-01"}


def _inzage(container, stored: int, people: int) -> None:
    """Inzage latency with ``stored`` messages in the database (see the module doc)."""
    meldpunt = Principal(tenant_id="mzwo-centrum", key_id="bench", scopes=frozenset(Scope))
    for start in range(0, people, 50):
        events = [{"specversion": "1.0", "id": str(uuid.uuid4()),
                   "source": source_for("mzwo-centrum"), "type": "nl.ketenhub.urgent.v1",
                   "data": {"personen": [_person(i)], "situatieschets": "Escalatie.",
                            "adres": {"postcode": "1019 ZZ", "huisnummer": 1000 + i},
                            "contact": {"naam": "R. Bakker"}}}
                  for i in range(start, min(people, start + 50))]
        results = container.intake.accept_many(meldpunt, events)
        failed = [r for r in results if isinstance(r, Exception)]
        assert not failed, f"{type(failed[0]).__name__}: {failed[0]}"
    started = time.perf_counter()
    with container.engine.begin() as conn:
        conn.execute(text(_FILL_MESSAGES), {"n": stored})
        conn.execute(text(_FILL_SUBJECTS))
        conn.execute(text(_FILL_DECISIONS))
        conn.execute(text(_FILL_DELIVERIES))
        conn.execute(text("ANALYZE"))
    print(f"inzage: {stored} filler messages stored in {time.perf_counter() - started:.0f} s")
    admin = Principal.system()
    times, found = [], 0
    for i in range(people):
        began = time.perf_counter()
        report = container.inzage.report(admin, _person(i))
        times.append((time.perf_counter() - began) * 1000)
        found += len(report["messages"])
    times.sort()
    p50 = times[len(times) // 2]
    p99 = times[max(0, -(-99 * len(times) // 100) - 1)]
    print(f"inzage with {stored + people} messages stored: p50 {p50:.1f} ms, p99 {p99:.1f} ms, "
          f"max {times[-1]:.1f} ms over {people} persons ({found} messages found)")


#: Filler rows, generated in the database: ids from md5 of a sequence number, pseudonyms from
#: sha256 (random-looking, matching no bench person).
_FILL_MESSAGES = """
INSERT INTO messages (id, sender_tenant_id, source, event_id, type, urgent, received_at,
                      key_version, payload, payload_sha256, routing, answer)
SELECT md5('fill' || i)::uuid::text, 'ymere', 'urn:nld:kvk:fill', 'fill-' || i,
       'nl.ketenhub.signaal.v1', false, now() - (i || ' seconds')::interval, 1,
       '\\x00'::bytea, encode(sha256(('p' || i)::bytea), 'hex'), '{}', '{}'
FROM generate_series(1, :n) AS i
"""
_FILL_SUBJECTS = """
INSERT INTO message_subjects (message_id, kind, subject_ref, received_at)
SELECT id, k.kind, encode(sha256((k.kind || id)::bytea), 'hex'), received_at
FROM messages CROSS JOIN (VALUES ('persoon'), ('adres')) AS k(kind)
WHERE source = 'urn:nld:kvk:fill'
"""
_FILL_DECISIONS = """
INSERT INTO decisions (message_id, recipient_tenant_id, phase, decision, basis, reason,
                       network_id, client_ref, review_required, decided_at)
SELECT id, 'mzwo-centrum', 'intake', 'permit', 'convenant', 'convenant', 'amsterdam-mzwo',
       encode(sha256(('c' || id)::bytea), 'hex'), false, received_at
FROM messages WHERE source = 'urn:nld:kvk:fill'
"""
_FILL_DELIVERIES = """
INSERT INTO deliveries (id, message_id, recipient_tenant_id, connector, basis, status, urgent,
                        attempts, max_attempts, created_at, redrives)
SELECT md5('d' || id)::uuid::text, id, 'mzwo-centrum', 'inbox', 'convenant', 'acknowledged',
       false, 1, 8, received_at, 0
FROM messages WHERE source = 'urn:nld:kvk:fill'
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_round_arguments(parser)
    parser.add_argument("--verify", action="store_true", help="also time audit verify")
    parser.add_argument("--inzage", type=int, default=0,
                        help="messages stored for the inzage latency (0: skip)")
    parser.add_argument("--people", type=int, default=200, help="persons asked for")
    args = parser.parse_args()

    with demo_container("kh_bench_audit") as c:
        on, off = alternating(c, args.rounds, args.batches, args.batch, _Off)
        print(f"intake with the complete log: {on:.1f} msg/s (median of {args.rounds})")
        print(f"intake without the log:      {off:.1f} msg/s")
        print(f"ratio with/without: {on / off:.2f} (goal >= 0.9)")
        if args.verify:
            started = time.perf_counter()
            result = c.audit.verify()
            elapsed = time.perf_counter() - started
            print(f"audit verify: {result.checked} entries in {elapsed:.2f} s = "
                  f"{result.checked / elapsed:.0f} entries/s (ok={result.ok})")
        if args.inzage:
            _inzage(c, args.inzage, args.people)
    return 0


if __name__ == "__main__":
    sys.exit(main())
