"""The routing rules. Each names the message types it handles and yields candidate recipients;
the policy decision point then decides per recipient. New flows add a rule here."""

from __future__ import annotations

import abc
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from consent.errors import AddressError
from consent.model import BegeleideWoning, Consent, DataCategory, address_key
from consent.policy import ConsentSubject
from hub.errors import InvalidMessage
from hub.intake.catalogue import (
    AANMELDING,
    AANMELDING_REACTIE,
    AFSLUITING,
    HUURACHTERSTAND,
    SIGNAAL,
    SIGNAAL_REACTIE,
    TOESTEMMINGSVERZOEK,
    TOESTEMMINGSVERZOEK_REACTIE,
    TOEWIJZING,
    TOEWIJZING_REACTIE,
    URGENT,
)
from tenants.directory import Snapshot
from tenants.model import TenantKind


def correlation_of(zaak_kenmerk: str) -> str:
    """A stable hash of a case reference; stored instead of the reference itself."""
    return hashlib.sha256(b"zaak:" + zaak_kenmerk.encode("utf-8")).hexdigest()


class MessageLookup(Protocol):
    """What routing may ask about earlier messages (answered from the database)."""

    def recipients_of(self, message_id: str) -> tuple[str, list[str]] | None:
        """(sender, recipients) of an earlier message, or None."""

    def correlated_senders(self, message_type: str, correlation: str, recipient: str) -> list[str]: ...

    def correlated_recipients(self, message_type: str, correlation: str, sender: str) -> list[str]: ...

    def correlated_received(self, message_type: str, correlation: str,
                            recipient: str) -> dict[str, str]:
        """Message id → sender of the messages of this type and correlation ``recipient`` got."""

    def routing_of(self, message_id: str) -> dict:
        """The stored routing facts of an earlier message ({} when unknown)."""

    def woningen_at(self, address_key: str) -> Sequence[BegeleideWoning]: ...

    def preload_woningen(self, address_keys: Sequence[str]) -> None:
        """Answer later ``woningen_at`` calls for these keys from one query (a batch)."""

    def consents_for(self, client_ref: str, network_id: str) -> Sequence[Consent]: ...

    def zaak_participants(self, meldpunt: str, kenmerk: str, at: datetime) -> list[str] | None:
        """The partners that took part in the meldpunt's zaak, or None when it has no zaak
        with this kenmerk that still takes messages."""

    def regiecheck_asker(self, regiecheck_id: str, partner: str) -> str | None:
        """The meldpunt that asked ``partner`` in this regiecheck; None when it was not asked."""


@dataclass(frozen=True)
class RoutingContext:
    type: str
    data: dict
    sender: str
    at: datetime
    directory: Snapshot
    lookup: MessageLookup
    #: Filled by rules that found no recipient, or skipped one, and can say why (the answer
    #: lists them, so that no message is accepted in silence).
    warnings: list[RoutingWarning] = field(default_factory=list)
    #: Recipients a rule found but knows may not receive, with the reason (e.g. a begeleide
    #: woning whose waakvlam is over): denied without asking the policy, and recorded.
    denials: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Route:
    """A recipient a rule found and, when it may only receive on the client's consent, whose
    consent that is."""

    recipient: str
    subject: ConsentSubject | None = None


#: Where a message's routing facts keep the consent subjects, by recipient.
CONSENT_SUBJECTS = "consent_subjects"


def subjects_to_facts(routes: Sequence[Route]) -> dict:
    """The consent subjects of a message's routes as stored in its routing facts."""
    return {r.recipient: r.subject.to_facts() for r in routes if r.subject is not None}


def subject_from_facts(routing: Mapping, recipient: str,
                       consents_for: Callable[[str, str], Sequence[Consent]]
                       ) -> ConsentSubject | None:
    """The consent subject stored for ``recipient`` with a message, with the client's consents
    as they are now; None when the recipient received without one."""
    stored = routing.get(CONSENT_SUBJECTS, {}).get(recipient)
    return ConsentSubject.from_facts(stored, consents_for) if stored else None


@dataclass(frozen=True)
class RoutingWarning:
    """Why a message reaches fewer recipients than the sender may expect."""

    code: str
    message: str
    recipient: str | None = None

    def to_answer(self) -> dict:
        answer = {"code": self.code, "message": self.message}
        if self.recipient:
            answer["recipient"] = self.recipient
        return answer


