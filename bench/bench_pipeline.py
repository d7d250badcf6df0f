"""End-to-end benchmark of the message pipeline on PostgreSQL + RabbitMQ, against raw pika.

Usage (from the repository root, PostgreSQL and RabbitMQ on 127.0.0.1):

    .venv/bin/python bench/bench_pipeline.py [--messages 2000] [--clients 4] [--rate 100]
        [--duration 20] [--batch 50] [--check]

What runs, in one process run, on one machine:

1. Baseline, raw pika: one publisher thread publishes N persistent messages of the same size as
   the hub's CloudEvent (the very same JSON bytes), one at a time, each waiting for its publisher
   confirm; a consumer thread on a second connection acks each message manually, concurrently.
   Rate = N / (first publish -> last ack). Durable quorum queue, like the hub's bus.
2. The hub for real: its own database (created, migrated with ``ketenhub db upgrade``, dropped
   after), its own bus prefix (queues deleted after), ``ketenhub serve --without-workers``
   (waitress) and one ``ketenhub worker`` as separate processes.
3. Hub throughput: K client threads on keep-alive connections POST N signaal events to
   /api/v1/messages while the consumer polls GET /api/v1/inbox and POSTs an ack per delivery.
   Rate = N / (first send -> last ack). Reported as the ratio hub/raw. The same with
   POST /api/v1/messages:batch (labelled separately).
4. Latency at a fixed offered load (open loop, default 100 msg/s for 20 s): per message the
   hub's ``delivered_at`` (read from the inbox) minus the time the message was due to be sent;
   p50/p99. Also reported: due -> acked by the consumer, and the intake's HTTP answer time.

The consumer is the pull inbox (default), the AMQP push connector publishing to a partner
exchange on the same RabbitMQ (``--consumer amqp``) or the webhook push connector posting to a
local receiver (``--consumer webhook``); every hub phase runs against each.

5. ``--noisy``: the noisy-neighbour scenario, in the same run. Two open loops at
   ``--noisy-rate`` each, side by side: the healthy recipient's messages (read by the
   consumer) and as many to a second meldpunt (``mzwo-noord``). First that meldpunt has no
   push endpoint; then it gets a webhook endpoint that accepts connections and never answers
   (timeout ``--noisy-timeout``). Reported: the healthy recipient's p50/p99 (due ->
   delivered) without and with the hanging endpoint.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import sys
import time
import uuid
from datetime import UTC, datetime

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from pipeline import raw_pika  # noqa: E402
from pipeline.consumers import (  # noqa: E402
    AmqpConsumer,
    Consumer,
    HangingReceiver,
    InboxConsumer,
    WebhookConsumer,
)
from pipeline.events import body_size, encode, signaal  # noqa: E402
from pipeline.http import JsonClient  # noqa: E402
from pipeline.hub_process import (  # noqa: E402
    NOISY,
    RECIPIENT,
    SENDER,
    CpuSnapshot,
    Hub,
    _beam_pids,
    _machine_busy_seconds,
    _proc_cpu_seconds,
)
from pipeline.load import closed_loop, open_loop  # noqa: E402

PG_ADMIN_URL = os.environ.get("KETENHUB_TEST_DATABASE_URL",
                              "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BROKER_URL = os.environ.get("KETENHUB_TEST_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
#: The partner broker of the amqp endpoint: the same RabbitMQ, default vhost, spelled for pika
#: (plain AMQP is allowed to loopback only).
PARTNER_BROKER_URL = "amqp://guest:guest@127.0.0.1:5672/%2F"
BAR_RATIO, BAR_P99_MS = 0.5, 100.0


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)] if ordered else float("nan")


def cpu_per_message(a: CpuSnapshot, b: CpuSnapshot, n: int) -> dict[str, float]:
    """CPU milliseconds per message per component over a phase. 'postgres' counts only the
    backends serving this run's database; 'rest of machine' is everything else (kernel, other
    users' processes): a large figure there means the machine was not quiet."""
    serve, worker, bench = b.serve - a.serve, b.worker - a.worker, b.bench - a.bench
    pg = sum(cpu - a.postgres.get(pid, 0.0) for pid, cpu in b.postgres.items())
    rabbit, machine = b.rabbit - a.rabbit, b.machine - a.machine
    rest = machine - serve - worker - bench - pg - rabbit
    return {"serve": serve * 1000 / n, "worker": worker * 1000 / n, "bench": bench * 1000 / n,
            "postgres": pg * 1000 / n, "rabbitmq": rabbit * 1000 / n,
            "rest of machine": rest * 1000 / n,
            "machine busy %": 100 * machine / ((b.at - a.at) * (os.cpu_count() or 1))}


