"""Intake: accept a message — envelope → schema → privacy guard → policy → persist."""
