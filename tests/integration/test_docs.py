"""The README documents every setting there is."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

from hub.config import Config

README = Path(__file__).resolve().parents[2] / "README.md"


def test_every_config_setting_is_in_the_readme_configuration_table():
    text = README.read_text()
    missing = [f.name for f in fields(Config) if f"`KETENHUB_{f.name.upper()}`" not in text]
    assert missing == []
