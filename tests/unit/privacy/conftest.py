import pytest

from consent.privacy import PrivacyGuard


@pytest.fixture(scope="session")
def guard() -> PrivacyGuard:
    return PrivacyGuard.default()
