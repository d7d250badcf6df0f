"""The seam through which domain flows (``hub.flows``) follow what the intake accepts, without
the intake knowing them: a hook adds routing facts to a message and sees it stored, inside the
intake's transaction (so a flow's rows commit or roll back with the message)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from hub.delivery.model import StoredMessage

if TYPE_CHECKING:
    from hub.ports import HubUnitOfWork


@dataclass(frozen=True)
class StoredIntake:
    """A message the intake is storing: its row, its validated data (in memory only, never
    stored in clear) and the recipients it was permitted to."""

    message: StoredMessage
    data: dict
    recipients: tuple[str, ...]


class IntakeHook(Protocol):
    def facts(self, uow: HubUnitOfWork, message_type: str, sender: str, data: dict,
              recipients: Sequence[str], now: datetime) -> dict:
        """Extra routing facts to store with the message (it is permitted to ``recipients``):
        ids, codes and pseudonyms only."""

    def stored(self, uow: HubUnitOfWork, items: Sequence[StoredIntake], now: datetime) -> None:
        """Called once per intake transaction with the messages it stores."""
