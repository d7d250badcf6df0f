"""The zaken a tenant may see: the meldpunt its own zaken in full; a partner the items of any
zaak that it sent or received, and nothing else of it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from hub.flows.calendar import Werkdagen
from hub.flows.regiecheck.views import termijn_fields
from hub.flows.termijnen.model import Termijn
from hub.flows.termijnen.service import term_fields, terms_of
from hub.flows.zaken.errors import NotAMeldpunt, UnknownZaak, unknown_signaal
from hub.flows.zaken.joining import ZaakJoiner
from hub.flows.zaken.model import Advies, Ontvanger, TimelineItem, Via, Zaak, ZaakStatus, ZaakView
from hub.flows.zaken.ports import DeliveryFacts, paging_key
from hub.intake.catalogue import REGIECHECK_VRAAG, SIGNAAL
from hub.ports import HubUnitOfWork
from tenants.model import Principal
from tenants.pagination import Page, paginate


class ZaakService:
    def __init__(self, *, uow: Callable[[], HubUnitOfWork], clock: Callable[[], datetime],
                 joiner: ZaakJoiner, is_meldpunt: Callable[[str], bool],
                 advies: Callable[[str, Sequence[str]], tuple[Advies, ...]] = lambda *_: (),
                 calendar: Callable[[str], Werkdagen] = lambda network_id: Werkdagen(),
                 screen: Callable[[object, str], None] = lambda value, pointer: None
                 ) -> None:
        #: The privacy guard's ``enforce``: a kenmerk typed by a person is shown on every page
        #: of the zaak, so it may hold no BSN and no medical data (raises the guard's error).
        self._screen = screen
        #: network id → its werkdagen calendar (a regiecheck's term is counted on it).
        self._calendar = calendar
        #: (meldpunt, categorieen) → the network's toewijzingsadvies for them.
        self._advies = advies
        self._uow = uow
        self._clock = clock
        self._joiner = joiner
        self._is_meldpunt = is_meldpunt

    def list(self, principal: Principal, *, status: str | None = None, after: str | None = None,
             limit: int | None = None) -> Page[Zaak]:
        """The meldpunt's own zaken, or the zaken a partner took part in; newest first."""
        wanted = ZaakStatus(status) if status else None
        tenant = principal.tenant_id
        with self._uow() as uow:
            if self._is_meldpunt(tenant):
                def fetch(cursor: str | None, n: int) -> list[Zaak]:
                    return uow.zaken.list_for_meldpunt(tenant, wanted, cursor, n)
            else:
                def fetch(cursor: str | None, n: int) -> list[Zaak]:
                    return uow.zaken.list_for_partner(tenant, wanted, cursor, n)
            return paginate(fetch, after, limit, paging_key)

    def view(self, principal: Principal, kenmerk: str) -> ZaakView:
        """The zaak's timeline as ``principal`` may see it; 404 when it has no part in it."""
        tenant = principal.tenant_id
        with self._uow() as uow:
            zaak = (uow.zaken.latest(tenant, kenmerk) if self._is_meldpunt(tenant) else None) \
                or uow.zaken.for_partner(tenant, kenmerk)
            if zaak is None:
                raise UnknownZaak()
            return self._view(uow, zaak, tenant)

    def link_signaal(self, principal: Principal, kenmerk: str, signaal_id: str) -> ZaakView:
        """The meldpunt registers a signaal it received under its zaak ``kenmerk`` (opened,
        reopened or started anew by the reopen rule). Linking twice changes nothing."""
        tenant = principal.tenant_id
        if not self._is_meldpunt(tenant):
            raise NotAMeldpunt()
        self._screen(kenmerk, "/kenmerk")
        now = self._clock()
        with self._uow() as uow:
            found = uow.messages.recipients_of(signaal_id)
            message = uow.messages.get_many_without_payload([signaal_id]).get(signaal_id)
            if found is None or message is None or message.type != SIGNAAL \
                    or tenant not in found[1]:
                raise unknown_signaal()
            current = uow.zaken.latest(tenant, kenmerk)
            already = current is not None and current.takes_new_messages(now) and any(
                i.message_id == signaal_id for i in uow.zaken.items(current.id))
            if not already:
                zaak = self._joiner.join(uow.zaken, uow.audit, tenant, kenmerk, message,
                                         message.routing, now, via=Via.KOPPELING)
                uow.audit.record(action="zaak.signaal_gekoppeld", tenant_id=tenant,
                                 actor=principal.key_id, subject_id=zaak.id, at=now,
                                 facts={"message_id": signaal_id})
            else:
                zaak = current
            assert zaak is not None
            view = self._view(uow, zaak, tenant)
            uow.commit()
        return view

    def _view(self, uow: HubUnitOfWork, zaak: Zaak, tenant: str) -> ZaakView:
        items = uow.zaken.items(zaak.id)
        ids = [i.message_id for i in items]
        messages = uow.messages.get_many_without_payload(ids)
        delivered: dict[tuple[str, str], DeliveryFacts] = {
            (d.message_id, d.recipient): d for d in uow.zaken.deliveries_of(ids)}
        terms = terms_of(uow, ids)
        owner = zaak.meldpunt == tenant
        timeline = []
        categorieen: dict[str, None] = {}
        for item in items:
            message = messages[item.message_id]
            ontvangers = tuple(_ontvanger(decision, delivered.get((message.id, decision["recipient"])),
                                          terms.get((message.id, decision["recipient"])))
                               for decision in message.answer.get("deliveries", []))
            received = any(o.tenant == tenant and o.decision == "permit" for o in ontvangers)
            if not owner and message.sender != tenant and not received:
                continue
            if not owner and message.sender != tenant:
                ontvangers = tuple(o for o in ontvangers if o.tenant == tenant)
            for categorie in item.facts.get("categorieen", ()):
                categorieen.setdefault(categorie, None)
            timeline.append(TimelineItem(message.id, message.type, message.sender,
                                         message.received_at, item.via, item.facts, ontvangers,
                                         vernietigd=message.shredded))
        timeline += _regiechecks(uow, zaak, tenant, self._calendar)
        timeline.sort(key=lambda i: i.at)
        advies = self._advies(zaak.meldpunt, tuple(categorieen)) if owner else ()
        return ZaakView(zaak, tuple(timeline), tuple(categorieen), advies)