def raw_cpu() -> CpuSnapshot:
    return CpuSnapshot(serve=0.0, worker=0.0, bench=_proc_cpu_seconds(os.getpid()), postgres={},
                       rabbit=sum(_proc_cpu_seconds(p) for p in _beam_pids()),
                       machine=_machine_busy_seconds(), at=time.perf_counter())


def throughput(hub: Hub, consumer: Consumer, n: int, clients: int, batch: int,
               timeout: float, py_spy: str | None = None) -> dict:
    before = hub.cpu()
    profilers = hub.profile(py_spy, 15, hub.workdir) if py_spy else []
    sent = closed_loop(hub.base, hub.keys[SENDER], n, clients, batch)
    if sent.errors:
        raise RuntimeError(f"senders failed: {sent.errors[:3]}")
    ids = set(sent.message_ids)
    if not consumer.wait_for(ids, timeout):
        missing = len(ids - consumer.records.keys())
        raise TimeoutError(f"{missing}/{n} messages not acknowledged within {timeout}s")
    last_ack = max(consumer.records[i].acked_at for i in ids)
    after = hub.cpu()
    for p in profilers:
        p.wait(60)
    seconds = last_ack - sent.first_send
    return {"messages": n, "seconds": seconds, "rate": n / seconds,
            "intake_seconds": sent.last_answer - sent.first_send,
            "cpu_ms_per_msg": cpu_per_message(before, after, n)}


def latency(hub: Hub, consumer: Consumer, rate: float, duration: float, senders: int,
            timeout: float) -> dict:
    before = hub.cpu()
    sent = open_loop(hub.base, hub.keys[SENDER], rate, duration, senders)
    ids = set(sent.message_ids)
    complete = consumer.wait_for(ids, timeout)
    after = hub.cpu()
    seen = {i: consumer.records[i] for i in ids if i in consumer.records}
    delivered = [(seen[i].delivered_at - sent.times[i][0]) * 1000 for i in seen]
    acked = [(seen[i].acked_at - sent.times[i][0]) * 1000 for i in seen]
    answer = [(t[2] - t[1]) * 1000 for t in sent.times.values()]
    lag = [(t[1] - t[0]) * 1000 for t in sent.times.values()]
    offered = int(rate * duration)
    return {"offered": offered, "accepted": len(ids), "delivered": len(seen),
            "complete": complete and not sent.errors, "send_errors": sent.errors[:3],
            "delivered_ms": {"p50": pct(delivered, .5), "p90": pct(delivered, .9),
                             "p99": pct(delivered, .99), "max": max(delivered, default=math.nan)},
            "acked_ms": {"p50": pct(acked, .5), "p99": pct(acked, .99)},
            "intake_answer_ms": {"p50": pct(answer, .5), "p99": pct(answer, .99)},
            "sender_lag_ms": {"p99": pct(lag, .99), "max": max(lag, default=math.nan)},
            "cpu_ms_per_msg": cpu_per_message(before, after, max(1, len(ids)))}


