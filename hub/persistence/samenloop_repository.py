"""SQL adapter for the samenloop's signalen per address pseudonym."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, func, insert, select

from hub.flows.samenloop.ports import SamenloopRepository
from hub.persistence import tables as t

_s = t.samenloop_signalen


class SqlSamenloopRepository(SamenloopRepository):
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, address_ref: str, meldpunt: str, message_id: str, at: datetime) -> None:
        self._conn.execute(insert(_s).values(address_ref=address_ref, meldpunt=meldpunt,
                                             message_id=message_id, received_at=at))

    def count(self, address_ref: str, meldpunt: str, since: datetime) -> int:
        return self._conn.execute(select(func.count()).select_from(_s).where(
            (_s.c.address_ref == address_ref) & (_s.c.meldpunt == meldpunt)
            & (_s.c.received_at >= since))).scalar_one()
