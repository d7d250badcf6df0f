"""The pull inbox, every tenant's default: placing a delivery in the inbox is marking it
delivered; the partner reads it with GET /api/v1/inbox and acknowledges it."""

from __future__ import annotations

from connectors.base import Connector, DeliveryRequest


class InboxConnector(Connector):
    alias = "inbox"
    needs_payload = False

    def _send(self, request: DeliveryRequest) -> int | None:
        return None