def noisy_neighbour(hub: Hub, consumer: Consumer, rate: float, duration: float, senders: int,
                    timeout_s: float) -> dict:
    """The healthy recipient's latency while a second recipient gets as many messages, first
    without a push endpoint, then with a webhook that hangs: the same offered load both times."""
    from concurrent.futures import ThreadPoolExecutor

    def both() -> tuple:
        with ThreadPoolExecutor(2) as pool:
            healthy = pool.submit(open_loop, hub.base, hub.keys[SENDER], rate, duration, senders)
            noisy = pool.submit(open_loop, hub.base, hub.keys[SENDER], rate, duration, senders,
                                lambda: signaal(postcode="1021 AB"))
            return healthy.result(), noisy.result()

    def measure(sent: object, noisy: object) -> dict:
        ids = set(sent.message_ids)
        complete = consumer.wait_for(ids, 90)
        seen = {i: consumer.records[i] for i in ids if i in consumer.records}
        delivered = [(seen[i].delivered_at - sent.times[i][0]) * 1000 for i in seen]
        return {"offered": int(rate * duration), "accepted": len(ids), "delivered": len(seen),
                "noisy_accepted": len(noisy.message_ids),
                "complete": complete and not sent.errors and not noisy.errors,
                "delivered_ms": {"p50": pct(delivered, .5), "p99": pct(delivered, .99),
                                 "max": max(delivered, default=math.nan)}}

    result = {"rate_each": rate, "duration_s": duration, "noisy_timeout_s": timeout_s}
    result["without"] = measure(*both())
    time.sleep(2)
    hanging = HangingReceiver()
    admin = JsonClient(hub.base, hub.keys["hub-admin"])
    path = f"/api/v1/admin/tenants/{NOISY}/endpoints"
    endpoint = admin.call("POST", path, json.dumps({"connector": "webhook", "config": {
        "url": hanging.url, "timeout_s": timeout_s}}).encode())
    try:
        result["with_hanging"] = measure(*both())
        result["hanging_connections"] = hanging.connections
    finally:
        admin.call("DELETE", f"{path}/{endpoint['id']}", None)
        admin.close()
        hanging.close()
    return result


def make_consumer(kind: str, hub: Hub, batch_ack: bool = True) -> Consumer:
    if kind == "inbox":
        return InboxConsumer(hub.base, hub.keys[RECIPIENT], batch_ack=batch_ack)
    if kind == "webhook":
        return WebhookConsumer(hub.base, hub.keys["hub-admin"], RECIPIENT)
    return AmqpConsumer(hub.base, hub.keys["hub-admin"], RECIPIENT, PARTNER_BROKER_URL)


def machine() -> str:
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            model = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{os.cpu_count()} cores ({model}), {mem:.0f} GiB, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}")


def hub_source() -> str:
    """Which hub code runs: its directory and, in a git checkout, the commit (+dirty)."""
    import subprocess

    import hub

    root = os.path.dirname(os.path.dirname(os.path.abspath(hub.__file__)))
    try:
        commit = subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", root, "status", "--porcelain", "--", "hub",
                                "connectors", "consent", "tenants"],
                               capture_output=True, text=True, check=True).stdout.strip()
        return f"{root} @ {commit}{' (uncommitted changes in hub code)' if dirty else ''}"
    except (OSError, subprocess.CalledProcessError):
        return f"{root} (not a git checkout)"


