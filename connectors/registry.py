"""Connectors chosen by alias, kombu-transport style: the alias names a class by import path,
so a connector is only imported when an endpoint uses it."""

from __future__ import annotations

import importlib

from connectors.base import Connector
from connectors.errors import InvalidEndpointConfig

CONNECTORS: dict[str, str] = {
    "inbox": "connectors.inbox:InboxConnector",
    "memory": "connectors.memory:MemoryConnector",
}


def connector_class(alias: str) -> type[Connector]:
    try:
        module_name, _, class_name = CONNECTORS[alias].partition(":")
    except KeyError:
        raise InvalidEndpointConfig("validation.unknown_connector") from None
    return getattr(importlib.import_module(module_name), class_name)
