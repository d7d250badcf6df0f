"""Tenants: organisations, networks (convenanten), credentials, users and roles."""
