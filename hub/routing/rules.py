"""The routing rules. Each names the message types it handles and yields candidate recipients;
the policy decision point then decides per recipient. New flows add a rule here."""

from __future__ import annotations

import abc
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from hub.errors import InvalidMessage
from tenants.directory import Snapshot
from tenants.model import TenantKind

SIGNAAL = "nl.ketenhub.signaal.v1"
SIGNAAL_REACTIE = "nl.ketenhub.signaal.reactie.v1"
HUURACHTERSTAND = "nl.ketenhub.huurachterstand.v1"
URGENT = "nl.ketenhub.urgent.v1"
TOEWIJZING = "nl.ketenhub.toewijzing.v1"
TOEWIJZING_REACTIE = "nl.ketenhub.toewijzing.reactie.v1"
AFSLUITING = "nl.ketenhub.afsluiting.v1"


def correlation_of(zaak_kenmerk: str) -> str:
    """A stable hash of a case reference; stored instead of the reference itself."""
    return hashlib.sha256(b"zaak:" + zaak_kenmerk.encode("utf-8")).hexdigest()


class MessageLookup(Protocol):
    """What routing may ask about earlier messages (answered from the database)."""

    def recipients_of(self, message_id: str) -> tuple[str, list[str]] | None:
        """(sender, recipients) of an earlier message, or None."""

    def correlated_senders(self, message_type: str, correlation: str, recipient: str) -> list[str]: ...

    def correlated_recipients(self, message_type: str, correlation: str, sender: str) -> list[str]: ...


@dataclass(frozen=True)
class RoutingContext:
    type: str
    data: dict
    sender: str
    at: datetime
    directory: Snapshot
    lookup: MessageLookup


class RoutingRule(abc.ABC):
    types: frozenset[str]

    @abc.abstractmethod
    def recipients(self, ctx: RoutingContext) -> Sequence[str]: ...


def postcode_pc4(postcode: str) -> int:
    return int(postcode[:4])


class SignaalToAreaMeldpunt(RoutingRule):
    """A signaal goes to the meldpunt whose network area holds the address's PC4."""

    types = frozenset({SIGNAAL})

    def recipients(self, ctx: RoutingContext) -> Sequence[str]:
        pc4 = postcode_pc4(ctx.data["adres"]["postcode"])
        return [m for m, _ in ctx.directory.meldpunten_for(pc4, ctx.sender, ctx.at.date())]


class ToewijzingToAddressee(RoutingRule):
    """A toewijzing goes to the partner named in ``aan``."""

    types = frozenset({TOEWIJZING})

    def recipients(self, ctx: RoutingContext) -> Sequence[str]:
        return [ctx.data["aan"]]


class ReactieToSignaalSender(RoutingRule):
    """A reactie goes back to whoever sent the signaal, if the signaal reached the reactor."""

    types = frozenset({SIGNAAL_REACTIE})

    def recipients(self, ctx: RoutingContext) -> Sequence[str]:
        found = ctx.lookup.recipients_of(ctx.data["signaal_id"])
        if found is None or ctx.sender not in found[1]:
            raise InvalidMessage("validation.unknown_reference",
                                 "Het bericht verwijst naar een onbekend signaal.",
                                 [{"field": "/data/signaal_id",
                                   "rule": "validation.unknown_reference"}])
        return [found[0]]


class ToewijzingReactieToMeldpunt(RoutingRule):
    """A partner's answer to a toewijzing goes to the meldpunt that asked it."""

    types = frozenset({TOEWIJZING_REACTIE})

    def recipients(self, ctx: RoutingContext) -> Sequence[str]:
        return ctx.lookup.correlated_senders(TOEWIJZING, correlation_of(ctx.data["zaak_kenmerk"]),
                                             ctx.sender)


class AfsluitingToInvolvedPartners(RoutingRule):
    """Closing a case informs every partner the meldpunt assigned it to."""

    types = frozenset({AFSLUITING})

    def recipients(self, ctx: RoutingContext) -> Sequence[str]:
        return ctx.lookup.correlated_recipients(TOEWIJZING,
                                                correlation_of(ctx.data["zaak_kenmerk"]),
                                                ctx.sender)


class UrgentToVangnetAndPolice(RoutingRule):
    """Extreme or urgent: GGD Vangnet & Advies and politie at once (werkwijze stap 5)."""

    types = frozenset({URGENT})

    def recipients(self, ctx: RoutingContext) -> Sequence[str]:
        return ctx.directory.parties_of_kind(ctx.sender, {TenantKind.GGD, TenantKind.POLITIE},
                                             ctx.at.date())


DEFAULT_RULES: tuple[RoutingRule, ...] = (
    SignaalToAreaMeldpunt(), ToewijzingToAddressee(), ReactieToSignaalSender(),
    ToewijzingReactieToMeldpunt(), AfsluitingToInvolvedPartners(), UrgentToVangnetAndPolice(),
)


class Router:
    def __init__(self, rules: Sequence[RoutingRule] = DEFAULT_RULES) -> None:
        self._rules = tuple(rules)

    def add(self, rule: RoutingRule) -> None:
        self._rules = (*self._rules, rule)

    def recipients(self, ctx: RoutingContext) -> list[str]:
        """Every rule for the type contributes; duplicates and the sender itself are dropped."""
        seen: dict[str, None] = {}
        for rule in self._rules:
            if ctx.type in rule.types:
                for recipient in rule.recipients(ctx):
                    if recipient != ctx.sender:
                        seen.setdefault(recipient, None)
        return list(seen)
