"""Regiecheck fan-out benchmark on PostgreSQL + RabbitMQ: a meldpunt asks 12 partners.

Usage (from the repository root, PostgreSQL and RabbitMQ on 127.0.0.1):

    .venv/bin/python bench/bench_regiecheck.py [--messages 2000] [--checks 100]
        [--duration 20] [--json PATH]

What runs, in one process run, on one machine:

1. Baseline, raw pika (as in bench_pipeline.py): N persistent messages of the signaal's size,
   one publisher confirm each, a concurrent consumer acking each. Rate R msg/s.
2. The hub for real (``ketenhub serve --without-workers`` and one ``ketenhub worker`` on their
   own database and bus prefix), with a network whose regiecheck list names 12 partners.
3. Cost of the single-signaal path: M signalen, one ``POST /messages`` each (4 client threads),
   until every one is placed in the meldpunt's inbox (``delivered_at`` set). CPU of serve,
   worker, this run's PostgreSQL backends and RabbitMQ, per message.
4. Cost per question: C checks ``POST /regiechecks`` (2 client threads), until all 12·C
   questions are placed; the same CPU, per question. Reported as the ratio to step 3.
5. Fan-out latency at an offered load of one check per second per 100 msg/s of R (open loop):
   per check, the time from the start of its ``POST`` to the last of its 12 questions placed
   in a partner's inbox; p50/p99. The HTTP answer time of the POST is reported beside it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
import uuid
from datetime import UTC

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_pipeline import BROKER_URL, PG_ADMIN_URL, cpu_per_message, pct  # noqa: E402
from pipeline import raw_pika  # noqa: E402
from pipeline.events import encode, signaal  # noqa: E402
from pipeline.http import JsonClient  # noqa: E402
from pipeline.hub_process import RECIPIENT, SENDER, Hub  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

PARTNERS = ("politie", "ggd", "jb-ra", "wpi", "madi", "woco-a", "woco-b", "leger-des-heils",
            "samen-doen", "okt", "ggz", "hvo-querido")
CHECK = {"personen": [{"achternaam": "Jansen", "voornamen": "Piet", "geboortedatum": "1971-03-04",
                       "adres": {"postcode": "1012 AB", "huisnummer": 12}},
                      {"achternaam": "Jansen", "voorletters": "M.", "geboortedatum": "2009-08-21",
                       "rol": "gezinslid"}],
         "soort": "overlast_en_zorg", "overlastsoorten": ["geluid", "vervuiling"]}


class RegiecheckHub(Hub):
    """The pipeline benchmark's hub plus 12 regiecheck partners in a network of their own."""

    def _seed(self) -> None:
        super()._seed()
        from hub.bootstrap import bootstrap
        from hub.config import Config
        from tenants.demo import regiecheck_flows
        from tenants.model import Party, Principal, RegiecheckPartner, Scope, TenantKind
        from tenants.services import NetworkSpec

        k = TenantKind
        kinds = {"politie": k.POLITIE, "ggd": k.GGD, "jb-ra": k.JEUGDBESCHERMING, "wpi": k.GEMEENTE,
                 "woco-a": k.WONINGCORPORATIE, "woco-b": k.WONINGCORPORATIE}
        c = bootstrap(Config(data_dir=self.workdir / "var", database_url=self.database_url,
                             master_key=self._master_key))
        try:
            system = Principal.system()
            for partner in PARTNERS:
                c.tenants.create(system, tenant_id=partner, name=partner,
                                 kind=kinds.get(partner, k.HULPVERLENING))
            _, self.keys["asker"] = c.keys.issue(system, RECIPIENT, name="bench regiecheck",
                                                 scopes=frozenset({Scope.REGIECHECK}))
            c.networks.create(system, NetworkSpec(
                id="bench-regiecheck", name="Regiecheck",
                parties=(Party(RECIPIENT, "meldpunt"), *(Party(p, "partner") for p in PARTNERS)),
                regiecheck_partners=tuple(RegiecheckPartner(p) for p in PARTNERS),
                flows=regiecheck_flows(sorted(set(kinds.values()) | {k.HULPVERLENING}))))
        finally:
            c.close()


