"""An answer with no Content-Length is still bounded as it arrives (the real-server tests of the
LLM and O*NET clients cover declared sizes, compression and slow answers)."""

from __future__ import annotations

import asyncio

import httpx2
import pytest

from jobforge.bounded_http import BoundedTransport
from jobforge.errors import MalformedResponseError


async def _chunks(count: int):
    for _ in range(count):
        yield b"x" * 1000


def _get(chunks: int) -> httpx2.Response:
    inner = httpx2.MockTransport(lambda request: httpx2.Response(200, content=_chunks(chunks)))

    async def get() -> httpx2.Response:
        async with httpx2.AsyncClient(transport=BoundedTransport(5_000, 60.0, inner)) as client:
            return await client.get("http://127.0.0.1/answer")

    return asyncio.run(get())


def test_a_streamed_answer_within_the_cap_is_read_whole():
    assert len(_get(5).content) == 5_000


def test_a_streamed_answer_beyond_the_cap_stops_being_read_there():
    with pytest.raises(MalformedResponseError, match="http://127.0.0.1/answer: .*more than 5,000 bytes; not read"):
        _get(1_000_000)
