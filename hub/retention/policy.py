"""Until when a message must be kept, from its legal bases (``tenants.model.Bewaartermijnen``).
Computed at intake in memory: no query per message."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timedelta

from consent.policy import Decision
from tenants.model import Bewaartermijnen, LegalBasis

#: (consent id, version) → that version's valid_until.
ConsentTerms = Mapping[tuple[str, int], datetime]


def retain_until(received_at: datetime, decisions: Sequence[Decision],
                 settings_of: Callable[[str | None], Bewaartermijnen],
                 consent_terms: ConsentTerms) -> datetime:
    """The latest end over the permitted recipients' bases; a message no one was permitted
    to receive is kept ``geweigerd_dagen``. A zaak the message joins may hold it longer (the
    retention run checks that)."""
    ends: list[datetime] = []
    for d in decisions:
        if not d.permit:
            continue
        terms = settings_of(d.network_id)
        if d.basis == LegalBasis.CONSENT.value:
            valid_until = consent_terms.get((d.consent_id or "", d.consent_version or 0))
            start = max(valid_until, received_at) if valid_until else received_at
            ends.append(start + timedelta(days=terms.toestemming_dagen))
        elif d.basis == LegalBasis.WETTELIJKE_PLICHT.value:
            ends.append(received_at + timedelta(days=terms.wettelijke_plicht_dagen))
        elif d.basis == LegalBasis.NOODSITUATIE.value:
            ends.append(received_at + timedelta(days=terms.noodsituatie_dagen))
        else:
            ends.append(received_at + timedelta(days=terms.convenant_dagen))
    if ends:
        return max(ends)
    network = next((d.network_id for d in decisions if d.network_id), None)
    return received_at + timedelta(days=settings_of(network).geweigerd_dagen)


def zaak_cutoff(now: datetime, years: int) -> datetime:
    """The latest afsluiting of a zaak whose retention of ``years`` has passed at ``now``."""
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)
