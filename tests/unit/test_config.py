from __future__ import annotations

from pathlib import Path

import pytest

from hub.config import Config


def test_defaults_are_the_embedded_hub_on_localhost_8000():
    config = Config.from_env({})
    assert (config.host, config.port) == ("127.0.0.1", 8000)
    assert config.is_embedded
    assert config.effective_database_url.endswith("var/ketenhub.db")
    assert config.max_body_bytes == 65536


def test_environment_variables_override_defaults():
    config = Config.from_env({
        "KETENHUB_PORT": "9001", "KETENHUB_DATA_DIR": "/tmp/kh",
        "KETENHUB_DATABASE_URL": "postgresql://x/y", "KETENHUB_AUTO_MIGRATE": "yes"})
    assert config.port == 9001
    assert config.data_dir == Path("/tmp/kh")
    assert config.auto_migrate is True
    assert not config.is_embedded
    assert config.effective_database_url == "postgresql://x/y"


def test_explicit_overrides_beat_the_environment():
    assert Config.from_env({"KETENHUB_PORT": "9001"}, port=7000).port == 7000


def test_a_malformed_boolean_is_refused_with_the_variable_name():
    with pytest.raises(ValueError, match="KETENHUB_AUTO_MIGRATE"):
        Config.from_env({"KETENHUB_AUTO_MIGRATE": "perhaps"})
