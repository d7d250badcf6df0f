"""Readiness probes: can this process reach its database and its bus right now?"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from hub.bus.ports import Bus


@dataclass(frozen=True)
class Readiness:
    database: bool
    bus: bool

    @property
    def ready(self) -> bool:
        return self.database and self.bus


def check_readiness(engine: Engine, bus: Bus, timeout: float) -> Readiness:
    return Readiness(database=_database_ok(engine), bus=bus.ping(timeout))


def _database_ok(engine: Engine) -> bool:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except DBAPIError:
        return False
