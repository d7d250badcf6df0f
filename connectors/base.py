"""The connector port. ``deliver()`` does the bookkeeping every transport shares — timing,
error conversion into retryable/permanent, the attempt record — and calls ``_send()``.

``deliver()`` never raises: whatever a transport does, the caller gets an ``AttemptResult`` and
the delivery stays in the database's hands (retry or dead-letter), so no connector failure loses
a delivery.
"""

from __future__ import annotations

import abc
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from connectors.config import mask_url
from connectors.errors import (
    EndpointGone,
    InvalidEndpointConfig,
    PermanentDeliveryError,
    RetryableDeliveryError,
)

if TYPE_CHECKING:
    from connectors.netguard import NetGuard

log = logging.getLogger("ketenhub.connectors")


@dataclass(frozen=True)
class DeliveryRequest:
    """One attempt to hand one event to one recipient's endpoint.

    ``endpoint_config`` is the validated public config (``validate_endpoint_config``'s first
    result), ``secret_config`` its decrypted secret half (webhook ``client_cert``, amqp ``url``),
    ``secrets`` the endpoint's plaintext signing secrets still valid, newest first. Secrets,
    configs and the event are left out of ``repr`` so a logged request leaks none of them.
    """

    delivery_id: str
    message_id: str
    recipient: str
    sender: str
    attempt: int
    event: dict | None = field(repr=False)
    deadline: datetime | None = None
    endpoint_config: dict = field(default_factory=dict, repr=False)
    endpoint_id: str | None = None
    secrets: tuple[str, ...] = field(default=(), repr=False)
    secret_config: dict = field(default_factory=dict, repr=False)
    sender_name: str | None = None


class Outcome(StrEnum):
    """How an attempt ended: the connectors report the first three, the delivery processor
    adds ``BLOCKED`` (the policy re-check refused the delivery)."""

    SUCCESS = "success"
    RETRYABLE = "retryable"
    PERMANENT = "permanent"
    BLOCKED = "blocked"


#: Keys a public config never shows, whatever a connector put there.
SECRET_KEYS = frozenset({"password", "secret", "secrets"})


@dataclass(frozen=True)
class AttemptResult:
    outcome: Outcome
    duration_ms: int
    error_code: str | None = None
    response_status: int | None = None
    disable_endpoint: bool = False
    #: The receiver asked to wait this long before the next attempt (``Retry-After``).
    retry_after_s: float | None = None


class Connector(abc.ABC):
    """A transport, kombu-transport style: a small subclass per transport sets the class
    attributes below and owns its endpoint configuration (``validate_config``, ``mask_config``);
    ``connectors.registry`` maps the aliases to the classes."""

    #: The alias endpoints name in their ``connector`` field.
    alias: str = ""
    #: Whether ``_send`` needs the decrypted event (the inbox does not: it is read on request).
    needs_payload: bool = True
    #: The endpoint config a tenant gives, for the API documentation ("" when the connector is
    #: no push endpoint).
    config_summary: str = ""
    #: Whether the hub signs what this connector sends, with per-endpoint signing secrets that
    #: it makes, shows once and rotates.
    signs: bool = False

    @classmethod
    def validate_config(cls, config: dict) -> tuple[dict, dict]:
        """``(public_config, secret_config)`` with defaults filled in, or raise
        ``InvalidEndpointConfig`` listing every broken rule (never the value)."""
        raise InvalidEndpointConfig.unknown_connector()

    @classmethod
    def mask_config(cls, public_config: dict) -> dict:
        """The public config as the API shows it: nothing secret, URLs masked (defence in
        depth — the public half should hold no secret in the first place)."""
        shown = {k: v for k, v in public_config.items() if k not in SECRET_KEYS}
        if isinstance(shown.get("url"), str):
            shown["url"] = mask_url(shown["url"])
        return shown

    @classmethod
    def check_destination(cls, public_config: dict, secret_config: dict,
                          guard: NetGuard) -> None:
        """At save time: raise ``InvalidEndpointConfig`` when the endpoint's destination may not
        be connected to (``connectors.netguard``). Connectors without a network destination
        of the tenant's choosing check nothing."""
        return None

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> Connector:
        """The instance the composition root uses, built from the hub's settings (the hub's
        ``Config`` fields by name); most connectors need none of them."""
        return cls()

    def deliver(self, request: DeliveryRequest) -> AttemptResult:
        started = time.perf_counter()
        try:
            status = self._send(request)
        except RetryableDeliveryError as exc:
            result = self._failed(request, Outcome.RETRYABLE, started, exc.code,
                                  exc.response_status)
            return replace(result, retry_after_s=exc.retry_after_s) if exc.retry_after_s else result
        except PermanentDeliveryError as exc:
            return self._failed(request, Outcome.PERMANENT, started, exc.code, exc.response_status,
                                disable=isinstance(exc, EndpointGone)
                                or exc.code == EndpointGone.code)
        except InvalidEndpointConfig:
            # A stored config that no longer validates (or a refused URL at send time).
            return self._failed(request, Outcome.PERMANENT, started, "connector.invalid_config",
                                None)
        except Exception as exc:  # noqa: BLE001 - a connector bug must not lose the delivery
            # Only the type: a message may quote a URL with a password in it.
            log.warning("connector raised unexpectedly",
                        extra={"connector": self.alias, "delivery_id": request.delivery_id,
                               "error_type": type(exc).__name__})
            return self._result(Outcome.RETRYABLE, started, "connector.unexpected", None)
        return self._result(Outcome.SUCCESS, started, None, status)

    def _failed(self, request: DeliveryRequest, outcome: Outcome, started: float, code: str,
                status: int | None, disable: bool = False) -> AttemptResult:
        result = self._result(outcome, started, code, status)
        log.info("delivery attempt failed",
                 extra={"connector": self.alias, "delivery_id": request.delivery_id,
                        "endpoint_id": request.endpoint_id, "outcome": outcome,
                        "error_code": code, "response_status": status,
                        "duration_ms": result.duration_ms})
        if disable:
            return AttemptResult(result.outcome, result.duration_ms, result.error_code,
                                 result.response_status, disable_endpoint=True)
        return result

    @staticmethod
    def _result(outcome: Outcome, started: float, code: str | None, status: int | None) -> AttemptResult:
        return AttemptResult(outcome, int((time.perf_counter() - started) * 1000), code, status)

    @abc.abstractmethod
    def _send(self, request: DeliveryRequest) -> int | None:
        """Hand the event to the transport; return a response status if the transport has one.
        Raise RetryableDeliveryError or PermanentDeliveryError for failures."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release pooled connections."""
