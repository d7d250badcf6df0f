"""The termijnen use cases: start terms (at intake, or from a flow's own service), meet them
with replies, and show them (per delivery, and as ``GET /api/v1/termijnen``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from hub.flows.termijnen.model import Termijn, TermijnStatus, calendar_of
from hub.flows.termijnen.registry import Antwoord, Opening, TermijnFlows
from tenants.directory import Directory, Snapshot
from tenants.model import Network, Principal
from tenants.pagination import Page, clamp_limit, decode_cursor, encode_cursor

if TYPE_CHECKING:
    from hub.ports import HubUnitOfWork

ACTOR = "termijnbewaking"


@dataclass(frozen=True)
class Recipient:
    """A permitted recipient of a message being accepted, with its inbox delivery."""

    tenant_id: str
    network_id: str | None
    delivery_id: str | None


def network_in(view: Snapshot, network_id: str | None) -> Network | None:
    return next((n for n in view.networks if n.id == network_id), None) if network_id else None


def area_meldpunt(network: Network, pc4: int | None) -> str | None:
    """The meldpunt whose area in ``network`` holds ``pc4``."""
    if pc4 is None:
        return None
    return next((a.tenant_id for a in network.areas if a.contains(pc4)), None)


def audit_started(uow: HubUnitOfWork, termijnen: Sequence[Termijn], at: datetime) -> None:
    for x in termijnen:
        uow.audit.record(action="termijn.gestart", tenant_id=x.owed_by, actor=ACTOR,
                         subject_id=x.id, at=at, facts={
                             "flow": x.flow, "bericht_id": x.subject_id, "aan": x.owed_to,
                             "werkdagen": x.werkdagen, "deadline": x.deadline.isoformat()})


def terms_of(uow: HubUnitOfWork, message_ids: Sequence[str]) -> dict[tuple[str, str], Termijn]:
    """The terms on these messages, by (message, owing recipient): one query for a page."""
    if not message_ids:
        return {}
    return {(x.subject_id, x.owed_by): x for x in uow.termijnen.for_subjects(message_ids)}


def term_fields(termijn: Termijn | None) -> dict:
    """A delivery's ``termijn`` and ``termijn_status`` (both None when it has no term)."""
    if termijn is None:
        return {"termijn": None, "termijn_status": None}
    return {"termijn": {"flow": termijn.flow, "werkdagen": termijn.werkdagen,
                        "id": termijn.id},
            "termijn_status": termijn.status.value}


