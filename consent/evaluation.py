"""Consent evaluation: may this client's data of this category go to this recipient at ``at``?

Pure: takes the latest versions of the client's consents in one network, returns a verdict
that names the consent version it rests on. Rules (DESIGN.md §3 rule 4, docs/consent.md):

1. Default deny: no consent that covers the category and mentions the party → "no consent".
2. Only consents in force count: status active and ``valid_from ≤ at`` and ``at`` within the
   last second ``valid_until`` (inclusive). Withdrawn → never in force.
3. The provisions of all consents in force that cover the category are pooled. A provision for
   the named tenant beats one for its tenant kind; at equal specificity deny beats permit.
   Permit → "consent"; deny → "consent denies recipient".
4. When no consent in force mentions the party, the verdict explains why, looking at the consents
   that cover the category and whose own provisions would permit the party:
   withdrawn → "consent withdrawn", else expired → "consent expired", else not begun →
   "consent not yet valid"; otherwise "no consent".
5. Several consents carry the deciding effect: the one with the latest ``valid_until`` is named,
   ties broken by the smallest id (then the highest version).

The party: a consent covers an exchange between its controller and the parties its provisions
permit. When ``sender_id`` is given: for a message *to* the controller the party is the sender;
for a message *from* the controller the party is the recipient; a message between two other
tenants is not covered by that consent. Without a sender the party is the recipient, and the
controller itself is always a party of its own consent (an implicit named permit).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from consent.model import DENY, PERMIT, Consent, DataCategory, Provision
from tenants.model import TenantKind

CONSENT = "consent"
NO_CONSENT = "no consent"
CONSENT_EXPIRED = "consent expired"
CONSENT_WITHDRAWN = "consent withdrawn"
CONSENT_NOT_YET_VALID = "consent not yet valid"
CONSENT_DENIES = "consent denies recipient"

_CONTROLLER = Provision(PERMIT, tenant_id="<controller>")


@dataclass(frozen=True)
class ConsentVerdict:
    permit: bool
    reason: str
    consent_id: str | None = None
    consent_version: int | None = None

    @classmethod
    def of(cls, permit: bool, reason: str, consent: Consent | None) -> ConsentVerdict:
        if consent is None:
            return cls(permit, reason)
        return cls(permit, reason, consent.id, consent.version)


def _pick(consents: Iterable[Consent]) -> Consent:
    """Deterministic choice: latest valid_until, then smallest id, then highest version."""
    return min(consents, key=lambda c: (-c.valid_until.timestamp(), c.id, -c.version))


def _provision(consent: Consent, recipient_id: str, recipient_kind: TenantKind | None,
               sender_id: str | None, sender_kind: TenantKind | None) -> Provision | None:
    """The provision of ``consent`` that decides for this message, or None if it is silent."""
    if sender_id is None:
        if recipient_id == consent.controller:
            return _CONTROLLER
        return consent.provision_for(recipient_id, recipient_kind)
    if recipient_id == consent.controller:
        return consent.provision_for(sender_id, sender_kind)
    if sender_id == consent.controller:
        return consent.provision_for(recipient_id, recipient_kind)
    return None


def evaluate(consents: Iterable[Consent], *, recipient_id: str, recipient_kind: TenantKind | None,
             category: DataCategory | str, at: datetime, sender_id: str | None = None,
             sender_kind: TenantKind | None = None) -> ConsentVerdict:
    """The verdict for one recipient (see the module doc for every rule)."""
    category = DataCategory(category)
    in_force: list[tuple[Provision, Consent]] = []
    lapsed: list[Consent] = []
    for consent in consents:
        if not consent.covers(category):
            continue
        provision = _provision(consent, recipient_id, recipient_kind, sender_id, sender_kind)
        if provision is None:
            continue
        if consent.in_force(at):
            in_force.append((provision, consent))
        elif provision.effect == PERMIT:
            lapsed.append(consent)

    if in_force:
        named = [(p, c) for p, c in in_force if p.is_named]
        level = named or in_force
        denying = [c for p, c in level if p.effect == DENY]
        if denying:
            return ConsentVerdict.of(False, CONSENT_DENIES, _pick(denying))
        return ConsentVerdict.of(True, CONSENT, _pick(c for _, c in level))

    withdrawn = [c for c in lapsed if c.is_withdrawn]
    if withdrawn:
        return ConsentVerdict.of(False, CONSENT_WITHDRAWN, _pick(withdrawn))
    expired = [c for c in lapsed if c.ended(at)]
    if expired:
        return ConsentVerdict.of(False, CONSENT_EXPIRED, _pick(expired))
    pending = [c for c in lapsed if not c.started(at)]
    if pending:
        return ConsentVerdict.of(False, CONSENT_NOT_YET_VALID, _pick(pending))
    return ConsentVerdict(False, NO_CONSENT)
