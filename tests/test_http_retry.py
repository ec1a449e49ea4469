"""Retry-After is honoured whichever form the server uses."""

from __future__ import annotations


def test_retry_after_reads_seconds_and_http_dates():
    from datetime import UTC, datetime, timedelta
    from email.utils import format_datetime

    from jobforge.http_retry import retry_after_seconds

    assert retry_after_seconds("2") == 2.0
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 <= retry_after_seconds(later) <= 30
