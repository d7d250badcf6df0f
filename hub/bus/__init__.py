"""The message bus: dispatch only, the database is the truth (DESIGN.md §4)."""
