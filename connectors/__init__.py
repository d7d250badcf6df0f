"""Connectors: how deliveries leave the hub (inbox, webhook, AMQP, e-mail)."""
