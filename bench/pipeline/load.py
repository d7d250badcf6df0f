"""Load generators against POST /api/v1/messages (and :batch)."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from pipeline.events import encode, signaal
from pipeline.http import JsonClient


@dataclass
class Sent:
    message_ids: list[str] = field(default_factory=list)
    #: message id -> (intended send time, send start, response time), epoch seconds
    times: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    first_send: float = 0.0
    last_answer: float = 0.0

    def add(self, message_id: str, intended: float, started: float, answered: float) -> None:
        self.message_ids.append(message_id)
        self.times[message_id] = (intended, started, answered)


def _accepted_id(answer: dict) -> str:
    permitted = [d for d in answer["deliveries"] if d["decision"] == "permit"]
    if len(permitted) != 1:
        raise AssertionError(f"expected one permitted delivery, got {answer['deliveries']}")
    return answer["id"]


def closed_loop(base: str, key: str, total: int, clients: int, batch: int = 1) -> Sent:
    """``clients`` threads send as fast as answers come back, ``total`` events in all; with
    ``batch`` > 1 each request is POST /api/v1/messages:batch carrying that many events."""
    sent = Sent()
    lock = threading.Lock()
    counter = itertools.count()
    requests_needed = -(-total // batch)

    def run() -> None:
        client = JsonClient(base, key)
        try:
            while True:
                n = next(counter)
                if n >= requests_needed:
                    return
                size = min(batch, total - n * batch)
                events = [signaal() for _ in range(size)]
                started = time.time()
                if batch == 1:
                    answers = [client.call("POST", "/api/v1/messages", encode(events[0]))]
                else:
                    body = json.dumps({"events": events}, separators=(",", ":")).encode()
                    reply = client.call("POST", "/api/v1/messages:batch", body)
                    answers = []
                    for r in reply["results"]:
                        if r["status"] != 202:
                            raise AssertionError(f"batch item refused: {r}")
                        answers.append(r["body"])
                answered = time.time()
                with lock:
                    for a in answers:
                        sent.add(_accepted_id(a), started, started, answered)
        except Exception as exc:  # noqa: BLE001 - reported by the caller
            with lock:
                sent.errors.append(repr(exc))
        finally:
            client.close()

    threads = [threading.Thread(target=run, name=f"sender-{i}", daemon=True)
               for i in range(clients)]
    sent.first_send = time.time()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    sent.last_answer = time.time()
    return sent


def open_loop(base: str, key: str, rate: float, duration: float, senders: int,
              make: Callable[[], dict] = signaal) -> Sent:
    """Fixed offered load: message i is due at t0 + i/rate whatever the answers do (open loop);
    ``senders`` threads take the slots round-robin, each on its own keep-alive connection.
    A message's latency is measured from its due time, so a stalled sender cannot hide delay
    (no coordinated omission). ``make`` builds each event (default: the standard signaal)."""
    sent = Sent()
    lock = threading.Lock()
    total = int(rate * duration)
    t0 = time.time() + 0.2

    def run(index: int) -> None:
        client = JsonClient(base, key)
        try:
            for i in range(index, total, senders):
                due = t0 + i / rate
                pause = due - time.time()
                if pause > 0:
                    time.sleep(pause)
                body = encode(make())
                started = time.time()
                try:
                    answer = client.call("POST", "/api/v1/messages", body)
                except Exception as exc:  # noqa: BLE001 - count it, go on with the schedule
                    with lock:
                        sent.errors.append(repr(exc))
                    continue
                answered = time.time()
                with lock:
                    sent.add(_accepted_id(answer), due, started, answered)
        finally:
            client.close()

    threads = [threading.Thread(target=run, args=(i,), name=f"open-{i}", daemon=True)
               for i in range(senders)]
    sent.first_send = t0
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    sent.last_answer = time.time()
    return sent
