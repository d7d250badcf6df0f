"""The policy decision point: may this message go to this recipient, on which legal basis?

Order (DESIGN.md §3 rule 4): the hard privacy rules ran at intake → both tenants active and
parties of a network in force that permits the flow → the basis that flow requires. The
consent registry plugs in where a flow requires consent; until then such flows are denied."""

from __future__ import annotations

import abc
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from consent.evaluation import evaluate
from consent.model import Consent
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
    #: The privacy officer reviews every decision on the noodsituatie basis.
    review_required: bool = False
    client_ref: str | None = None

    def to_answer(self) -> dict:
        return {"recipient": self.recipient, "basis": self.basis,
                "decision": "permit" if self.permit else "deny", "reason": self.reason}


@dataclass(frozen=True)
class ConsentSubject:
    """Whose data a message carries towards one recipient, as far as consent is concerned:
    the client's pseudonym in a network, the data categories, and that client's consents
    (loaded by the caller in its own transaction, so deciding does no I/O)."""

    network_id: str
    client_ref: str
    categories: tuple[str, ...]
    consents: tuple[Consent, ...] = ()

    def to_facts(self) -> dict:
        """What is stored with the message (no consents: they are read again when needed)."""
        return {"network_id": self.network_id, "client_ref": self.client_ref,
                "categories": list(self.categories)}

    @classmethod
    def from_facts(cls, facts: Mapping,
                   consents_for: Callable[[str, str], Sequence[Consent]]) -> ConsentSubject:
        """The subject ``to_facts`` stored, with the client's consents as they are now
        (``consents_for(client_ref, network_id)``)."""
        return cls(facts["network_id"], facts["client_ref"], tuple(facts["categories"]),
                   tuple(consents_for(facts["client_ref"], facts["network_id"])))


@dataclass(frozen=True)
class MessageFacts:
    """What the decision may look at: the type, urgency and routing facts, never the payload."""

    type: str
    sender: str
    urgent: bool = False
    #: Per recipient: the client whose consent a consent-based flow rests on.
    subjects: Mapping[str, ConsentSubject] = field(default_factory=dict)
    #: A screened justification, required for the noodsituatie basis.
    justification: str | None = None
    #: Set only on the hub's own events (sent by the operator): the network they are about.
    network_id: str | None = None


NOT_IN_NETWORK = "not in network"
RECIPIENT_INACTIVE = "recipient suspended"
SENDER_INACTIVE = "sender suspended"
NO_CONSENT = "no consent"
NOT_URGENT = "noodsituatie requires an urgent message"
NO_JUSTIFICATION = "noodsituatie requires a justification"


class ConsentEvaluator(abc.ABC):
    """The seam for the consent registry: a permit with a consent reference, or a deny."""

    @abc.abstractmethod
    def evaluate(self, facts: MessageFacts, recipient: str, at: datetime,
                 view: Snapshot) -> Decision: ...


class RegistryConsentEvaluator(ConsentEvaluator):
    """Decides on the consents the caller loaded into the message facts: every category the
    message carries must be permitted, and the decision names the consent version."""

    def evaluate(self, facts: MessageFacts, recipient: str, at: datetime,
                 view: Snapshot) -> Decision:
        basis = LegalBasis.CONSENT.value
        subject = facts.subjects.get(recipient)
        if subject is None or not subject.categories:
            return Decision(recipient, False, basis, NO_CONSENT)
        target, sender = view.tenant(recipient), view.tenant(facts.sender)
        verdict = None
        for category in subject.categories:
            verdict = evaluate(subject.consents, recipient_id=recipient,
                               recipient_kind=target.kind if target else None, category=category,
                               at=at, sender_id=facts.sender,
                               sender_kind=sender.kind if sender else None)
            if not verdict.permit:
                break
        assert verdict is not None
        return Decision(recipient, verdict.permit, basis, verdict.reason,
                        consent_id=verdict.consent_id, consent_version=verdict.consent_version,
                        client_ref=subject.client_ref)


class PolicyDecisionPoint:
    def __init__(self, directory: Directory,
                 consents: ConsentEvaluator | None = None) -> None:
        self._directory = directory
        self._consents = consents or RegistryConsentEvaluator()

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
        if sender.is_operator and facts.network_id:
            return self._hub_event(facts.network_id, recipient, day, d)
        for network in d.shared_networks(sender.id, target.id, day):
            for flow in network.flows:
                if (flow.message_type, flow.from_kind, flow.to_kind) != (
                        facts.type, sender.kind, target.kind):
                    continue
                return self._on_basis(flow.basis, facts, recipient, at, network.id, d)
        return Decision(recipient, False, None, NOT_IN_NETWORK)

    @staticmethod
    def _hub_event(network_id: str, recipient: str, day: date, view: Snapshot) -> Decision:
        """The hub's own events (a term that expired, a reminder) go to the parties of the
        network they are about, on its convenant; to no one else."""
        for network in view.networks:
            if network.id == network_id and network.holds_on(day) and any(
                    p.tenant_id == recipient and p.holds_on(day) for p in network.parties):
                basis = LegalBasis.CONVENANT.value
                return Decision(recipient, True, basis, f"{basis} {network_id}", network_id)
        return Decision(recipient, False, None, NOT_IN_NETWORK)

    def _on_basis(self, basis: LegalBasis, facts: MessageFacts, recipient: str, at: datetime,
                  network_id: str, view: Snapshot) -> Decision:
        if basis is LegalBasis.CONSENT:
            decision = self._consents.evaluate(facts, recipient, at, view)
            return Decision(decision.recipient, decision.permit, decision.basis, decision.reason,
                            network_id, decision.consent_id, decision.consent_version,
                            client_ref=decision.client_ref)
        if basis is LegalBasis.NOODSITUATIE:
            if not facts.urgent:
                return Decision(recipient, False, basis.value, NOT_URGENT, network_id)
            if not (facts.justification or "").strip():
                return Decision(recipient, False, basis.value, NO_JUSTIFICATION, network_id)
            return Decision(recipient, True, basis.value, f"{basis.value} {network_id}",
                            network_id, review_required=True)
        return Decision(recipient, True, basis.value, f"{basis.value} {network_id}", network_id)
