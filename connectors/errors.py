"""Errors of the connectors package. Third-party errors are converted into these at the edge.

Every error carries a stable dotted ``code``, a fixed human ``message`` that never contains a
secret, a URL or a payload value, and ``details`` the HTTP layer renders into the common error
body (``{"field": "/config/url", "rule": "url.https_required"}``).
"""

from __future__ import annotations

from tenants.errors import KetenhubError


class ConnectorError(KetenhubError):
    """Base of every error the connectors package raises."""

    code = "connector.error"
    message = "De aflevering via de connector is mislukt."

    def __init__(self, code: str | None = None, response_status: int | None = None, *,
                 message: str | None = None, details: list[dict] | None = None) -> None:
        super().__init__(message, details)
        if code:
            self.code = code
        self.response_status = response_status


class RetryableDeliveryError(ConnectorError):
    """Raised when a delivery failed in a way that may pass later (timeout, 5xx, broker down).
    ``retry_after_s`` is the receiver's own ``Retry-After``, when it sent one."""

    code = "connector.retryable"

    def __init__(self, code: str | None = None, response_status: int | None = None, *,
                 retry_after_s: float | None = None, **kwargs: object) -> None:
        super().__init__(code, response_status, **kwargs)  # type: ignore[arg-type]
        self.retry_after_s = retry_after_s


class PermanentDeliveryError(ConnectorError):
    """Raised when a delivery can never succeed as it is (4xx, invalid endpoint)."""

    code = "connector.permanent"


class EndpointGone(PermanentDeliveryError):
    """Raised when the receiver says the endpoint no longer exists (HTTP 410): disable it."""

    code = "connector.endpoint_gone"


class InvalidEndpointConfig(ConnectorError):
    """Raised when an endpoint's configuration does not fit its connector (or the connector
    alias is unknown). ``details`` names every offending field and rule, never the value."""

    code = "validation.endpoint_config"
    message = "De configuratie van het endpoint past niet bij de connector."

    @classmethod
    def unknown_connector(cls) -> InvalidEndpointConfig:
        return cls(details=[{"field": "/connector", "rule": "connector.unknown"}])


class AddressRefused(ConnectorError):
    """Raised when an endpoint's host does not resolve, or resolves to an address the hub may
    not connect to (loopback, private, link-local, multicast, …: see ``connectors.netguard``).
    ``code`` is the precise rule, for logs; callers show partners one generic rule."""

    code = "address.refused"
    message = "De host van het endpoint is niet bereikbaar of wijst naar een niet-openbaar adres."
