"""Delivery: the state of every (message, recipient) pair, its retries and its reconciliation."""
