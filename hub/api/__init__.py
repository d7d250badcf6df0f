"""HTTP entrypoints: one blueprint per resource (routes.py + schemas.py)."""
