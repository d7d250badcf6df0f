"""Fakes several test suites share: a clock moved by hand and the CloudEvents they send."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from tenants.demo import source_for

T0 = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


class FakeClock:
    """A clock the test moves; starts at ``T0`` unless told otherwise."""

    def __init__(self, at: datetime = T0) -> None:
        self.now = at

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


def signaal(postcode: str = "1012 AB", event_id: str | None = None, *, sender: str = "ymere",
            **data: object) -> dict:
    """A corporatie's signaal about overlast at ``postcode`` 12 (``data`` overrides fields),
    from ``sender`` (its own ``source``)."""
    body = {"soort": "overlast", "categorieen": ["geluid"],
            "adres": {"postcode": postcode, "huisnummer": 12},
            "omschrijving": "Harde muziek na middernacht, al drie weken.",
            "waargenomen_op": "2026-11-01", "melder_type": "omwonende",
            "kenmerk_afzender": "YM-2026-001"}
    body.update(data)
    return {"specversion": "1.0", "id": event_id or str(uuid.uuid4()),
            "source": source_for(sender), "type": "nl.ketenhub.signaal.v1",
            "time": "2026-11-20T09:30:00Z", "datacontenttype": "application/json", "data": body}


def event(type_: str, data: dict, event_id: str | None = None, *,
          sender: str = "mzwo-centrum") -> dict:
    """An event of ``type_`` from ``sender`` (its own ``source``)."""
    return {"specversion": "1.0", "id": event_id or str(uuid.uuid4()),
            "source": source_for(sender, "ris"), "type": type_, "data": data}
