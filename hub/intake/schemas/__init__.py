"""Marshmallow schemas of the ``data`` of each message type, one module per message family.

The public entry point is :mod:`hub.intake.catalogue`; these modules hold the building blocks.
"""
