"""Retention: each message is kept as long as its legal bases (and its zaak) require, then
crypto-shredded: its own data key is destroyed, the audit skeleton stays."""
