"""The regiecheck schedule runs from the database: two workers (separate processes' containers
on one PostgreSQL) passing at the same moment send each reminder and each expiry once, and a
worker started later picks up what fell due while none ran."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from hub.bootstrap import bootstrap
from hub.persistence import tables as t
from tests.integration.regiecheck_world import STANDARD, household, regiecheck_world, stop


@pytest.fixture
def world(postgres_url, tmp_path):
    w = regiecheck_world(postgres_url, tmp_path, start=False)
    yield w
    stop(w)


def _count(w, message_type: str) -> int:
    with w.container.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(t.messages).where(
            t.messages.c.type == f"nl.ketenhub.regiecheck.{message_type}.v1")).scalar_one()


def _worker(w):
    """Another worker: its own container (engine, services) on the same database and clock."""
    return bootstrap(w.container.config, clock=w.clock)


def _pass(container, start: threading.Barrier, results: list) -> None:  # noqa: ANN001
    start.wait()
    results.append(container.regiecheck_schedule.run_once())


def test_two_workers_passing_at_once_remind_and_expire_each_check_once(world):
    w = world
    for _ in range(3):
        r = w.client.post("/api/v1/regiechecks", headers=w.headers("mzwo-centrum"),
                          json=household())
        assert r.status_code == 201
    others = [_worker(w) for _ in range(2)]
    try:
        for moment, kind in (((2026, 12, 3, 8, 30), "herinnering"),
                             ((2026, 12, 4, 0, 0, 5), "verlopen")):
            w.clock.set_local(*moment)
            start = threading.Barrier(len(others))
            results: list = []
            threads = [threading.Thread(target=_pass, args=(c, start, results)) for c in others]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
            if kind == "herinnering":
                assert sum(r.reminders for r in results) == 3 * len(STANDARD)
                assert _count(w, "herinnering") == 3 * len(STANDARD)
            else:
                assert sum(r.expired for r in results) == 3
                assert _count(w, "verlopen") == 3
    finally:
        for container in others:
            container.close()


def test_a_worker_started_on_the_last_morning_sends_the_reminder_it_missed(world):
    w = world
    w.client.post("/api/v1/regiechecks", headers=w.headers("mzwo-centrum"), json=household())
    w.clock.set_local(2026, 12, 3, 15, 0)  # the workers were down from before 08:00
    later = _worker(w)
    try:
        assert later.regiecheck_schedule.run_once().reminders == len(STANDARD)
    finally:
        later.close()


def test_a_worker_started_after_the_deadline_expires_what_fell_due_meanwhile(world):
    w = world
    r = w.client.post("/api/v1/regiechecks", headers=w.headers("mzwo-centrum"), json=household())
    check_id = r.json["id"]
    w.clock.set_local(2026, 12, 7, 9, 0)  # no worker ran over the weekend
    later = _worker(w)
    try:
        result = later.regiecheck_schedule.run_once()
    finally:
        later.close()
    # The reminder's morning passed unseen, and so did the deadline: no late reminder, the
    # check expires.
    assert (result.reminders, result.expired) == (0, 1)
    view = w.client.get(f"/api/v1/regiechecks/{check_id}", headers=w.headers("mzwo-centrum")).json
    assert view["status"] == "verlopen"
    assert {p["status"] for p in view["partners"]} == {"verlopen"}

    # The term store agrees, and the termijnen watcher leaves the regiecheck's terms to it.
    r = w.client.get("/api/v1/termijnen", headers=w.headers("mzwo-centrum"))
    assert {(x["flow"], x["status"]) for x in r.json["items"]} == {("regiecheck", "verlopen")}
    assert len(r.json["items"]) == len(view["partners"])
    assert w.container.watcher.run_until_idle().handled == 0
    with w.container.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.messages).where(
            t.messages.c.type.like("nl.ketenhub.termijn.%"))).scalar_one() == 0