NO_MELDPUNT_FOR_AREA = RoutingWarning("routing.no_meldpunt_for_area",
                               "Geen meldpunt in uw netwerken dekt het postcodegebied van dit adres.")
NO_RECIPIENT = RoutingWarning("routing.no_recipient", "Er is geen ontvanger voor dit bericht gevonden.")


class RoutingRule(abc.ABC):
    """Names the message types it handles; overrides ``recipients`` (no consent involved) or
    ``routes`` (recipients that may only receive on a client's consent)."""

    types: frozenset[str]

    def routes(self, ctx: RoutingContext) -> Sequence[Route]:
        return [Route(recipient) for recipient in self.recipients(ctx)]

    def recipients(self, ctx: RoutingContext) -> Sequence[str]:
        raise NotImplementedError(f"{type(self).__name__} overrides neither routes nor recipients")

    def prefetch(  # noqa: B027 - optional hook; most rules look nothing up
            self, messages: Sequence[tuple[str, dict]], lookup: MessageLookup) -> None:
        """Load in one go what ``recipients`` will look up for these (type, data) pairs; a
        batch of messages then costs one query per rule instead of one per message."""


def unknown_reference(pointer: str, message: str) -> InvalidMessage:
    """The 422 for a message about a signaal or zaak the sender has no part in (the same
    answer whether it does not exist or belongs to others)."""
    return InvalidMessage("validation.unknown_reference", message,
                          [{"field": pointer, "rule": "validation.unknown_reference"}])


UNKNOWN_ZAAK = "Het bericht verwijst naar een onbekende zaak."
UNKNOWN_TOEWIJZING = "Het bericht verwijst naar een onbekende toewijzing in deze zaak."


def postcode_pc4(postcode: str) -> int:
    return int(postcode[:4])


class SignaalToAreaMeldpunt(RoutingRule):
    """A signaal goes to the meldpunt whose network area holds the address's PC4."""

    types = frozenset({SIGNAAL})

    def recipients(self, ctx: RoutingContext) -> Sequence[str]:
        pc4 = postcode_pc4(ctx.data["adres"]["postcode"])
        found = [m for m, _ in ctx.directory.meldpunten_for(pc4, ctx.sender, ctx.at.date())]
        if not found:
            ctx.warnings.append(NO_MELDPUNT_FOR_AREA)
        return found


class SignaalToNamedPartners(RoutingRule):
    """A signaal may name partners in ``aan``: the meldpunt passing it to a zorgaanbieder's
    centraal meldpunt overlast (werkafspraak 5); the policy decides on each."""

    types = frozenset({SIGNAAL})

    def recipients(self, ctx: RoutingContext) -> Sequence[str]:
        return list(ctx.data.get("aan") or ())


class ToewijzingToAddressee(RoutingRule):
    """A toewijzing goes to the partner named in ``aan``."""

    types = frozenset({TOEWIJZING})

    def recipients(self, ctx: RoutingContext) -> Sequence[str]:
        return [ctx.data["aan"]]


class ReactieToSignaalSender(RoutingRule):
    """A reactie goes back to whoever sent the signaal, if the signaal reached the reactor."""

    types = frozenset({SIGNAAL_REACTIE})

    def routes(self, ctx: RoutingContext) -> Sequence[Route]:
        found = ctx.lookup.recipients_of(ctx.data["signaal_id"])
        if found is None or ctx.sender not in found[1]:
            raise unknown_reference("/data/signaal_id", "Het bericht verwijst naar een onbekend signaal.")
        # A zorgaanbieder answering on consent answers about the same client.
        return [Route(found[0], subject_from_facts(ctx.lookup.routing_of(ctx.data["signaal_id"]),
                                                   ctx.sender, ctx.lookup.consents_for))]


