"""The policy decision point: may this message go to this recipient, on which legal basis?

Order (DESIGN.md §3 rule 4): the hard privacy rules ran at intake → both tenants active and
parties of a network in force that permits the flow → the basis that flow requires. The
consent registry plugs in where a flow requires consent; until then such flows are denied."""

from __future__ import annotations

import abc
from dataclasses import dataclass
from datetime import datetime

from tenants.directory import Directory, Snapshot
from tenants.model import LegalBasis


@dataclass(frozen=True)
class Decision:
    """A policy decision for one (message, recipient) pair in one phase."""

    recipient: str
    permit: bool
    basis: str | None
    reason: str
    network_id: str | None = None
    consent_id: str | None = None
    consent_version: int | None = None

    def to_answer(self) -> dict:
        return {"recipient": self.recipient, "basis": self.basis,
                "decision": "permit" if self.permit else "deny", "reason": self.reason}


@dataclass(frozen=True)
class MessageFacts:
    """What the decision may look at: the type, urgency and routing facts, never the payload."""

    type: str
    sender: str
    urgent: bool = False


NOT_IN_NETWORK = "not in network"
RECIPIENT_INACTIVE = "recipient suspended"
SENDER_INACTIVE = "sender suspended"
NO_CONSENT = "no consent"
NOT_URGENT = "noodsituatie requires an urgent message"


class ConsentEvaluator(abc.ABC):
    """The seam for the consent registry: a permit with a consent reference, or a deny."""

    @abc.abstractmethod
    def evaluate(self, facts: MessageFacts, recipient: str, at: datetime) -> Decision: ...


class NoConsentRegistry(ConsentEvaluator):
    """Until consents can be registered, a flow that needs consent is denied."""

    def evaluate(self, facts: MessageFacts, recipient: str, at: datetime) -> Decision:
        return Decision(recipient, False, LegalBasis.CONSENT.value, NO_CONSENT)


class PolicyDecisionPoint:
    def __init__(self, directory: Directory,
                 consents: ConsentEvaluator | None = None) -> None:
        self._directory = directory
        self._consents = consents or NoConsentRegistry()

    def decide(self, facts: MessageFacts, recipient: str, at: datetime,
               view: Snapshot | None = None) -> Decision:
        """Decide on ``view`` when given (take it before opening a transaction), else on a
        fresh snapshot of the directory."""
        d = view or self._directory.snapshot()
        sender, target = d.tenant(facts.sender), d.tenant(recipient)
        if sender is None or not sender.is_active:
            return Decision(recipient, False, None, SENDER_INACTIVE)
        if target is None:
            return Decision(recipient, False, None, NOT_IN_NETWORK)
        if not target.is_active:
            return Decision(recipient, False, None, RECIPIENT_INACTIVE)
        day = at.date()
        for network in d.shared_networks(sender.id, target.id, day):
            for flow in network.flows:
                if (flow.message_type, flow.from_kind, flow.to_kind) != (
                        facts.type, sender.kind, target.kind):
                    continue
                return self._on_basis(flow.basis, facts, recipient, at, network.id)
        return Decision(recipient, False, None, NOT_IN_NETWORK)

    def _on_basis(self, basis: LegalBasis, facts: MessageFacts, recipient: str, at: datetime,
                  network_id: str) -> Decision:
        if basis is LegalBasis.CONSENT:
            decision = self._consents.evaluate(facts, recipient, at)
            return Decision(decision.recipient, decision.permit, decision.basis, decision.reason,
                            network_id, decision.consent_id, decision.consent_version)
        if basis is LegalBasis.NOODSITUATIE and not facts.urgent:
            return Decision(recipient, False, basis.value, NOT_URGENT, network_id)
        return Decision(recipient, True, basis.value, f"{basis.value} {network_id}", network_id)
