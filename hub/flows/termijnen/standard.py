"""The flows with a term that ride on messages of the catalogue: a signaal to a zorgaanbieder's
centraal meldpunt (seed 004), and the Utrecht aanmelding and toestemmingsverzoek (seed 002).
The regiecheck and toewijzing flows register their own (``hub.flows.regiecheck``, zaken)."""

from __future__ import annotations

from collections.abc import Sequence

from hub.flows.termijnen.model import short_type
from hub.flows.termijnen.registry import Antwoord, Opening, TermijnFlow
from hub.intake.catalogue import (
    AANMELDING,
    AANMELDING_REACTIE,
    SIGNAAL,
    SIGNAAL_REACTIE,
    TOESTEMMINGSVERZOEK,
    TOESTEMMINGSVERZOEK_REACTIE,
)
from tenants.model import TenantKind


class _ReplyOnMessage(TermijnFlow):
    """A term on a message, met by a reply of ``reply_type`` naming it in ``reference``."""

    reply_type: str = ""
    reference: str = ""

    def answers(self, message_type: str, data: dict) -> Sequence[Antwoord]:
        if message_type != self.reply_type or not data.get(self.reference):
            return ()
        token = short_type(message_type)
        if data.get("status"):
            token = f"{token}:{data['status']}"
        return (Antwoord(self.name, str(data[self.reference]), token),)


class SignaalZorgaanbieder(_ReplyOnMessage):
    """The zorgaanbieder's centraal meldpunt contacts the klager within 2 werkdagen of a signaal
    (overlastprotocol, actie 1); a ``signaal.reactie`` ``klager_benaderd``, ``in_behandeling`` or
    ``afgehandeld`` meets it, an ``ontvangen`` (an ack) does not."""

    name = "signaal_zorgaanbieder"
    opened_by = frozenset({SIGNAAL})
    reply_type = SIGNAAL_REACTIE
    reference = "signaal_id"

    def applies(self, opening: Opening) -> bool:
        return opening.recipient_kind is TenantKind.ZORGAANBIEDER


class Aanmelding(_ReplyOnMessage):
    """U Centraal takes a new aanmelding in behandeling (or refuses it) within 5 werkdagen."""

    name = "aanmelding"
    opened_by = frozenset({AANMELDING})
    reply_type = AANMELDING_REACTIE
    reference = "aanmelding_id"


class Toestemmingsverzoek(_ReplyOnMessage):
    """The corporatie gives or refuses U Centraal permission within 3 werkdagen."""

    name = "toestemmingsverzoek"
    opened_by = frozenset({TOESTEMMINGSVERZOEK})
    reply_type = TOESTEMMINGSVERZOEK_REACTIE
    reference = "verzoek_id"


def standard_flows() -> list[TermijnFlow]:
    return [SignaalZorgaanbieder(), Aanmelding(), Toestemmingsverzoek()]
