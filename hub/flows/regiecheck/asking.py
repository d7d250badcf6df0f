"""Writing a regiecheck: in one transaction the check (persons and melder reason sealed), a
question message per asked partner with its deliveries, decision and outbox rows through the
normal pipeline, and the audit records (ids and hashes only)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from consent.policy import Decision
from hub.crypto.vault import PayloadVault
from hub.flows.regiecheck.events import hub_event, utc_text
from hub.flows.regiecheck.model import AskedPartner, CheckStatus, PartnerStatus, Regiecheck
from hub.intake.catalogue import REGIECHECK_VRAAG
from hub.intake.service import IntakeService
from hub.ports import HubUnitOfWork
from tenants.model import Network, Principal


@dataclass(frozen=True)
class Asked:
    """What a check asks: the loaded request, the network, the permitted partners and the term."""

    check_id: str
    request: dict
    network: Network
    decisions: list[Decision]
    deadline: datetime
    remind_at: datetime


class QuestionWriter:
    def __init__(self, *, uow: Callable[[], HubUnitOfWork], intake: IntakeService,
                 vault: PayloadVault) -> None:
        self._uow = uow
        self._intake = intake
        self._vault = vault

    def write(self, principal: Principal, asked: Asked, now: datetime) -> Regiecheck:
        """The check and its questions, committed together (``DuplicateKey`` when the same
        ``kenmerk_afzender`` of the same meldpunt was written meanwhile)."""
        asker_id, request, check_id = principal.tenant_id, asked.request, asked.check_id
        network, deadline = asked.network, asked.deadline
        with self._uow() as uow:
            sealed_payload = {"personen": request["personen"],
                              "reden_melder": request.get("reden_melder")}
            version, blob = self._vault.seal(
                uow.data_keys, asker_id, json.dumps(sealed_payload).encode("utf-8"),
                check_id.encode())
            question = {"regiecheck_id": check_id,
                        "personen": [_without_rol(p) for p in request["personen"]],
                        "soort": request["soort"],
                        "overlastsoorten": request.get("overlastsoorten", []),
                        "deadline": utc_text(deadline)}
            messages = self._intake.emit_many(
                uow, [(hub_event(REGIECHECK_VRAAG, question, now), asker_id, [d])
                      for d in asked.decisions], now, deadline=deadline)
            rows = []
            for position, (decision, message) in enumerate(
                    zip(asked.decisions, messages, strict=True)):
                rows.append(AskedPartner(
                    tenant_id=decision.recipient, position=position,
                    status=PartnerStatus.GEVRAAGD, message_id=message.id, deadline=deadline,
                    remind_at=asked.remind_at))
                uow.audit.record(action="regiecheck.vraag", tenant_id=asker_id,
                                 actor=principal.key_id, subject_id=check_id, at=now, facts={
                                     "partner": decision.recipient, "message_id": message.id,
                                     "basis": decision.basis, "network_id": network.id})
            check = Regiecheck(
                id=check_id, asker=asker_id, network_id=network.id, status=CheckStatus.OPEN,
                soort=request["soort"], overlastsoorten=tuple(request.get("overlastsoorten", [])),
                deadline=deadline, created_at=now, key_version=version, payload=blob,
                kenmerk_afzender=request.get("kenmerk_afzender"),
                zaak_kenmerk=request.get("zaak_kenmerk"), partners=tuple(rows))
            uow.regiechecks.add(check)
            facts = {"partners": [p.tenant_id for p in rows], "network_id": network.id,
                     "personen": len(request["personen"]), "deadline": deadline.isoformat()}
            if request.get("reden_melder"):
                # The melder is checked: the reason is kept (sealed above) and its hash audited.
                facts["reden_melder_sha256"] = _sha256(request["reden_melder"])
            uow.audit.record(action="regiecheck.created", tenant_id=asker_id,
                             actor=principal.key_id, subject_id=check_id, at=now, facts=facts)
            uow.commit()
        return check


def _sha256(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def _without_rol(persoon: dict) -> dict:
    return {k: v for k, v in persoon.items() if k != "rol"}
