"""Routing: a rule set that yields the candidate recipients of a message."""
