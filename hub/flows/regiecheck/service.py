"""The regiecheck flow: a meldpunt asks the partners of its network whether they know a person
or household (werkwijze stap 7). Each question is a message of its own through the normal
pipeline (``asking.QuestionWriter``); answers arrive by endpoint (``endpoint``) or CloudEvent
through intake and are recorded by ``answers.AnswerRecorder``. This service is the one entry
for the API and the web: asking, reading and answering by endpoint."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from consent.errors import PrivacyViolation
from consent.policy import PolicyDecisionPoint
from consent.privacy import PrivacyGuard
from hub.crypto.vault import PayloadVault
from hub.errors import DuplicateKey, ResourceNotFound
from hub.flows.calendar import Werkdagen
from hub.flows.regiecheck.asking import Asked, QuestionWriter
from hub.flows.regiecheck.contacts import open_contacts
from hub.flows.regiecheck.endpoint import EndpointAnswers, dat_informatie_findings
from hub.flows.regiecheck.errors import AlleenMeldpunt
from hub.flows.regiecheck.model import CheckStatus, PartnerStatus, Regiecheck, termijn
from hub.flows.regiecheck.partners import (
    network_for,
    partner_choices,
    partners_to_ask,
    permitted,
)
from hub.flows.regiecheck.request import RequestCheck
from hub.flows.regiecheck.views import asker_view, partner_view
from hub.flows.termijnen.service import network_in
from hub.intake.service import IntakeService
from hub.ports import HubUnitOfWork
from tenants.directory import Directory
from tenants.model import Network, Principal, TenantKind
from tenants.pagination import Page, clamp_limit, decode_cursor, encode_cursor


def _cursor(check: Regiecheck) -> str:
    return encode_cursor(f"{check.created_at.isoformat()}|{check.id}")


def _parse_cursor(cursor: str | None) -> tuple[datetime, str] | None:
    raw = decode_cursor(cursor)
    if not raw or "|" not in raw:
        return None
    at, _, check_id = raw.partition("|")
    try:
        return datetime.fromisoformat(at), check_id
    except ValueError:
        return None


@dataclass(frozen=True)
class Created:
    view: dict
    replayed: bool


class RegiecheckService:
    def __init__(self, *, uow: Callable[[], HubUnitOfWork], intake: IntakeService, pdp: PolicyDecisionPoint,
                 directory: Directory, vault: PayloadVault, guard: PrivacyGuard,
                 clock: Callable[[], datetime],
                 calendar_for: Callable[[Network], Werkdagen] = lambda n: Werkdagen(),
                 read_uow: Callable[[], HubUnitOfWork] | None = None) -> None:
        self._read_uow = read_uow or uow
        self._intake = intake
        self._pdp = pdp
        self._directory = directory
        self._vault = vault
        self._clock = clock
        self._calendar_for = calendar_for
        self._request = RequestCheck(guard)
        self._writer = QuestionWriter(uow=uow, intake=intake, vault=vault)
        self._endpoint = EndpointAnswers(intake=intake, directory=directory)

    # -- asking ---------------------------------------------------------------------------
    def create(self, principal: Principal, body: object) -> Created:
        """Ask the partners. A repeat with the same ``kenmerk_afzender`` returns the check
        already made (``replayed``); nothing is asked twice."""
        now = self._clock()
        view = self._directory.snapshot()
        asker = view.tenant(principal.tenant_id)
        if asker is None or asker.kind is not TenantKind.MELDPUNT:
            raise AlleenMeldpunt()
        request = self._request.validate(body)
        kenmerk = request.get("kenmerk_afzender")
        if kenmerk:
            with self._read_uow() as uow:
                existing = uow.regiechecks.find_by_kenmerk(asker.id, kenmerk)
                if existing is not None:
                    return Created(asker_view(existing, self._contacts(uow, existing),
                                              self._calendar(existing)), True)
        network = network_for(view, asker.id, now)
        partners = partners_to_ask(view, network, asker.id, request, now)
        decisions = permitted(self._pdp, view, asker.id, partners, now)
        deadline, remind_at = termijn(self._calendar_for(network), now,
                                      network.regiecheck_termijn_werkdagen)
        asked = Asked(check_id=str(uuid.uuid4()), request=request, network=network,
                      decisions=decisions, deadline=deadline, remind_at=remind_at)
        try:
            check = self._writer.write(principal, asked, now)
        except DuplicateKey:
            # The same kenmerk_afzender raced in from another request: that one asked.
            with self._read_uow() as uow:
                existing = uow.regiechecks.find_by_kenmerk(asker.id, kenmerk or "")
            if existing is None:
                raise
            return Created(asker_view(existing, {}, self._calendar(existing)), True)
        self._intake.wake()
        return Created(asker_view(check, {}, self._calendar(check)), False)

    def partner_choices(self, principal: Principal) -> list[tuple[str, bool]]:
        """(tenant id, standaard) of every partner the caller's network lists for regiechecks,
        in the list's order: what a start form offers, the standard ones pre-selected."""
        now = self._clock()
        view = self._directory.snapshot()
        return partner_choices(view, network_for(view, principal.tenant_id, now),
                               principal.tenant_id, now)

    # -- reading --------------------------------------------------------------------------
    def get(self, principal: Principal, regiecheck_id: str) -> dict:
        """The asking meldpunt's view; anyone else (the asked partners too) gets 404."""
        with self._read_uow() as uow:
            check = uow.regiechecks.get(regiecheck_id)
            if check is None or check.asker != principal.tenant_id:
                raise ResourceNotFound()
            return asker_view(check, self._contacts(uow, check), self._calendar(check))

    def list_asked(self, principal: Principal, *, status: str | None, after: str | None,
                   limit: int | None) -> Page[dict]:
        size = clamp_limit(limit)
        with self._read_uow() as uow:
            rows = uow.regiechecks.list_for_asker(
                principal.tenant_id, status=CheckStatus(status) if status else None,
                after=_parse_cursor(after), limit=size + 1)
            more = len(rows) > size
            rows = rows[:size]
            items = [asker_view(c, self._contacts(uow, c), self._calendar(c)) for c in rows]
        return Page(items=items, next=_cursor(rows[-1]) if more else None)

    def list_gevraagd(self, principal: Principal, *, status: str | None, after: str | None,
                      limit: int | None) -> Page[dict]:
        """The checks the caller was asked, each with the caller's own row only."""
        size = clamp_limit(limit)
        with self._read_uow() as uow:
            rows = uow.regiechecks.list_for_partner(
                principal.tenant_id, status=PartnerStatus(status) if status else None,
                after=_parse_cursor(after), limit=size + 1)
        more = len(rows) > size
        rows = rows[:size]
        return Page(items=[partner_view(c, own, self._calendar(c)) for c, own in rows],
                    next=_cursor(rows[-1][0]) if more else None)

    def _calendar(self, check: Regiecheck) -> Werkdagen:
        """The werkdagen calendar of the check's network (its terms are counted on it)."""
        network = network_in(self._directory.snapshot(), check.network_id)
        return self._calendar_for(network) if network is not None else Werkdagen()

    def _contacts(self, uow: HubUnitOfWork, check: Regiecheck) -> dict[str, dict]:
        return open_contacts(self._vault, uow, check)

    # -- answering by endpoint ------------------------------------------------------------
    def answer(self, principal: Principal, regiecheck_id: str, body: object) -> dict:
        """An asked partner's answer by endpoint, through the same intake as a CloudEvent
        (``endpoint.EndpointAnswers``). Anyone not asked in the check gets 404 before any
        refusal of the body; the answer is the partner's own row."""
        findings = dat_informatie_findings(body)
        with self._read_uow() as uow:
            check = uow.regiechecks.get(regiecheck_id)
        if check is None or check.partner(principal.tenant_id) is None:
            raise ResourceNotFound()
        if findings:
            raise PrivacyViolation(findings)
        assert isinstance(body, dict)  # a body that is no object has a finding
        message_id = self._endpoint.submit(principal, regiecheck_id, body)
        with self._read_uow() as uow:
            check = uow.regiechecks.get(regiecheck_id)
        assert check is not None
        own = check.partner(principal.tenant_id)
        assert own is not None
        return {**partner_view(check, own, self._calendar(check)), "message_id": message_id}
