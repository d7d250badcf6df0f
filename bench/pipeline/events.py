"""The benchmark's message: a realistic signaal CloudEvent, the same bytes for the hub and for
the raw-pika baseline."""

from __future__ import annotations

import json
import uuid

from tenants.demo import source_for

#: The sender (ymere, see hub_process.SENDER) names its own KvK-nummer in ``source``.
SOURCE = source_for("ymere")
OMSCHRIJVING = ("Harde muziek na middernacht, al drie weken. Buren in het trappenhuis klagen over "
                "bonken op de muren en dichtslaande deuren, ook in het weekend tot in de ochtend.")


def signaal(event_id: str | None = None, postcode: str = "1012 AB") -> dict:
    """Routes from a woningcorporatie (ymere) to the meldpunt of postcode area 1011-1018: one
    permitted delivery (convenant) to mzwo-centrum, one denied recipient (no consent). With a
    postcode in 1020-1029 it goes to the noisy-neighbour scenario's other meldpunt instead."""
    return {"specversion": "1.0", "id": event_id or str(uuid.uuid4()), "source": SOURCE,
            "type": "nl.ketenhub.signaal.v1", "time": "2026-11-20T09:30:00Z",
            "datacontenttype": "application/json",
            "data": {"soort": "overlast", "categorieen": ["geluid", "vernieling"],
                     "adres": {"postcode": postcode, "huisnummer": 12, "woonplaats": "Amsterdam"},
                     "omschrijving": OMSCHRIJVING, "waargenomen_op": "2026-11-01",
                     "melder_type": "omwonende", "urgentie": "normaal",
                     "kenmerk_afzender": "YM-2026-001"}}


def encode(event: dict) -> bytes:
    return json.dumps(event, separators=(",", ":")).encode("utf-8")


def body_size() -> int:
    return len(encode(signaal()))