def wait_quiet(limit_s: float, busy_below: float = 0.25) -> float:
    """Wait (at most ``limit_s``) until the machine is mostly idle: other sessions' test runs
    share these 2 cores. Returns the last measured busy fraction."""
    deadline = time.monotonic() + limit_s
    while True:
        a, t = _machine_busy_seconds(), time.perf_counter()
        time.sleep(2)
        busy = (_machine_busy_seconds() - a) / ((time.perf_counter() - t) * (os.cpu_count() or 1))
        if busy < busy_below or time.monotonic() > deadline:
            return busy


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=2000, help="N for both throughput runs")
    parser.add_argument("--clients", type=int, default=4, help="HTTP sender threads (throughput)")
    parser.add_argument("--batch", type=int, default=50, help="events per :batch request (0 = skip)")
    parser.add_argument("--rate", type=float, default=100.0, help="offered load, msg/s (latency)")
    parser.add_argument("--extra-rates", default="50,25",
                        help="comma list of further offered loads to measure latency at, e.g. 25")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of offered load")
    parser.add_argument("--senders", type=int, default=8, help="sender threads (latency)")
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--threads", type=int, default=8, help="waitress threads of serve")
    parser.add_argument("--log-level", default="INFO", help="KETENHUB_LOG_LEVEL of the hub")
    parser.add_argument("--worker-concurrency", type=int, default=4,
                        help="KETENHUB_WORKER_CONCURRENCY of the worker")
    parser.add_argument("--raw-queue-type", default="quorum", choices=["quorum", "classic"])
    parser.add_argument("--ack", default="page", choices=["page", "single"],
                        help="inbox consumer acknowledges a page at once or each item")
    parser.add_argument("--consumer", default="inbox", choices=["inbox", "amqp", "webhook"],
                        help="inbox: pull and ack a page; amqp: the push connector to a partner "
                             "exchange; webhook: the push connector to a local receiver")
    parser.add_argument("--noisy", action="store_true",
                        help="add the noisy-neighbour phase (healthy p99 without/with a hanging "
                             "endpoint of another recipient)")
    parser.add_argument("--noisy-rate", type=float, default=20.0,
                        help="msg/s to each recipient in the noisy phase (twice this in all)")
    parser.add_argument("--noisy-timeout", type=float, default=5.0,
                        help="timeout_s of the hanging endpoint (noisy phase)")
    parser.add_argument("--skip", default="", help="comma list of phases to skip: "
                                                    "raw,single,batch,latency")
    parser.add_argument("--py-spy", help="path of a py-spy binary: sample serve and worker "
                                             "for 15 s of the single-message phase (implies --keep)")
    parser.add_argument("--wait-quiet", type=float, default=60.0,
                        help="wait up to this many seconds for the machine to be idle first")
    parser.add_argument("--keep", action="store_true", help="keep the work dir with the logs")
    parser.add_argument("--json", help="also write all figures to this file")
    parser.add_argument("--check", action="store_true", help="exit 1 when the bar is missed")
    args = parser.parse_args()
    skip = set(filter(None, args.skip.split(",")))
    args.keep = args.keep or bool(args.py_spy)

    started = datetime.now(UTC)
    results: dict = {"date": started.isoformat(timespec="seconds"), "machine": machine(),
                     "command": " ".join([".venv/bin/python", *sys.argv]),
                     "body_bytes": body_size(), "args": vars(args)}
    results["hub_source"] = hub_source()
    results["busy_before_start"] = wait_quiet(args.wait_quiet) if args.wait_quiet else None
    results["load_average_at_start"] = os.getloadavg()
    print(f"{results['machine']}\nload average at start: "
          f"{' '.join(f'{x:.2f}' for x in results['load_average_at_start'])}")
    print(f"body: {results['body_bytes']} bytes (signaal CloudEvent JSON)")

    if "raw" not in skip:
        bodies = [encode(signaal()) for _ in range(args.messages)]
        before = raw_cpu()
        raw = raw_pika.run(BROKER_URL, f"kh-bench-raw-{uuid.uuid4().hex[:10]}", bodies,
                           queue_type=args.raw_queue_type)
        after = raw_cpu()
        results["raw"] = {"messages": raw.messages, "seconds": raw.seconds, "rate": raw.rate,
                          "queue_type": args.raw_queue_type,
                          "cpu_ms_per_msg": cpu_per_message(before, after, raw.messages)}
        print(f"raw pika: {raw.rate:8.1f} msg/s ({raw.messages} in {raw.seconds:.2f}s)")

    hub = Hub(PG_ADMIN_URL, BROKER_URL, threads=args.threads, log_level=args.log_level,
              worker_concurrency=args.worker_concurrency)
    consumer: Consumer | None = None
    code = 0
    try:
        hub.start()
        print(f"hub up at {hub.base} (db {hub.db_name}, bus prefix {hub.bus_prefix}, "
              f"logs {hub.workdir})")
        consumer = make_consumer(args.consumer, hub, args.ack == "page")
        results["consumer"] = consumer.name
        consumer.start()
        warm = closed_loop(hub.base, hub.keys[SENDER], args.warmup, args.clients)
        if warm.errors or not consumer.wait_for(set(warm.message_ids), 60):
            raise RuntimeError(f"warm-up failed: {warm.errors[:3]}")
        if "single" not in skip:
            results["hub"] = throughput(hub, consumer, args.messages, args.clients, 1, 180,
                                        args.py_spy)
            print(f"hub (POST /messages): {results['hub']['rate']:8.1f} msg/s")
        if args.batch and "batch" not in skip:
            results["hub_batch"] = throughput(hub, consumer, args.messages, args.clients,
                                              args.batch, 180)
            print(f"hub (POST /messages:batch x{args.batch}): "
                  f"{results['hub_batch']['rate']:8.1f} msg/s")
        if "latency" not in skip:
            rates = [args.rate] + [float(x) for x in args.extra_rates.split(",") if x]
            for i, rate in enumerate(rates):
                key = "latency" if i == 0 else f"latency_{rate:g}"
                if i:
                    time.sleep(2)  # let the previous backlog settle
                results[key] = latency(hub, consumer, rate, args.duration, args.senders, 90)
                results[key]["rate"] = rate
                lat = results[key]["delivered_ms"]
                print(f"latency @ {rate:g} msg/s: p50 {lat['p50']:.1f} ms  p99 {lat['p99']:.1f} ms")
        if args.noisy:
            time.sleep(2)
            results["noisy"] = noisy_neighbour(hub, consumer, args.noisy_rate, args.duration,
                                               args.senders, args.noisy_timeout)
            for key in ("without", "with_hanging"):
                lat = results["noisy"][key]["delivered_ms"]
                print(f"noisy neighbour, {key}: healthy p50 {lat['p50']:.1f} ms  "
                      f"p99 {lat['p99']:.1f} ms")
        results["hub_errors_logged"] = hub.error_lines()[:10]
    finally:
        if consumer is not None:
            consumer.stop()
            results["consumer_errors"] = getattr(consumer, "errors", [])[:5]
        hub.stop()
        hub.cleanup()
        if not args.keep:
            import shutil
            shutil.rmtree(hub.workdir, ignore_errors=True)
    results["wall_seconds"] = (datetime.now(UTC) - started).total_seconds()

    print_summary(results)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(results, f, indent=2, default=str)
    verdicts = bar(results)
    if args.check and not all(verdicts.values()):
        code = 1
    return code


