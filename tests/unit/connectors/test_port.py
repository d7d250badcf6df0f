"""The connector port and its registry: ``deliver()`` turns every outcome of ``_send()`` into an
attempt record and never raises; requests keep their secrets out of ``repr``."""

from __future__ import annotations

import logging

import pytest

from connectors.base import Connector, DeliveryRequest
from connectors.errors import (
    EndpointGone,
    InvalidEndpointConfig,
    PermanentDeliveryError,
    RetryableDeliveryError,
)
from connectors.memory import MemoryConnector
from connectors.registry import CONNECTORS, ENDPOINT_CONNECTORS, connector_class


def request(**kw) -> DeliveryRequest:
    base = dict(delivery_id="dlv-1", message_id="msg-1", recipient="ymere", sender="mzwo",
                attempt=1, event={"data": {"naam": "Jan de Vries"}},
                endpoint_config={"url": "amqp://u:pw-in-url@h/"}, secrets=("whsec_c2VjcmV0",),
                secret_config={"client_cert": "-----BEGIN PRIVATE KEY-----"})
    return DeliveryRequest(**{**base, **kw})


def failing(exc: BaseException) -> MemoryConnector:
    def behaviour(_: DeliveryRequest) -> int | None:
        raise exc

    return MemoryConnector(behaviour)


@pytest.mark.parametrize(("exc", "outcome", "code", "status", "disable"), [
    (RetryableDeliveryError("connector.timeout"), "retryable", "connector.timeout", None, False),
    (RetryableDeliveryError("connector.server_error", 503), "retryable", "connector.server_error", 503,
     False),
    (PermanentDeliveryError("connector.rejected", 400), "permanent", "connector.rejected", 400, False),
    (EndpointGone(response_status=410), "permanent", "connector.endpoint_gone", 410, True),
    (InvalidEndpointConfig(details=[{"field": "/config/url", "rule": "x"}]), "permanent",
     "connector.invalid_config", None, False),
    (RuntimeError("bug with amqp://u:pw@h in it"), "retryable", "connector.unexpected", None, False),
])
def test_every_failure_becomes_an_attempt_record_and_nothing_is_raised(exc, outcome, code, status,
                                                                        disable):
    result = failing(exc).deliver(request())

    assert (result.outcome, result.error_code, result.response_status, result.disable_endpoint) == (
        outcome, code, status, disable)


def test_success_records_the_status_the_transport_returned():
    result = MemoryConnector(lambda r: 204).deliver(request())

    assert (result.outcome, result.response_status, result.error_code) == ("success", 204, None)


def test_a_connector_bug_is_logged_by_type_only(caplog):
    caplog.set_level(logging.DEBUG)

    failing(RuntimeError("amqp://u:pw-in-url@h")).deliver(request())

    assert "pw-in-url" not in caplog.text
    assert any(getattr(r, "error_type", None) == "RuntimeError" for r in caplog.records)


def test_a_request_keeps_secrets_config_and_payload_out_of_its_repr():
    text = repr(request())

    for hidden in ("pw-in-url", "whsec_", "PRIVATE KEY", "Jan de Vries"):
        assert hidden not in text
    assert "dlv-1" in text


def test_the_existing_request_shape_still_constructs():
    r = DeliveryRequest("d", "m", "r", "s", 1, None)

    assert (r.endpoint_id, r.secrets, r.secret_config, r.sender_name) == (None, (), {}, None)


def test_errors_carry_code_message_and_details():
    error = InvalidEndpointConfig(details=[{"field": "/config/url", "rule": "url.scheme"}])

    assert error.code == "validation.endpoint_config"
    assert error.message and "url" not in error.message.lower()
    assert error.details == [{"field": "/config/url", "rule": "url.scheme"}]
    assert RetryableDeliveryError("connector.timeout").code == "connector.timeout"
    assert PermanentDeliveryError("connector.rejected", 400).response_status == 400


def test_every_alias_names_a_connector_that_constructs_without_arguments():
    assert set(ENDPOINT_CONNECTORS) <= set(CONNECTORS)
    for alias in CONNECTORS:
        cls = connector_class(alias)
        assert issubclass(cls, Connector) and cls.alias == alias
        cls().close()


def test_an_unknown_alias_is_an_invalid_endpoint_config():
    with pytest.raises(InvalidEndpointConfig) as caught:
        connector_class("telex")

    assert caught.value.details == [{"field": "/connector", "rule": "connector.unknown"}]


def test_connectors_import_no_flask_and_no_other_connector():
    import ast
    import pathlib

    import connectors

    root = pathlib.Path(connectors.__file__).parent
    transports = {"webhook", "amqp", "smtp", "inbox", "memory"}
    for path in root.glob("*.py"):
        tree = ast.parse(path.read_text())
        names = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module} | {
            a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert not any(n.split(".")[0] == "flask" for n in names), path.name
        others = {f"connectors.{t}" for t in transports} - {f"connectors.{path.stem}"}
        assert not names & others, path.name