def _placed(engine, sql: str, ids: list[str]) -> dict[str, tuple[int, float]]:  # noqa: ANN001
    """id -> (deliveries placed, last delivered_at as epoch seconds)."""
    found: dict[str, tuple[int, float]] = {}
    with engine.connect() as conn:
        for start in range(0, len(ids), 500):
            for row in conn.execute(text(sql), {"ids": ids[start:start + 500]}):
                last = row.last
                if last is not None and last.tzinfo is None:
                    last = last.replace(tzinfo=UTC)
                found[row.id] = (row.n, last.timestamp() if last else 0.0)
    return found


SIGNALEN_PLACED = ("SELECT d.message_id AS id, count(d.delivered_at) AS n, max(d.delivered_at) "
                   "AS last FROM deliveries d WHERE d.connector = 'inbox' AND "
                   "d.message_id = ANY(:ids) GROUP BY d.message_id")
QUESTIONS_PLACED = ("SELECT p.regiecheck_id AS id, count(d.delivered_at) AS n, "
                    "max(d.delivered_at) AS last FROM regiecheck_partners p JOIN deliveries d "
                    "ON d.message_id = p.message_id AND d.connector = 'inbox' "
                    "WHERE p.regiecheck_id = ANY(:ids) GROUP BY p.regiecheck_id")


def wait_placed(engine, sql: str, ids: list[str], per_id: int,  # noqa: ANN001
                timeout: float) -> dict[str, tuple[int, float]]:
    deadline = time.monotonic() + timeout
    while True:
        found = _placed(engine, sql, ids)
        if len(found) == len(ids) and all(n == per_id for n, _ in found.values()):
            return found
        if time.monotonic() > deadline:
            done = sum(1 for n, _ in found.values() if n == per_id)
            raise TimeoutError(f"{len(ids) - done}/{len(ids)} not placed within {timeout}s")
        time.sleep(0.1)


