"""Ketenhub: the integration hub for partners in zorg en woonoverlast.

Reading this package top to bottom follows one message: ``api`` (entrypoints) →
``intake`` → ``persistence`` / ``outbox`` → ``bus`` → ``delivery`` → ``connectors``.
"""