class ToewijzingReactieToMeldpunt(RoutingRule):
    """A partner's answer to a toewijzing goes to the meldpunt that asked it. With
    ``toewijzing_id`` it answers that toewijzing, which must be one of the zaak's that the
    partner received; without, it answers the zaak's toewijzingen the partner received."""

    types = frozenset({TOEWIJZING_REACTIE})

    def recipients(self, ctx: RoutingContext) -> Sequence[str]:
        toewijzing_id = ctx.data.get("toewijzing_id")
        correlation = correlation_of(ctx.data["zaak_kenmerk"])
        if toewijzing_id is None:
            found = ctx.lookup.correlated_senders(TOEWIJZING, correlation, ctx.sender)
            if not found:
                raise unknown_reference("/data/zaak_kenmerk", UNKNOWN_ZAAK)
            return found
        received = ctx.lookup.correlated_received(TOEWIJZING, correlation, ctx.sender)
        if not received:
            raise unknown_reference("/data/zaak_kenmerk", UNKNOWN_ZAAK)
        if toewijzing_id not in received:
            raise unknown_reference("/data/toewijzing_id", UNKNOWN_TOEWIJZING)
        return [received[toewijzing_id]]


class AfsluitingToInvolvedPartners(RoutingRule):
    """Closing a zaak informs every partner that took part in it (API.md §Zaken): recipients
    of its toewijzingen, partners that answered ``bekend`` in its regiechecks and senders of
    its signalen. An afsluiting for a zaak the meldpunt
    does not have (or closed more than 3 months ago) is refused."""

    types = frozenset({AFSLUITING})

    def recipients(self, ctx: RoutingContext) -> Sequence[str]:
        found = ctx.lookup.zaak_participants(ctx.sender, ctx.data["zaak_kenmerk"], ctx.at)
        if found is None:
            raise unknown_reference("/data/zaak_kenmerk", UNKNOWN_ZAAK)
        return found


class UrgentToVangnetAndPolice(RoutingRule):
    """Extreme or urgent: GGD Vangnet & Advies and politie at once (werkwijze stap 5)."""

    types = frozenset({URGENT})

    def recipients(self, ctx: RoutingContext) -> Sequence[str]:
        return ctx.directory.parties_of_kind(ctx.sender, {TenantKind.GGD, TenantKind.POLITIE},
                                             ctx.at.date())


def categories_of(message_type: str, data: dict) -> tuple[str, ...]:
    """The consent data categories a message carries."""
    if message_type == HUURACHTERSTAND:
        return (DataCategory.HUURACHTERSTAND.value,)
    soort = data.get("soort")
    return {"overlast": (DataCategory.SIGNAAL_OVERLAST.value,),
            "zorg": (DataCategory.SIGNAAL_ZORG.value,),
            "overlast_en_zorg": (DataCategory.SIGNAAL_OVERLAST.value,
                                 DataCategory.SIGNAAL_ZORG.value)}.get(soort, ())


class BegeleideWoningToZorgaanbieder(RoutingRule):
    """A signaal about a registered begeleide woning — and during waakvlam a huurachterstand —
    goes to its zorgaanbieder too, if and only if the policy decision point permits it on the
    client's consent (werkafspraken Thuis in de wijk)."""

    types = frozenset({SIGNAAL, HUURACHTERSTAND})

    @staticmethod
    def _address_key(data: dict) -> str | None:
        adres = data["adres"]
        try:
            return address_key(adres["postcode"], adres["huisnummer"], adres.get("huisletter"),
                               adres.get("toevoeging"))
        except AddressError:
            return None

    def prefetch(self, messages: Sequence[tuple[str, dict]], lookup: MessageLookup) -> None:
        keys = {self._address_key(data) for type_, data in messages if type_ in self.types}
        keys.discard(None)
        if keys:
            lookup.preload_woningen(sorted(keys))  # type: ignore[arg-type]

    def routes(self, ctx: RoutingContext) -> Sequence[Route]:
        key = self._address_key(ctx.data)
        if key is None:
            return []
        categories = categories_of(ctx.type, ctx.data)
        found: dict[str, Route] = {}
        for woning in ctx.lookup.woningen_at(key):
            refusal = woning.refusal(ctx.at)
            if refusal is not None and categories:
                if woning.zorgaanbieder not in found:
                    ctx.denials.setdefault(woning.zorgaanbieder, refusal)
                continue
            if not categories or not all(woning.routes(c, ctx.at) for c in categories):
                continue
            ctx.denials.pop(woning.zorgaanbieder, None)
            if woning.zorgaanbieder not in found:
                found[woning.zorgaanbieder] = Route(woning.zorgaanbieder, ConsentSubject(
                    woning.network_id, woning.client_ref, categories,
                    tuple(ctx.lookup.consents_for(woning.client_ref, woning.network_id))))
        return list(found.values())


