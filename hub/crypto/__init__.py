"""Encryption at rest: per-tenant data keys wrapped by a master key (AES-256-GCM)."""