def send_all(base: str, key: str, path: str, bodies: list[bytes], clients: int) -> list[str]:
    ids: list[str] = []
    errors: list[str] = []
    lock = threading.Lock()
    it = iter(bodies)

    def run() -> None:
        client = JsonClient(base, key)
        try:
            while True:
                with lock:
                    body = next(it, None)
                if body is None:
                    return
                answer = client.call("POST", path, body)
                with lock:
                    ids.append(answer["id"])  # type: ignore[index]
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            client.close()

    threads = [threading.Thread(target=run, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise RuntimeError(f"senders failed: {errors[:3]}")
    return ids


def hub_cpu_ms(cpu: dict[str, float]) -> float:
    return sum(cpu[k] for k in ("serve", "worker", "postgres", "rabbitmq"))


def open_loop_checks(hub: Hub, rate: float, duration: float, senders: int) -> list[tuple]:
    """(check id, POST start, POST answered) per check, checks due at t0 + i/rate."""
    total = max(1, int(rate * duration))
    t0 = time.time() + 0.2
    out: list[tuple] = []
    lock = threading.Lock()
    body = json.dumps(CHECK).encode()

    def run(index: int) -> None:
        client = JsonClient(hub.base, hub.keys["asker"])
        try:
            for i in range(index, total, senders):
                pause = t0 + i / rate - time.time()
                if pause > 0:
                    time.sleep(pause)
                started = time.time()
                answer = client.call("POST", "/api/v1/regiechecks", body)
                with lock:
                    out.append((answer["id"], t0 + i / rate, started, time.time()))  # type: ignore[index]
        finally:
            client.close()

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(senders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=2000, help="raw pika and signalen")
    parser.add_argument("--checks", type=int, default=100, help="checks for the cost phase")
    parser.add_argument("--duration", type=float, default=20.0, help="latency phase, seconds")
    parser.add_argument("--senders", type=int, default=4)
    parser.add_argument("--timeout", type=float, default=180.0)
    parser.add_argument("--json", help="write the results here too")
    args = parser.parse_args()

    bodies = [encode(signaal()) for _ in range(args.messages)]
    raw = raw_pika.run(BROKER_URL, f"kh-bench-raw-{uuid.uuid4().hex[:10]}", bodies)
    print(f"raw pika: {raw.rate:.1f} msg/s", flush=True)

    hub = RegiecheckHub(PG_ADMIN_URL, BROKER_URL, log_level="WARNING")
    results: dict = {"raw_pika_msg_s": raw.rate, "partners": len(PARTNERS)}
    try:
        hub.start()
        engine = create_engine(hub.database_url, pool_size=2)
        # Warm-up: one of each, so first-use costs (data keys, caches) stay out of the figures.
        send_all(hub.base, hub.keys[SENDER], "/api/v1/messages", [encode(signaal())], 1)
        send_all(hub.base, hub.keys["asker"], "/api/v1/regiechecks", [json.dumps(CHECK).encode()], 1)
        time.sleep(1.0)

        before = hub.cpu()
        ids = send_all(hub.base, hub.keys[SENDER], "/api/v1/messages",
                       [encode(signaal()) for _ in range(args.messages)], args.senders)
        wait_placed(engine, SIGNALEN_PLACED, ids, 1, args.timeout)
        signaal_cpu = cpu_per_message(before, hub.cpu(), len(ids))
        results["signaal_cpu_ms"] = signaal_cpu
        print(f"single signaal: {hub_cpu_ms(signaal_cpu):.2f} ms hub CPU per message", flush=True)

        before = hub.cpu()
        check_ids = send_all(hub.base, hub.keys["asker"], "/api/v1/regiechecks",
                             [json.dumps(CHECK).encode()] * args.checks, 2)
        wait_placed(engine, QUESTIONS_PLACED, check_ids, len(PARTNERS), args.timeout)
        question_cpu = cpu_per_message(before, hub.cpu(), len(check_ids) * len(PARTNERS))
        results["question_cpu_ms"] = question_cpu
        ratio = hub_cpu_ms(question_cpu) / hub_cpu_ms(signaal_cpu)
        results["question_cost_ratio"] = ratio
        print(f"per question: {hub_cpu_ms(question_cpu):.2f} ms hub CPU, "
              f"ratio {ratio:.2f} to a single signaal", flush=True)

        rate = raw.rate / 100.0
        sent = open_loop_checks(hub, rate, args.duration, args.senders)
        placed = wait_placed(engine, QUESTIONS_PLACED, [s[0] for s in sent], len(PARTNERS),
                             args.timeout)
        fanout = [(placed[cid][1] - started) * 1000 for cid, _, started, _ in sent]
        from_due = [(placed[cid][1] - due) * 1000 for cid, due, _, _ in sent]
        answer = [(answered - started) * 1000 for _, _, started, answered in sent]
        results["latency"] = {
            "offered_checks_per_s": rate, "checks": len(sent),
            "fanout_ms": {"p50": pct(fanout, 0.5), "p99": pct(fanout, 0.99),
                          "max": max(fanout)},
            "from_due_ms": {"p50": pct(from_due, 0.5), "p99": pct(from_due, 0.99)},
            "post_answer_ms": {"p50": pct(answer, 0.5), "p99": pct(answer, 0.99)}}
        lat = results["latency"]
        print(f"fan-out at {rate:.1f} checks/s ({rate * len(PARTNERS):.0f} questions/s), "
              f"{len(sent)} checks: POST -> 12 placed p50 {lat['fanout_ms']['p50']:.1f} ms, "
              f"p99 {lat['fanout_ms']['p99']:.1f} ms (max {lat['fanout_ms']['max']:.1f}); "
              f"POST answered p50 {lat['post_answer_ms']['p50']:.1f} ms, "
              f"p99 {lat['post_answer_ms']['p99']:.1f} ms", flush=True)
        errors = hub.error_lines()
        if errors:
            print("hub errors:\n" + "\n".join(errors[:10]), flush=True)
        engine.dispose()
    finally:
        hub.stop()
        hub.cleanup()
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
