"""A receiver's Retry-After, read and honoured within the retry limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from connectors.webhook import retry_after_seconds
from hub.delivery.retry import RetryPolicy


def test_a_retry_after_longer_than_the_backoff_is_waited_for():
    policy = RetryPolicy(2.0, 3600.0, random=lambda: 0.0)
    assert policy.delay(1, at_least_s=120) == timedelta(seconds=120)


def test_a_retry_after_shorter_than_the_backoff_changes_nothing():
    policy = RetryPolicy(2.0, 3600.0, random=lambda: 1.0)
    assert policy.delay(4, at_least_s=3) == timedelta(seconds=16)


def test_a_retry_after_beyond_the_longest_delay_is_capped():
    policy = RetryPolicy(2.0, 600.0, random=lambda: 0.0)
    assert policy.delay(1, at_least_s=86400) == timedelta(seconds=600)


def test_retry_after_is_read_as_seconds_or_as_an_http_date():
    now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
    later = format_datetime(now + timedelta(minutes=5), usegmt=True)
    assert retry_after_seconds("120", now.timestamp()) == 120.0
    assert retry_after_seconds(later, now.timestamp()) == 300.0
    assert retry_after_seconds(format_datetime(now - timedelta(minutes=5), usegmt=True),
                               now.timestamp()) == 0.0


def test_an_absent_or_unreadable_retry_after_is_ignored():
    for header in (None, "", "soon", "-5", "Tue, 99 Foo 2026"):
        assert retry_after_seconds(header, 0.0) is None
