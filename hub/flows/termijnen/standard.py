"""The flows with a term that ride on messages of the catalogue: a signaal to a zorgaanbieder's
centraal meldpunt (seed 004), the Utrecht aanmelding and toestemmingsverzoek (seed 002), and a
meldpunt's toewijzing of a zaak to a partner (seed 000 step 10); and the regiecheck's answer
term, which the store records while the regiecheck's schedule watches it
(``hub.flows.regiecheck.termijn``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from hub.flows.regiecheck.termijn import RegiecheckTermijn
from hub.flows.termijnen.model import short_type
from hub.flows.termijnen.registry import Antwoord, Opening, TermijnFlow
from hub.intake.catalogue import (
    AANMELDING,
    AANMELDING_REACTIE,
    SIGNAAL,
    SIGNAAL_REACTIE,
    TOESTEMMINGSVERZOEK,
    TOESTEMMINGSVERZOEK_REACTIE,
    TOEWIJZING,
    TOEWIJZING_REACTIE,
)
from hub.routing.rules import correlation_of
from tenants.model import TenantKind

if TYPE_CHECKING:
    from hub.ports import HubUnitOfWork


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


class Toewijzing(TermijnFlow):
    """The partner a meldpunt asks to take up a zaak accepts or refuses within the network's
    werkdagen (default 2; seed 000 step 10); a ``toewijzing.reactie`` meets it either way
    (its token is ``toewijzing.reactie:geaccepteerd`` or ``:geweigerd``, so a network could
    let only one of the two meet it).

    The term is on the toewijzing *message* (one per toewijzing, so a second toewijzing on a
    reopened zaak opens a term of its own). A reactie naming ``toewijzing_id`` meets that
    toewijzing's term; one naming only the ``zaak_kenmerk`` meets every running toewijzing
    term of that zaak the partner owes (routing has refused a reactie on a zaak the partner
    was never asked to take up: ``validation.unknown_reference``)."""

    name = "toewijzing"
    opened_by = frozenset({TOEWIJZING})

    def answers(self, message_type: str, data: dict) -> Sequence[Antwoord]:
        if message_type != TOEWIJZING_REACTIE or not data.get("zaak_kenmerk"):
            return ()
        besluit = "geaccepteerd" if data.get("geaccepteerd") else "geweigerd"
        token = f"{short_type(message_type)}:{besluit}"
        if data.get("toewijzing_id"):
            return (Antwoord(self.name, str(data["toewijzing_id"]), token),)
        return (Antwoord(self.name, "", token, zaak=correlation_of(str(data["zaak_kenmerk"]))),)

    def subjects(self, uow: HubUnitOfWork, antwoord: Antwoord, answered_by: str) -> Sequence[str]:
        if antwoord.zaak is None:
            return (antwoord.subject_id,)
        return sorted(uow.messages.correlated_received(TOEWIJZING, antwoord.zaak, answered_by))


def standard_flows() -> list[TermijnFlow]:
    return [SignaalZorgaanbieder(), Aanmelding(), Toestemmingsverzoek(), Toewijzing(),
            RegiecheckTermijn()]
