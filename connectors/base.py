"""The connector port. ``deliver()`` does the bookkeeping every transport shares — timing,
error conversion into retryable/permanent, the attempt record — and calls ``_send()``."""

from __future__ import annotations

import abc
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime

from connectors.errors import PermanentDeliveryError, RetryableDeliveryError

log = logging.getLogger("ketenhub.connectors")


@dataclass(frozen=True)
class DeliveryRequest:
    delivery_id: str
    message_id: str
    recipient: str
    sender: str
    attempt: int
    event: dict | None
    deadline: datetime | None = None
    endpoint_config: dict = field(default_factory=dict)


@dataclass(frozen=True)
class AttemptResult:
    outcome: str  # "success" | "retryable" | "permanent"
    duration_ms: int
    error_code: str | None = None
    response_status: int | None = None
    disable_endpoint: bool = False


class Connector(abc.ABC):
    #: The alias endpoints name in their ``connector`` field.
    alias: str = ""
    #: Whether ``_send`` needs the decrypted event (the inbox does not: it is read on request).
    needs_payload: bool = True

    def deliver(self, request: DeliveryRequest) -> AttemptResult:
        started = time.perf_counter()
        try:
            status = self._send(request)
        except RetryableDeliveryError as exc:
            return self._result("retryable", started, exc.code, exc.response_status)
        except PermanentDeliveryError as exc:
            result = self._result("permanent", started, exc.code, exc.response_status)
            return AttemptResult(result.outcome, result.duration_ms, result.error_code,
                                 result.response_status,
                                 disable_endpoint=exc.code == "connector.endpoint_gone")
        except Exception as exc:  # noqa: BLE001 - a connector bug must not lose the delivery
            log.warning("connector raised unexpectedly",
                        extra={"connector": self.alias, "delivery_id": request.delivery_id,
                               "error_type": type(exc).__name__})
            return self._result("retryable", started, "connector.unexpected", None)
        return self._result("success", started, None, status)

    @staticmethod
    def _result(outcome: str, started: float, code: str | None, status: int | None) -> AttemptResult:
        return AttemptResult(outcome, int((time.perf_counter() - started) * 1000), code, status)

    @abc.abstractmethod
    def _send(self, request: DeliveryRequest) -> int | None:
        """Hand the event to the transport; return a response status if the transport has one.
        Raise RetryableDeliveryError or PermanentDeliveryError for failures."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release pooled connections."""
