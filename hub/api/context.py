"""How views reach the services wired by the composition root."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app

if TYPE_CHECKING:
    from hub.bootstrap import Container


def container() -> Container:
    return current_app.extensions["ketenhub"]
