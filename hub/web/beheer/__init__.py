"""Beheer in the web: the admin start page with the alerts, and what each admin page shares
(which organisation is administered, refusals at their fields)."""
