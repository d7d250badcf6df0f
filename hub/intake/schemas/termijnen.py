"""The termijnen events the hub sends itself (never accepted from a partner): ids, the flow and
the deadline; no personal data."""

from __future__ import annotations

from hub.intake.schemas.base import StrictSchema, Text
from hub.intake.schemas.signalen import Uuid

_FLOW = r"[a-z][a-z0-9_]{0,63}"
_TENANT_ID = r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?"


class _TermijnEventSchema(StrictSchema):
    bericht_id = Text(64, required=True, metadata={
        "description": "The message (or regiecheck) the term is on"})
    termijn_id = Uuid(required=True)
    flow = Text(64, pattern=_FLOW, required=True, metadata={"example": "signaal_zorgaanbieder"})
    deadline = Text(40, required=True, metadata={"format": "date-time"})
    partij = Text(64, pattern=_TENANT_ID, required=True,
                  metadata={"description": "The party that owes the answer"})


class TermijnHerinneringSchema(_TermijnEventSchema):
    """``nl.ketenhub.termijn.herinnering.v1`` — on the morning of the last werkdag, to the
    party that owes the answer."""


class TermijnVerlopenSchema(_TermijnEventSchema):
    """``nl.ketenhub.termijn.verlopen.v1`` — the term passed unmet: to the party it was owed
    to and the area's meldpunt, once."""