def _unknown_reference(field: str) -> InvalidMessage:
    return InvalidMessage("validation.unknown_reference",
                          "Het bericht verwijst naar een onbekend bericht.",
                          [{"field": f"/data/{field}", "rule": "validation.unknown_reference"}])


def _received_by(ctx: RoutingContext, field: str) -> str:
    """The sender of the message ``data[field]`` names, if the current sender received it;
    anything else is an unknown reference (another tenant's message looks missing)."""
    found = ctx.lookup.recipients_of(ctx.data[field])
    if found is None or ctx.sender not in found[1]:
        raise _unknown_reference(field)
    return found[0]


class AanmeldingToAreaMeldpunt(RoutingRule):
    """An aanmelding extreme woonoverlast goes to the meldpunt of the address's area: in
    Utrecht, U Centraal (seed 002)."""

    types = frozenset({AANMELDING})

    def recipients(self, ctx: RoutingContext) -> Sequence[str]:
        pc4 = postcode_pc4(ctx.data["adres"]["postcode"])
        return [m for m, _ in ctx.directory.meldpunten_for(pc4, ctx.sender, ctx.at.date())]


class ReplyToAsker(RoutingRule):
    """A reply goes back to the sender of the message it names in ``reference``, if that
    message reached the replier (aanmelding.reactie, toestemmingsverzoek.reactie)."""

    def __init__(self, message_type: str, reference: str) -> None:
        self.types = frozenset({message_type})
        self._reference = reference

    def recipients(self, ctx: RoutingContext) -> Sequence[str]:
        return [_received_by(ctx, self._reference)]


class ToestemmingsverzoekToCorporatie(RoutingRule):
    """U Centraal asks the corporatie named in ``aan`` about an aanmelding it received."""

    types = frozenset({TOESTEMMINGSVERZOEK})

    def recipients(self, ctx: RoutingContext) -> Sequence[str]:
        _received_by(ctx, "aanmelding_id")
        return [ctx.data["aan"]]


DEFAULT_RULES: tuple[RoutingRule, ...] = (
    SignaalToAreaMeldpunt(), SignaalToNamedPartners(), BegeleideWoningToZorgaanbieder(),
    ToewijzingToAddressee(),
    ReactieToSignaalSender(), ToewijzingReactieToMeldpunt(), AfsluitingToInvolvedPartners(),
    UrgentToVangnetAndPolice(), AanmeldingToAreaMeldpunt(),
    ReplyToAsker(AANMELDING_REACTIE, "aanmelding_id"), ToestemmingsverzoekToCorporatie(),
    ReplyToAsker(TOESTEMMINGSVERZOEK_REACTIE, "verzoek_id"),
)


class Router:
    def __init__(self, rules: Sequence[RoutingRule] = DEFAULT_RULES) -> None:
        self._rules = tuple(rules)

    def add(self, rule: RoutingRule) -> None:
        self._rules = (*self._rules, rule)

    def prefetch(self, messages: Sequence[tuple[str, dict]], lookup: MessageLookup) -> None:
        """Let every rule load what it will look up for a batch of (type, data) pairs."""
        for rule in self._rules:
            rule.prefetch(messages, lookup)

    def routes(self, ctx: RoutingContext) -> list[Route]:
        """Every rule for the type contributes; the sender itself is dropped, and a recipient
        found twice keeps its first route (or the first one with a consent subject). When none
        is left and no rule said why, the context gets ``routing.no_recipient``."""
        found: dict[str, Route] = {}
        for rule in self._rules:
            if ctx.type in rule.types:
                for route in rule.routes(ctx):
                    known = found.get(route.recipient)
                    if route.recipient != ctx.sender and (
                            known is None or (known.subject is None and route.subject)):
                        found[route.recipient] = route
        for recipient in found:
            ctx.denials.pop(recipient, None)
        if not found and not ctx.warnings and not ctx.denials:
            ctx.warnings.append(NO_RECIPIENT)
        return list(found.values())

    def recipients(self, ctx: RoutingContext) -> list[str]:
        return [route.recipient for route in self.routes(ctx)]
