"""Consent registry, policy decision point and the hard privacy rules of the hub."""
