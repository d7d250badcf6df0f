"""Alerts that reach people: listed per tenant, e-mailed to its alert address, counted."""
