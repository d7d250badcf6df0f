"""What routing may look up, answered inside the intake's own transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from consent.model import BegeleideWoning, Consent
from hub.flows.regiecheck.model import PartnerStatus
from hub.intake.catalogue import SIGNAAL, TOEWIJZING
from hub.ports import HubUnitOfWork


class UowLookup:
    def __init__(self, uow: HubUnitOfWork) -> None:
        self._uow = uow
        self._woningen: dict[str, list[BegeleideWoning]] = {}

    def recipients_of(self, message_id: str) -> tuple[str, list[str]] | None:
        return self._uow.messages.recipients_of(message_id)

    def correlated_senders(self, message_type: str, correlation: str, recipient: str) -> list[str]:
        return self._uow.messages.correlated_senders(message_type, correlation, recipient)

    def correlated_recipients(self, message_type: str, correlation: str, sender: str) -> list[str]:
        return self._uow.messages.correlated_recipients(message_type, correlation, sender)

    def correlated_received(self, message_type: str, correlation: str,
                            recipient: str) -> dict[str, str]:
        return self._uow.messages.correlated_received(message_type, correlation, recipient)

    def routing_of(self, message_id: str) -> dict:
        message = self._uow.messages.get(message_id)
        return message.routing if message else {}

    def woningen_at(self, address_key: str) -> Sequence[BegeleideWoning]:
        if address_key in self._woningen:
            return self._woningen[address_key]
        return self._uow.woningen.find_by_address(address_key)

    def preload_woningen(self, address_keys: Sequence[str]) -> None:
        found = self._uow.woningen.find_by_addresses(address_keys)
        self._woningen.update({key: found.get(key, []) for key in address_keys})

    def consents_for(self, client_ref: str, network_id: str) -> Sequence[Consent]:
        return self._uow.consents.for_client(client_ref, network_id)

    def zaak_participants(self, meldpunt: str, kenmerk: str, at: datetime) -> list[str] | None:
        zaak = self._uow.zaken.latest(meldpunt, kenmerk)
        if zaak is None or not zaak.takes_new_messages(at):
            return None
        found = set(self._uow.zaken.participants(zaak.id, SIGNAAL, TOEWIJZING))
        for check in self._uow.regiechecks.for_zaak(meldpunt, kenmerk, zaak.opened_at):
            found |= {p.tenant_id for p in check.partners if p.status is PartnerStatus.BEKEND}
        return sorted(found)

    def regiecheck_asker(self, regiecheck_id: str, partner: str) -> str | None:
        check = self._uow.regiechecks.get(regiecheck_id)
        return check.asker if check is not None and check.partner(partner) is not None else None
