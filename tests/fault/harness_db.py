"""Reading the pipeline's state straight from the database (the source of truth) while and after
the hub processes run: plain read-only SQL, no hub code in the way."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, text


@dataclass(frozen=True)
class DbState:
    messages: int
    statuses: dict[str, int]
    outbox: int
    successes: int
    deliveries_with_several_successes: int
    dead_alerts: int

    @property
    def deliveries(self) -> int:
        return sum(self.statuses.values())

    @property
    def open(self) -> int:
        return self.statuses.get("pending", 0) + self.statuses.get("retrying", 0)

    def drained(self, expected_deliveries: int) -> bool:
        return (self.statuses.get("delivered", 0) == expected_deliveries == self.deliveries
                and self.outbox == 0)


def db_state(engine: Engine) -> DbState:
    with engine.connect() as conn:
        statuses = {r[0]: r[1] for r in conn.execute(
            text("SELECT status, count(*) FROM deliveries GROUP BY status"))}
        several = conn.execute(text(
            "SELECT count(*) FROM (SELECT delivery_id FROM delivery_attempts "
            "WHERE outcome = 'success' GROUP BY delivery_id HAVING count(*) > 1) AS s")).scalar_one()
        return DbState(
            messages=conn.execute(text("SELECT count(*) FROM messages")).scalar_one(),
            statuses=statuses,
            outbox=conn.execute(text("SELECT count(*) FROM outbox")).scalar_one(),
            successes=conn.execute(text(
                "SELECT count(*) FROM delivery_attempts WHERE outcome = 'success'")).scalar_one(),
            deliveries_with_several_successes=several,
            dead_alerts=conn.execute(text(
                "SELECT count(*) FROM alerts WHERE kind = 'delivery.dead'")).scalar_one())