def _regiechecks(uow: HubUnitOfWork, zaak: Zaak, tenant: str,
                 calendar: Callable[[str], Werkdagen]) -> list[TimelineItem]:
    """The meldpunt's regiechecks about the zaak, with every asked partner's status; an asked
    partner sees only its own row, others nothing."""
    found = []
    for check in uow.regiechecks.for_zaak(zaak.meldpunt, zaak.kenmerk, zaak.opened_at):
        rows = [p for p in check.partners if zaak.meldpunt == tenant or p.tenant_id == tenant]
        if not rows:
            continue
        found.append(TimelineItem(
            None, REGIECHECK_VRAAG, check.asker, check.created_at, Via.BERICHT,
            {"regiecheck_id": check.id, "status": check.status.value},
            tuple(Ontvanger(tenant=p.tenant_id, decision="permit", basis="convenant", reason=None,
                            status=p.status.value, deadline=p.deadline,
                            answered_at=p.answered_at,
                            **termijn_fields(check, p, calendar(check.network_id)))
                  for p in rows)))
    return found


def _ontvanger(decision: dict, delivery: DeliveryFacts | None,
               termijn: Termijn | None) -> Ontvanger:
    term = term_fields(termijn)
    return Ontvanger(
        tenant=decision["recipient"], decision=decision["decision"], basis=decision.get("basis"),
        reason=decision.get("reason"),
        status=delivery.status if delivery else None,
        delivered_at=delivery.delivered_at if delivery else None,
        acknowledged_at=delivery.acknowledged_at if delivery else None,
        deadline=delivery.deadline if delivery else None,
        termijn=term["termijn"], termijn_status=term["termijn_status"])