def bar(results: dict) -> dict[str, bool]:
    verdicts = {}
    for key, name in (("hub", "ratio single POST"), ("hub_batch", "ratio batch POST")):
        if "raw" in results and key in results:
            verdicts[name] = results[key]["rate"] / results["raw"]["rate"] >= BAR_RATIO
    if "latency" in results:
        verdicts["p99"] = (results["latency"]["complete"]
                           and results["latency"]["delivered_ms"]["p99"] <= BAR_P99_MS)
    return verdicts


def print_summary(r: dict) -> None:
    print("\n== Ketenhub pipeline benchmark ==")
    print(f"date {r['date']}   {r['machine']}")
    print(f"command: {r['command']}")
    print(f"hub code: {r['hub_source']}; serve threads {r['args']['threads']}, worker "
          f"concurrency {r['args']['worker_concurrency']}, log level {r['args']['log_level']}")
    print(f"machine busy before start {100 * (r['busy_before_start'] or 0):.0f}%, load average "
          f"{' '.join(f'{x:.2f}' for x in r['load_average_at_start'])}")
    print(f"body {r['body_bytes']} bytes; consumer: {r.get('consumer')}; wall {r['wall_seconds']:.0f}s")
    raw = r.get("raw")
    rows = []
    if raw:
        rows.append(("raw pika (confirm/msg, manual ack)", raw["messages"], raw["seconds"],
                     raw["rate"], 1.0))
    acked = {"inbox": "inbox ack", "amqp": "amqp consumer ack", "webhook": "webhook 2xx"}[
        r["args"].get("consumer", "inbox")]
    for key, label in (("hub", f"hub: POST /messages -> {acked}"),
                       ("hub_batch", f"hub: POST /messages:batch x{r['args']['batch']} -> {acked}")):
        if key in r:
            h = r[key]
            rows.append((label, h["messages"], h["seconds"], h["rate"],
                         h["rate"] / raw["rate"] if raw else float("nan")))
    print(f"\n{'throughput':44s} {'msgs':>6s} {'seconds':>8s} {'msg/s':>8s} {'hub/raw':>8s}")
    for label, n, s, rate, ratio in rows:
        print(f"{label:44s} {n:6d} {s:8.2f} {rate:8.1f} {ratio:8.3f}")
    for key in ("raw", "hub", "hub_batch"):
        if key in r:
            cpu = r[key]["cpu_ms_per_msg"]
            print(f"  {key} CPU ms/msg: " + "  ".join(f"{k} {v:.2f}" for k, v in cpu.items()))
    for key in [k for k in r if k.startswith("latency")]:
        lt = r[key]
        d, a, i, lag = lt["delivered_ms"], lt["acked_ms"], lt["intake_answer_ms"], lt["sender_lag_ms"]
        print(f"\nlatency at {lt['rate']:g} msg/s offered for {r['args']['duration']:g}s "
              f"(open loop, {lt['accepted']}/{lt['offered']} accepted, {lt['delivered']} delivered)")
        print(f"  due -> delivered (hub delivered_at): p50 {d['p50']:7.1f} ms  p90 {d['p90']:7.1f} ms"
              f"  p99 {d['p99']:7.1f} ms  max {d['max']:7.1f} ms")
        print(f"  due -> acked by the consumer       : p50 {a['p50']:7.1f} ms  p99 {a['p99']:7.1f} ms")
        print(f"  intake HTTP answer                 : p50 {i['p50']:7.1f} ms  p99 {i['p99']:7.1f} ms")
        print(f"  sender lag behind schedule         : p99 {lag['p99']:7.1f} ms  max {lag['max']:7.1f} ms")
        cpu = lt["cpu_ms_per_msg"]
        print("  CPU ms/msg: " + "  ".join(f"{k} {v:.2f}" for k, v in cpu.items()))
    if "noisy" in r:
        nz = r["noisy"]
        print(f"\nnoisy neighbour: {nz['rate_each']:g} msg/s to the healthy recipient and as many "
              f"to {NOISY}, {nz['duration_s']:g}s each (hanging endpoint timeout "
              f"{nz['noisy_timeout_s']:g}s, {nz.get('hanging_connections', 0)} connections held)")
        for key, label in (("without", "no endpoint at the other"), ("with_hanging",
                                                                      "hanging endpoint")):
            d = nz[key]["delivered_ms"]
            print(f"  healthy, {label:24s}: p50 {d['p50']:7.1f} ms  p99 {d['p99']:7.1f} ms  "
                  f"max {d['max']:7.1f} ms  ({nz[key]['delivered']}/{nz[key]['accepted']} "
                  f"delivered{'' if nz[key]['complete'] else ', INCOMPLETE'})")
    verdicts = bar(r)
    if verdicts:
        print("\nbar (ratio >= 0.5, p99 <= 100 ms): " + ", ".join(
            f"{k} {'PASS' if v else 'FAIL'}" for k, v in verdicts.items()))
    for key in ("hub_errors_logged", "consumer_errors"):
        if r.get(key):
            print(f"{key}: {r[key]}")


if __name__ == "__main__":
    sys.exit(main())