class Termijnen:
    """The facade other flows use: ``start`` a term, ``meet`` terms with an answer."""

    def __init__(self, *, flows: TermijnFlows, directory: Directory,
                 clock: Callable[[], datetime],
                 read_uow: Callable[[], HubUnitOfWork] | None = None) -> None:
        self.flows = flows
        self._directory = directory
        self._clock = clock
        self._read_uow = read_uow

    # -- starting -------------------------------------------------------------------------

    def plan(self, *, message_id: str, message_type: str, data: dict, sender: str,
             recipients: Sequence[Recipient], received_at: datetime, view: Snapshot,
             pc4: int | None) -> list[Termijn]:
        """The terms a message just accepted opens, one per (flow, recipient) it applies to.
        Pure: the caller stores them (``uow.termijnen.add_many``) in the message's transaction."""
        flows = self.flows.opened_by(message_type)
        if not flows:
            return []
        found: list[Termijn] = []
        for r in recipients:
            network = network_in(view, r.network_id)
            if network is None:
                continue
            tenant = view.tenant(r.tenant_id)
            opening = Opening(message_id=message_id, message_type=message_type, data=data,
                              sender=sender, recipient=r.tenant_id,
                              recipient_kind=tenant.kind if tenant else None, network=network,
                              received_at=received_at, delivery_id=r.delivery_id, pc4=pc4)
            for flow in flows:
                regel = network.termijn(flow.name)
                if regel is None or not flow.applies(opening):
                    continue
                termijn = Termijn.start(
                    flow=flow.name, subject_id=flow.subject_of(opening), owed_by=r.tenant_id,
                    owed_to=sender, werkdagen=regel.werkdagen, gehaald_door=regel.gehaald_door,
                    calendar=calendar_of(network), started_at=received_at, network_id=network.id,
                    delivery_id=r.delivery_id, meldpunt=area_meldpunt(network, pc4))
                found.append(termijn if flow.watched else termijn.unwatched())
        return found

    def start(self, uow: HubUnitOfWork, *, flow: str, subject_id: str, owed_by: str, owed_to: str,
              network_id: str, started_at: datetime | None = None, meldpunt: str | None = None,
              delivery_id: str | None = None, view: Snapshot | None = None) -> Termijn | None:
        """Start the network's term on ``flow`` in the caller's transaction (a regiecheck asks
        a partner, a toewijzing is sent …). None when the network sets no term on the flow."""
        view = view or self._directory.snapshot()
        network = network_in(view, network_id)
        regel = network.termijn(flow) if network else None
        if regel is None:
            return None
        at = started_at or self._clock()
        termijn = Termijn.start(flow=flow, subject_id=subject_id, owed_by=owed_by,
                                owed_to=owed_to, werkdagen=regel.werkdagen,
                                gehaald_door=regel.gehaald_door, calendar=calendar_of(network),
                                started_at=at, network_id=network_id, delivery_id=delivery_id,
                                meldpunt=meldpunt)
        uow.termijnen.add_many([termijn])
        audit_started(uow, [termijn], at)
        return termijn

    # -- meeting --------------------------------------------------------------------------

    def answers(self, message_type: str, data: dict) -> list[Antwoord]:
        return self.flows.answers(message_type, data)

    def meet(self, uow: HubUnitOfWork, *, answered_by: str, antwoorden: Sequence[Antwoord],
             message_id: str, at: datetime) -> list[Termijn]:
        """Settle the running terms ``answered_by`` owes that these answers meet, in time (a
        late answer leaves the term to expire). In the caller's transaction; audited."""
        met: list[Termijn] = []
        for antwoord in antwoorden:
            flow = self.flows.get(antwoord.flow)
            subjects = list(flow.subjects(uow, antwoord, answered_by)) if flow else []
            if not subjects:
                continue
            for termijn in uow.termijnen.open_for(antwoord.flow, subjects, answered_by):
                if not termijn.is_met_by(antwoord.token) or at >= termijn.expires_at:
                    continue  # not an answer that meets it, or too late (expiry is coming)
                done = termijn.met(at, message_id)
                if not uow.termijnen.settle(done):
                    continue
                uow.audit.record(action="termijn.gehaald", tenant_id=done.owed_by, actor=ACTOR,
                                 subject_id=done.id, at=at, facts={
                                     "flow": done.flow, "bericht_id": done.subject_id,
                                     "antwoord_id": message_id, "antwoord": antwoord.token,
                                     "deadline": done.deadline.isoformat()})
                if flow is not None:
                    flow.on_met(uow, done, at)
                met.append(done)
        return met

    # -- showing --------------------------------------------------------------------------

    def view(self, termijn: Termijn, now: datetime | None = None,
             view: Snapshot | None = None) -> dict:
        """A term as the API shows it: ids, flow, times, status, werkdagen left."""
        now = now or self._clock()
        network = network_in(view or self._directory.snapshot(), termijn.network_id)
        left = None
        if termijn.status is not TermijnStatus.GEHAALD:
            left = calendar_of(network).werkdagen_left(now, termijn.deadline)
        return {"id": termijn.id, "flow": termijn.flow, "werkdagen": termijn.werkdagen,
                "bericht_id": termijn.subject_id, "delivery_id": termijn.delivery_id,
                "partij": termijn.owed_by, "aan": termijn.owed_to, "meldpunt": termijn.meldpunt,
                "network_id": termijn.network_id, "gestart_op": termijn.started_at,
                "deadline": termijn.deadline, "status": termijn.status.value,
                "werkdagen_over": left, "herinnerd_op": termijn.reminded_at,
                "afgerond_op": termijn.settled_at, "gehaald_door_bericht": termijn.met_by}

    def list(self, principal: Principal, *, status: str | None = None, after: str | None = None,
             limit: int | None = None) -> Page[dict]:
        """The terms the caller owes, is owed, or watches as the area's meldpunt."""
        assert self._read_uow is not None, "Termijnen.list needs a read unit of work"
        size = clamp_limit(limit)
        with self._read_uow() as uow:
            rows = uow.termijnen.list_for(
                principal.tenant_id, status=TermijnStatus(status) if status else None,
                after=_parse_cursor(after), limit=size + 1)
        more = len(rows) > size
        rows = rows[:size]
        now, view = self._clock(), self._directory.snapshot()
        return Page(items=[self.view(x, now, view) for x in rows],
                    next=encode_cursor(f"{rows[-1].deadline.isoformat()}|{rows[-1].id}")
                    if more else None)


def _parse_cursor(cursor: str | None) -> tuple[datetime, str] | None:
    raw = decode_cursor(cursor)
    if not raw or "|" not in raw:
        return None
    at, _, termijn_id = raw.partition("|")
    try:
        parsed = datetime.fromisoformat(at)
    except ValueError:
        return None
    return (parsed, termijn_id) if parsed.tzinfo is not None else None
