"""The flows that carry terms, and how each opens, is met and expires.

A flow registers a ``TermijnFlow``. Flows whose term rides on a message (a signaal to a
zorgaanbieder, a Utrecht aanmelding) name the types that open it; intake then starts a term for
every recipient the flow ``applies`` to. Flows with a resource of their own (the regiecheck)
start terms through ``Termijnen.start`` in their own transaction. Replies that may meet a term
are recognised by ``answers``; ``on_met`` and ``on_expired`` let a flow update its own records
in the same transaction as the term.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from hub.flows.termijnen.errors import DuplicateFlow
from hub.flows.termijnen.model import Termijn
from tenants.model import Network, TenantKind

if TYPE_CHECKING:
    from hub.ports import HubUnitOfWork


@dataclass(frozen=True)
class Opening:
    """A message just accepted, seen from one permitted recipient."""

    message_id: str
    message_type: str
    data: dict
    sender: str
    recipient: str
    recipient_kind: TenantKind | None
    network: Network
    received_at: datetime
    #: The recipient's inbox delivery of the message.
    delivery_id: str | None
    pc4: int | None


@dataclass(frozen=True)
class Antwoord:
    """A reply as terms see it: which flow's term on which subject, and what it answers
    (``"<reply type>:<status>"``, matched against the term's ``gehaald_door``)."""

    flow: str
    subject_id: str
    token: str
    #: A reply that names no message but a zaak (a ``toewijzing.reactie`` without
    #: ``toewijzing_id``): the correlation of its ``zaak_kenmerk``; the flow's ``subjects``
    #: finds the messages it answers.
    zaak: str | None = None


class TermijnFlow:
    """One flow with a term. Override what the flow needs; the defaults open nothing."""

    #: The flow's name as networks configure it (``TermijnRegel.flow``).
    name: str = ""
    #: Message types whose acceptance opens this flow's term (per recipient it applies to).
    opened_by: frozenset[str] = frozenset()
    #: Whether the watcher reminds and expires the term; False for a flow with a schedule of
    #: its own (the regiecheck), whose terms the store only records.
    watched: bool = True

    def applies(self, opening: Opening) -> bool:
        """Whether the message owes this recipient an answer within the flow's term."""
        return True

    def subject_of(self, opening: Opening) -> str:
        """What the term is about: by default the message itself."""
        return opening.message_id

    def answers(self, message_type: str, data: dict) -> Sequence[Antwoord]:
        """The terms a reply of this type and data may meet (its sender owing them)."""
        return ()

    def subjects(self, uow: HubUnitOfWork, antwoord: Antwoord, answered_by: str) -> Sequence[str]:
        """The subjects whose terms ``answered_by`` owes that this answer may meet: by default
        the one it names."""
        return (antwoord.subject_id,)

    def on_met(self, uow: HubUnitOfWork, termijn: Termijn, at: datetime) -> None:
        """Called in the transaction that met the term."""

    def on_expired(self, uow: HubUnitOfWork, termijn: Termijn, at: datetime) -> None:
        """Called in the watcher's transaction that expires the term (after the events)."""


class TermijnFlows:
    """The registry: one ``TermijnFlow`` per name."""

    def __init__(self, flows: Iterable[TermijnFlow] = ()) -> None:
        self._flows: dict[str, TermijnFlow] = {}
        for flow in flows:
            self.register(flow)

    def register(self, flow: TermijnFlow) -> None:
        if not flow.name or flow.name in self._flows:
            raise DuplicateFlow(flow.name)
        self._flows[flow.name] = flow

    def get(self, name: str) -> TermijnFlow | None:
        return self._flows.get(name)

    def names(self) -> list[str]:
        return sorted(self._flows)

    def opened_by(self, message_type: str) -> list[TermijnFlow]:
        return [f for f in self._flows.values() if message_type in f.opened_by]

    def answers(self, message_type: str, data: dict) -> list[Antwoord]:
        return [a for f in self._flows.values() for a in f.answers(message_type, data)]
