"""What the message forms share: the text fields a person filled in, stripped."""

from __future__ import annotations

from collections.abc import Iterable

from flask_wtf import FlaskForm


def filled(form: FlaskForm, names: Iterable[str]) -> dict[str, str]:
    """The fields of ``names`` that hold text (stripped); empty and absent ones left out."""
    out: dict[str, str] = {}
    for name in names:
        value = (form[name].data or "").strip() if name in form else ""
        if value:
            out[name] = value
    return out
