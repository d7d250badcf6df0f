"""Connectors chosen by alias, kombu-transport style: the alias names a class by import path,
so a connector is only imported when it is used. This table is the one list of aliases; each
connector's module owns its configuration (validation, masking, settings).

Constructor settings come from the composition root through ``Connector.from_settings`` (see
each class's docstring); every connector also constructs with no arguments.
"""

from __future__ import annotations

import importlib

from connectors.base import Connector
from connectors.errors import InvalidEndpointConfig
from connectors.netguard import NetGuard

#: alias → (class by import path, whether a tenant may configure it as a push endpoint). The
#: order is the bus's queue order.
_TABLE: dict[str, tuple[str, bool]] = {
    "inbox": ("connectors.inbox:InboxConnector", False),
    "webhook": ("connectors.webhook:WebhookConnector", True),
    "amqp": ("connectors.amqp:AmqpConnector", True),
    "smtp": ("connectors.smtp:SmtpConnector", True),
    "memory": ("connectors.memory:MemoryConnector", False),
}

CONNECTORS: dict[str, str] = {alias: path for alias, (path, _) in _TABLE.items()}

#: The aliases a tenant may configure as an endpoint (inbox is every tenant's default).
ENDPOINT_CONNECTORS: tuple[str, ...] = tuple(a for a, (_, push) in _TABLE.items() if push)


def connector_class(alias: str) -> type[Connector]:
    try:
        module_name, _, class_name = CONNECTORS[alias].partition(":")
    except KeyError:
        raise InvalidEndpointConfig.unknown_connector() from None
    return getattr(importlib.import_module(module_name), class_name)


def validate_endpoint_config(alias: str, config: dict,
                             guard: NetGuard | None = None) -> tuple[dict, dict]:
    """Validate ``config`` for the endpoint connector ``alias``; return ``(public_config,
    secret_config)`` with defaults filled in, or raise ``InvalidEndpointConfig`` listing every
    broken rule.

    With a ``guard`` (as the endpoint service saves a config) the connector also resolves its
    destination and checks every address against server-side request forgery
    (``Connector.check_destination``); without one only the syntax is checked (no I/O)."""
    if alias not in ENDPOINT_CONNECTORS:
        raise InvalidEndpointConfig.unknown_connector()
    if not isinstance(config, dict):
        raise InvalidEndpointConfig(details=[{"field": "/config", "rule": "type.object"}])
    cls = connector_class(alias)
    public, secret = cls.validate_config(config)
    if guard is not None:
        cls.check_destination(public, secret, guard)
    return public, secret


def mask_config(alias: str, public_config: dict) -> dict:
    """The endpoint's public config as the API shows it."""
    return connector_class(alias).mask_config(public_config)
