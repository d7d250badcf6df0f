"""The CloudEvents the regiecheck flow writes itself (question, reminder, expiry)."""

from __future__ import annotations

import uuid
from datetime import datetime

from hub.intake.envelope import CloudEvent

#: The ``source`` of events the hub's regiecheck flow produces (NL GOV profile URN).
HUB_SOURCE = "urn:nld:ketenhub:flow:regiecheck"


def hub_event(event_type: str, data: dict, now: datetime) -> CloudEvent:
    return CloudEvent(id=str(uuid.uuid4()), source=HUB_SOURCE, type=event_type,
                      specversion="1.0", time=now, subject=None,
                      datacontenttype="application/json", dataschema=None, extensions={},
                      data=data)


def utc_text(moment: datetime) -> str:
    """RFC 3339 with a ``Z``."""
    return moment.isoformat().replace("+00:00", "Z")
