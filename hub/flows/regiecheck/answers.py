"""Answers: where an answer goes (routing) and what it changes (the check's state), for
answers by endpoint and by CloudEvent alike — both arrive through intake."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime

from hub.crypto.vault import PayloadVault
from hub.errors import InvalidMessage
from hub.flows.regiecheck.model import Contact, PartnerStatus
from hub.intake.catalogue import REGIECHECK_ANTWOORD
from hub.intake.hooks import IntakeHook, RoutedIntake, StoredIntake
from hub.ports import HubUnitOfWork
from hub.routing.rules import RoutingContext, RoutingRule

UNKNOWN_REFERENCE = "validation.unknown_reference"


class AntwoordToAsker(RoutingRule):
    """An answer goes to the meldpunt that asked, if the sender was asked in that check."""

    types = frozenset({REGIECHECK_ANTWOORD})

    def recipients(self, ctx: RoutingContext) -> Sequence[str]:
        asker = ctx.lookup.regiecheck_asker(ctx.data["regiecheck_id"], ctx.sender)
        if asker is None:
            raise InvalidMessage(UNKNOWN_REFERENCE,
                                 "Het antwoord verwijst naar een onbekende regiecheck.",
                                 [{"field": "/data/regiecheck_id", "rule": UNKNOWN_REFERENCE}])
        return [asker]


class AnswerRecorder(IntakeHook):
    """The intake hook for ``nl.ketenhub.regiecheck.antwoord.v1``: the partner's row becomes
    ``bekend``/``onbekend`` (late when after the deadline), the check ``compleet`` once all
    answered. A second answer replaces the first; both are audited. Routing has already
    checked that the sender was asked in the check it answers."""

    def __init__(self, vault: PayloadVault, contact_aad: Callable[[str, str], bytes]) -> None:
        self._vault = vault
        self._contact_aad = contact_aad

    def facts(self, uow: HubUnitOfWork, items: Sequence[RoutedIntake],
              now: datetime) -> list[dict]:
        return [{"regiecheck_id": i.data["regiecheck_id"]}
                if i.message_type == REGIECHECK_ANTWOORD else {} for i in items]

    def stored(self, uow: HubUnitOfWork, items: Sequence[StoredIntake], now: datetime) -> None:
        for item in items:
            if item.message.type == REGIECHECK_ANTWOORD:
                self._record(uow, item.message.id, item.data, item.message.sender, now)

    def _record(self, uow: HubUnitOfWork, message_id: str, data: dict, sender: str,
                now: datetime) -> None:
        check = uow.regiechecks.get(data["regiecheck_id"], for_update=True)
        own = check.partner(sender) if check is not None else None
        if check is None or own is None:  # routing refused it already; never half-record
            return
        contact, version = None, None
        if data["bekend"] and data.get("contact"):
            plain = json.dumps(Contact.from_dict(data["contact"]).to_dict()).encode("utf-8")
            version, contact = self._vault.seal(uow.data_keys, check.asker,
                                                plain, self._contact_aad(check.id, sender))
        answered = replace(own, status=PartnerStatus.BEKEND if data["bekend"]
                           else PartnerStatus.ONBEKEND, answered_at=now,
                           late=now > own.deadline, contact=contact,
                           contact_key_version=version)
        uow.regiechecks.record_answer(check.id, answered)
        partners = tuple(answered if p.tenant_id == sender else p for p in check.partners)
        settled = replace(check, partners=partners).settled(now)
        if (settled.status, settled.completed_at) != (check.status, check.completed_at):
            uow.regiechecks.set_status(settled)
        uow.audit.record(action="regiecheck.antwoord", tenant_id=sender,
                         actor=None, subject_id=check.id, at=now, facts={
                             "asker": check.asker, "message_id": message_id,
                             "bekend": bool(data["bekend"]), "late": answered.late,
                             "replaces_earlier": own.answered,
                             "check_status": settled.status.value})
