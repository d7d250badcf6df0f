"""Errors of the connectors package. Third-party errors are converted into these at the edge."""

from __future__ import annotations


class ConnectorError(Exception):
    """Base of every error the connectors package raises."""

    code = "connector.error"

    def __init__(self, code: str | None = None, response_status: int | None = None) -> None:
        super().__init__(code or self.code)
        if code:
            self.code = code
        self.response_status = response_status


class RetryableDeliveryError(ConnectorError):
    """Raised when a delivery failed in a way that may pass later (timeout, 5xx, broker down)."""

    code = "connector.retryable"


class PermanentDeliveryError(ConnectorError):
    """Raised when a delivery can never succeed as it is (4xx, invalid endpoint)."""

    code = "connector.permanent"


class EndpointGone(PermanentDeliveryError):
    """Raised when the receiver says the endpoint no longer exists (HTTP 410): disable it."""

    code = "connector.endpoint_gone"


class InvalidEndpointConfig(ConnectorError):
    """Raised when an endpoint's configuration does not fit its connector."""

    code = "validation.endpoint_config"
