"""Termijnen: deadlines in werkdagen on every flow that has one, with reminders and escalation.

For other flows (regiecheck, zaken): register a ``TermijnFlow`` on ``container.termijn_flows``;
start a term with ``container.termijnen.start(uow, ...)`` and meet it with
``container.termijnen.meet(uow, ...)`` in your own transaction; the watcher
(``TermijnWatcher``, run by every worker) reminds and expires it and calls your flow's
``on_expired`` in its transaction.
"""

from hub.flows.termijnen.model import Termijn, TermijnStatus, calendar_of
from hub.flows.termijnen.registry import Antwoord, Opening, TermijnFlow, TermijnFlows
from hub.flows.termijnen.service import Recipient, Termijnen
from hub.flows.termijnen.watcher import HERINNERING, VERLOPEN, TermijnWatcher, WatchPass

__all__ = [
    "HERINNERING", "VERLOPEN", "Antwoord", "Opening", "Recipient", "Termijn", "TermijnFlow",
    "TermijnFlows", "TermijnStatus", "TermijnWatcher", "Termijnen", "WatchPass", "calendar_of",
]
