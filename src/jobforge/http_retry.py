"""What every HTTP client of JobForge shares about waiting before a retry."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime
from email.utils import parsedate_to_datetime

from tenacity import RetryCallState

from jobforge.errors import SourceUnavailableError

MAX_WAIT = 60.0  # seconds of Retry-After a client sleeps; a server asking for more is reported at once


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); None if absent or unreadable."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(when.tzinfo)).total_seconds())


def worth_waiting_for(error: BaseException) -> bool:
    """Retry a transient failure, unless the server asks for a longer wait than MAX_WAIT: that is
    reported at once (its Retry-After kept, for the caller's own answer)."""
    return isinstance(error, SourceUnavailableError) and (error.retry_after is None or error.retry_after <= MAX_WAIT)


def beyond_the_wait(seconds: float | None) -> str:
    """What a failure message adds when the server's Retry-After is more than this client waits."""
    return f" (Retry-After {seconds:.0f} s: longer than this client waits)" if seconds and seconds > MAX_WAIT else ""


def waiting(backoff: float) -> Callable[[RetryCallState], float]:
    """A tenacity wait: the server's Retry-After when it gave one, else exponential backoff from
    `backoff` seconds (at most 30), jittered so that parallel clients do not retry in step."""

    def wait(state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, SourceUnavailableError) and error.retry_after is not None:
            return error.retry_after
        return min(30.0, backoff * 2 ** (state.attempt_number - 1)) * random.uniform(0.5, 1.0)

    return wait
