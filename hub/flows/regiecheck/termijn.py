"""The regiecheck's answer term in the term store: every asked partner owes the asker an
answer within the network's ``regiecheck_termijn_werkdagen``, a term on its own question
message. The store only records it (for ``GET /api/v1/termijnen``, inbox items and message
status); the regiecheck's own schedule reminds and expires it (``regiecheck.herinnering``,
``regiecheck.verlopen``), so the termijnen watcher leaves it alone (``watched = False``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from hub.flows.termijnen.model import short_type
from hub.flows.termijnen.registry import Antwoord, TermijnFlow
from hub.intake.catalogue import REGIECHECK_ANTWOORD, REGIECHECK_VRAAG
from tenants.model import REGIECHECK_FLOW

if TYPE_CHECKING:
    from hub.ports import HubUnitOfWork


class RegiecheckTermijn(TermijnFlow):
    """Opened by each partner's ``regiecheck.vraag``, met by its ``regiecheck.antwoord``
    (``bekend`` or ``onbekend``, either way)."""

    name = REGIECHECK_FLOW
    opened_by = frozenset({REGIECHECK_VRAAG})
    watched = False

    def answers(self, message_type: str, data: dict) -> Sequence[Antwoord]:
        if message_type != REGIECHECK_ANTWOORD or not data.get("regiecheck_id"):
            return ()
        token = f"{short_type(message_type)}:{'bekend' if data.get('bekend') else 'onbekend'}"
        return (Antwoord(self.name, str(data["regiecheck_id"]), token),)

    def subjects(self, uow: HubUnitOfWork, antwoord: Antwoord, answered_by: str) -> Sequence[str]:
        """The answering partner's own question in the check."""
        check = uow.regiechecks.get(antwoord.subject_id)
        own = check.partner(answered_by) if check is not None else None
        return (own.message_id,) if own is not None else ()


def expire_silent(uow: HubUnitOfWork, regiecheck_id: str, silent: Sequence[str],
                  at: datetime) -> int:
    """Mark the terms of the partners that never answered ``verlopen`` (the check expired);
    in the schedule's transaction. Returns how many were running."""
    check = uow.regiechecks.get(regiecheck_id)
    if check is None:
        return 0
    expired = [t.expired(at) for p in check.partners if p.tenant_id in silent
               for t in uow.termijnen.open_for(REGIECHECK_FLOW, [p.message_id], p.tenant_id)]
    uow.termijnen.save_many(expired)
    return len(expired)
