"""HTTP answers read within bounds, whatever the server does: so many bytes, so many seconds.

httpx's timeouts bound each wait for the next bytes, not the whole answer: a server that sends a
byte a second holds a client for ever. And httpx inflates a compressed body as it is read, so a
few kilobytes of gzip can become gigabytes in memory. A transport sees every answer before the
code that reads it, including code JobForge does not own (the `openai` SDK), so it is where both
are bounded: it asks for bodies as they are (no compression), refuses one sent compressed anyway,
refuses one declared or found larger than the cap, and stops reading one still arriving after the
deadline. Its errors are JobForge's own, so callers report them like any other failure of a source.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator

import httpx2

from jobforge.errors import MalformedResponseError, SourceUnavailableError


class BoundedTransport(httpx2.AsyncBaseTransport):
    """Wraps a transport (by default httpx's own) so that each answer is at most `max_bytes` and
    is received whole within `deadline` seconds of the request (plus at most one read timeout)."""

    def __init__(self, max_bytes: int, deadline: float, inner: httpx2.AsyncBaseTransport | None = None) -> None:
        self.max_bytes = max_bytes
        self.deadline = deadline
        self._inner = inner or httpx2.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        request.headers["Accept-Encoding"] = "identity"
        started = time.monotonic()
        response = await self._inner.handle_async_request(request)
        url = str(request.url)
        try:
            self._refuse_at_once(url, response.headers)
        except MalformedResponseError:
            await response.aclose()
            raise
        body = _BoundedBody(response.stream, url, self.max_bytes, started, self.deadline)
        return httpx2.Response(
            response.status_code, headers=response.headers, stream=body, extensions=response.extensions
        )

    def _refuse_at_once(self, url: str, headers: httpx2.Headers) -> None:
        encoding = headers.get("Content-Encoding", "identity").strip().lower()
        if encoding not in ("", "identity"):
            raise MalformedResponseError(url, f"answered compressed ({encoding}) when asked for the body as it is")
        declared = headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise MalformedResponseError(url, f"answers {int(declared):,} bytes, more than {self.max_bytes:,}")

    async def aclose(self) -> None:
        await self._inner.aclose()


class _BoundedBody(httpx2.AsyncByteStream):
    def __init__(self, stream, url: str, max_bytes: int, started: float, deadline: float) -> None:
        self._stream, self._url, self._max_bytes = stream, url, max_bytes
        self._started, self._deadline = started, deadline

    async def __aiter__(self) -> AsyncIterator[bytes]:
        received = 0
        async for chunk in self._stream:
            received += len(chunk)
            if received > self._max_bytes:
                raise MalformedResponseError(
                    self._url, f"answers more than {self._max_bytes:,} bytes; not read further"
                )
            if time.monotonic() - self._started > self._deadline:
                raise SourceUnavailableError(
                    self._url, f"the answer was still arriving after {self._deadline:g} s; not read further"
                )
            yield chunk

    async def aclose(self) -> None:
        await self._stream.aclose()
