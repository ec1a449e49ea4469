"""What one request may ask of the server: its size, its characters and, on expensive routes, its rate.

Checked before any route runs, in the one error shape: a body over MAX_BODY_BYTES answers 413
(its declared length refused before a byte of it is read; a body sent without one is counted as
it arrives); a query parameter or path holding a control character (NUL first of all: PostgreSQL
refuses it inside any text) answers 400 naming the parameter. Expensive routes also take a
per-client token bucket (`RateLimit`), answered 429 with Retry-After when empty.
"""

from __future__ import annotations

import json
import math
import threading
import time
from urllib.parse import parse_qsl

from fastapi import Request
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jobforge.control_characters import IN_URL
from jobforge.errors import RateLimitedError

MAX_BODY_BYTES = 2 * 1024 * 1024


class RequestLimits:
    """ASGI middleware: body size and control characters, before the application sees the request."""

    def __init__(self, app: ASGIApp, max_body_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        problem = _control_character(scope)
        if problem is not None:
            await _refuse(send, 400, problem)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            await _refuse(send, 413, self._too_large())
            return
        await self.app(scope, self._counting(receive), send)

    def _too_large(self) -> str:
        return f"the request body is larger than {self.max_body_bytes:,} bytes; send less per request"

    def _counting(self, receive: Receive) -> Receive:
        """`receive`, stopping a body without a declared length once it passes the limit."""
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body_bytes:
                    raise HTTPException(413, self._too_large())
            return message

        return counted


def _control_character(scope: Scope) -> str | None:
    if IN_URL.search(scope.get("path", "")):
        return "the path holds a control character"
    for name, value in parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True):
        if IN_URL.search(name) or IN_URL.search(value):
            return f"query parameter '{IN_URL.sub('?', name)}' holds a control character (such as NUL)"
    return None


async def _refuse(send: Send, status: int, message: str) -> None:
    body = json.dumps({"success": False, "message": message}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def rate_limited(name: str):
    """A route dependency applying the app's rate limit `name` (`create_app` makes them from the settings)."""

    async def check(request: Request) -> None:
        limit = request.app.state.rate_limits.get(name)
        if limit is not None:
            limit.take(request)

    return check


class RateLimit:
    """A token bucket per client address: `rate` requests a second, bursts of `burst`. In memory,
    per process: several API processes each allow as much (a limit per process, documented)."""

    def __init__(self, rate: float, what: str) -> None:
        self.rate, self.burst, self.what = rate, max(1, math.ceil(rate * 2.5)), what
        self._buckets: dict[str, tuple[float, float]] = {}  # client → (tokens, at)
        self._lock = threading.Lock()

    def take(self, request: Request) -> None:
        client = request.client.host if request.client else "unknown"
        now = time.monotonic()
        with self._lock:
            tokens, at = self._buckets.get(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - at) * self.rate)
            if tokens < 1:
                wait = (1 - tokens) / self.rate
                self._buckets[client] = (tokens, now)
                raise RateLimitedError(
                    f"too many {self.what} requests from {client}: at most {self.rate:g} a second "
                    f"(bursts of {self.burst})",
                    retry_after=max(1, math.ceil(wait)),
                )
            self._buckets[client] = (tokens - 1, now)
            if len(self._buckets) > 100_000:  # forget idle clients rather than grow without bound
                self._buckets = {key: value for key, value in self._buckets.items() if now - value[1] < 60}
