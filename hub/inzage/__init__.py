"""Inzage (AVG art. 15): every message the hub carried about a person, found through the
subject pseudonyms stored with each message, never through the payload."""
