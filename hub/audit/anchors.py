"""Anchors: signed checkpoints of the chain head, written to a sink outside the audit table.

Whoever can rewrite the table can recompute every hash after a change, or cut off the tail and
move the chain head back; the anchors, signed with a key derived from the master key and kept
apart from the table, show where the chain stood, so both are found."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from hub.crypto.keyring import MasterKey

ANCHOR_LABEL = "audit-anchor"


@dataclass(frozen=True)
class Anchor:
    seq: int
    hash: str
    at: datetime
    key_id: str
    signature: str


class AnchorSigner:
    """Signs and checks anchors (HMAC-SHA256). Older master keys still check old anchors."""

    def __init__(self, current: MasterKey, previous: tuple[MasterKey, ...] = ()) -> None:
        self._keys: dict[str, bytes] = {}
        for master in (current, *previous):
            key = master.derive(ANCHOR_LABEL)
            self._keys.setdefault(_key_id(key), key)
        self._current_id = _key_id(current.derive(ANCHOR_LABEL))

    def sign(self, seq: int, head_hash: str, at: datetime) -> Anchor:
        key = self._keys[self._current_id]
        return Anchor(seq=seq, hash=head_hash, at=at, key_id=self._current_id,
                      signature=_mac(key, seq, head_hash, at))

    def valid(self, anchor: Anchor) -> bool:
        key = self._keys.get(anchor.key_id)
        return key is not None and hmac.compare_digest(
            anchor.signature, _mac(key, anchor.seq, anchor.hash, anchor.at))


def _key_id(key: bytes) -> str:
    return hashlib.sha256(b"ketenhub-anchor-key:" + key).hexdigest()[:16]


def _mac(key: bytes, seq: int, head_hash: str, at: datetime) -> str:
    message = f"{seq}|{head_hash}|{at.astimezone(UTC).isoformat(timespec='microseconds')}"
    return hmac.new(key, message.encode("ascii"), hashlib.sha256).hexdigest()


class AnchorSink(Protocol):
    def append(self, anchor: Anchor) -> None: ...

    def read(self) -> list[Anchor | None]:
        """Every anchor written, oldest first; ``None`` for a line that cannot be read."""
        ...


class FileAnchorSink:
    """Anchors as JSON lines appended to a file (on another volume or host than the database,
    ideally write-once storage). Appends from several processes do not interleave."""

    def __init__(self, path: Path) -> None:
        self._path = path

    def append(self, anchor: Anchor) -> None:
        line = json.dumps({"seq": anchor.seq, "hash": anchor.hash,
                           "at": anchor.at.astimezone(UTC).isoformat(timespec="microseconds"),
                           "key_id": anchor.key_id, "sig": anchor.signature},
                          sort_keys=True) + "\n"
        self._path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode("ascii"))
            os.fsync(fd)
        finally:
            os.close(fd)

    def read(self) -> list[Anchor | None]:
        if not self._path.exists():
            return []
        out: list[Anchor | None] = []
        for line in self._path.read_text(encoding="ascii", errors="replace").splitlines():
            if line.strip():
                out.append(_parse(line))
        return out


def _parse(line: str) -> Anchor | None:
    try:
        raw = json.loads(line)
        return Anchor(seq=int(raw["seq"]), hash=str(raw["hash"]),
                      at=datetime.fromisoformat(raw["at"]), key_id=str(raw["key_id"]),
                      signature=str(raw["sig"]))
    except (ValueError, KeyError, TypeError):
        return None
