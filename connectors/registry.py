"""Connectors chosen by alias, kombu-transport style: the alias names a class by import path,
so a connector is only imported when an endpoint uses it.

Constructor settings come from the composition root (see each class's docstring):
``WebhookConnector(proxy=None)``, ``AmqpConnector(timeout_s=None)``,
``SmtpConnector(host, port, tls, username, password, sender, inbox_url_template)``; every
one also constructs with no arguments.
"""

from __future__ import annotations

import importlib

from connectors.base import Connector
from connectors.errors import InvalidEndpointConfig

CONNECTORS: dict[str, str] = {
    "inbox": "connectors.inbox:InboxConnector",
    "memory": "connectors.memory:MemoryConnector",
    "webhook": "connectors.webhook:WebhookConnector",
    "amqp": "connectors.amqp:AmqpConnector",
    "smtp": "connectors.smtp:SmtpConnector",
}

#: The aliases a tenant may configure as an endpoint (inbox is every tenant's default).
ENDPOINT_CONNECTORS = ("webhook", "amqp", "smtp")


def connector_class(alias: str) -> type[Connector]:
    try:
        module_name, _, class_name = CONNECTORS[alias].partition(":")
    except KeyError:
        raise InvalidEndpointConfig(
            details=[{"field": "/connector", "rule": "connector.unknown"}]) from None
    return getattr(importlib.import_module(module_name), class_name)
