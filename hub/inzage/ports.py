"""Storage the inzage needs: the subject pseudonyms (person, address) each message carries."""

from __future__ import annotations

import abc
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

PERSOON = "persoon"
ADRES = "adres"


@dataclass(frozen=True)
class SubjectRow:
    """One subject a message is about: ``kind`` ``persoon`` or ``adres`` and its pseudonym."""

    message_id: str
    kind: str
    subject_ref: str
    received_at: datetime


class SubjectRepository(abc.ABC):
    @abc.abstractmethod
    def add_many(self, rows: Sequence[SubjectRow]) -> None:
        """Store the subjects of a batch of messages (one statement)."""

    @abc.abstractmethod
    def about(self, kind: str, refs: Sequence[str]) -> list[SubjectRow]:
        """Every stored subject row of this kind with one of these pseudonyms."""

    @abc.abstractmethod
    def of_messages(self, message_ids: Sequence[str]) -> list[SubjectRow]:
        """The subject rows of these messages."""
