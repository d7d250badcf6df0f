"""On PostgreSQL the intake's ``NOTIFY`` wakes relays in other processes at commit time."""

from __future__ import annotations

import logging
import threading

import psycopg
from sqlalchemy.engine import make_url

from hub.outbox.relay import Waker
from hub.persistence.record_repositories import OUTBOX_CHANNEL

log = logging.getLogger("ketenhub.outbox")


def _dsn(database_url: str) -> str:
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def listen_for_outbox(database_url: str, waker: Waker, stop: threading.Event) -> None:
    """LISTEN until ``stop``; reconnects after failures. Missing a NOTIFY only delays: the
    relay also polls."""
    while not stop.is_set():
        try:
            with psycopg.connect(_dsn(database_url), autocommit=True) as conn:
                conn.execute(f"LISTEN {OUTBOX_CHANNEL}")
                while not stop.is_set():
                    for _ in conn.notifies(timeout=0.5, stop_after=1):
                        waker.notify()
        except psycopg.Error as exc:
            log.warning("outbox listener reconnecting", extra={"error_type": type(exc).__name__})
            stop.wait(1.0)
