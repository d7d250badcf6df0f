"""The seam through which domain flows (``hub.flows``) follow what the intake accepts, without
the intake knowing them: a hook adds routing facts to messages and sees them stored, inside the
intake's transaction (so a flow's rows commit or roll back with the messages).

Both calls get every message of the transaction at once (a batch, or the single requests a
group commit stores together), so a hook asks the database once per transaction, not once
per message."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from hub.delivery.model import StoredMessage

if TYPE_CHECKING:
    from hub.ports import HubUnitOfWork


@dataclass(frozen=True)
class RoutedIntake:
    """A message the intake has routed and is about to store: its type, sender, validated data
    (in memory only) and the recipients it was permitted to."""

    message_type: str
    sender: str
    data: dict
    recipients: tuple[str, ...]


@dataclass(frozen=True)
class StoredIntake:
    """A message the intake is storing: its row, its validated data (in memory only, never
    stored in clear) and the recipients it was permitted to."""

    message: StoredMessage
    data: dict
    recipients: tuple[str, ...]


class IntakeHook(Protocol):
    def facts(self, uow: HubUnitOfWork, items: Sequence[RoutedIntake],
              now: datetime) -> list[dict]:
        """Per item, in order, extra routing facts to store with the message: ids, codes and
        pseudonyms only (an empty dict when the hook has none)."""

    def stored(self, uow: HubUnitOfWork, items: Sequence[StoredIntake], now: datetime) -> None:
        """Called once per intake transaction with the messages it stores."""
