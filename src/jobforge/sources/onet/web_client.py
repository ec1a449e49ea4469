"""An async client for O*NET Web Services v2: polite (rate limit, bounded concurrency), robust
(retries with backoff and jitter that honour Retry-After) and thrifty (a persistent cache).

One client is created per fetch job and shared by all its requests (one connection pool). What
the answers mean is decided here, once: 401/403 is a rejected key (never retried: O*NET answers
403 with an HTML page); 404 and 422 mean "no data for this" and come back as None; 429, 5xx and
timeouts are transient and retried; anything else, or a body that is not JSON, is an error
naming the URL.
"""

from __future__ import annotations

import asyncio
import json
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode, urljoin

import httpx2
from aiolimiter import AsyncLimiter
from sqlalchemy import Engine
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, stop_after_attempt

from jobforge import __version__
from jobforge.config import Settings
from jobforge.errors import ApiKeyRejectedError, ConfigurationError, MalformedResponseError, SourceUnavailableError
from jobforge.http_retry import retry_after_seconds
from jobforge.sources.onet.web_cache import ResponseCache

ABSENT_STATUSES = (404, 422)
PAGE_SIZE = 2000


@dataclass
class FetchStats:
    calls: int = 0
    cache_hits: int = 0
    retries: int = 0
    failures: int = 0


@dataclass(frozen=True)
class ApiResponse:
    url: str
    data: dict | list | None
    retrieved_at: datetime
    from_cache: bool


class OnetWebClient:
    """Use as `async with OnetWebClient(...) as client:`."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        *,
        refresh: bool = False,
        max_concurrency: int = 4,
        timeout: float = 15.0,
        attempts: int = 6,
        backoff: float = 0.5,
        transport: httpx2.AsyncBaseTransport | None = None,
    ) -> None:
        if not settings.onet_api_key:
            raise ConfigurationError(
                "no O*NET Web Services key: set ONET_API_KEY (register at services.onetcenter.org)"
            )
        self.base_url = settings.onet_api_base_url.rstrip("/") + "/"
        self.cache = ResponseCache(engine, timedelta(days=settings.onet_api_cache_days))
        self.refresh = refresh
        self.stats = FetchStats()
        self._limiter = AsyncLimiter(settings.onet_api_rate, 1.0)
        self._slots = asyncio.Semaphore(max_concurrency)
        self._attempts = attempts
        self._backoff = backoff
        self._http = httpx2.AsyncClient(
            headers={
                "X-API-Key": settings.onet_api_key,
                "Accept": "application/json",
                "User-Agent": f"JobForge/{__version__}",
            },
            timeout=timeout,
            transport=transport,
            limits=httpx2.Limits(max_connections=max_concurrency, max_keepalive_connections=max_concurrency),
        )

    async def __aenter__(self) -> OnetWebClient:
        return self

    async def __aexit__(self, *_exc) -> None:
        await self._http.aclose()

    def url(self, path: str, params: dict | None = None) -> str:
        """The absolute URL of `path` with `params` in a stable order (the cache key)."""
        query = f"?{urlencode(sorted(params.items()))}" if params else ""
        return urljoin(self.base_url, path.lstrip("/")) + query

    async def get(self, path: str, params: dict | None = None) -> ApiResponse:
        return await self.get_url(self.url(path, params))

    async def get_url(self, url: str) -> ApiResponse:
        if not self.refresh:
            cached = self.cache.get(url)
            if cached is not None:
                self.stats.cache_hits += 1
                status, body, fetched_at = cached
                return ApiResponse(url, None if status in ABSENT_STATUSES else json.loads(body), fetched_at, True)
        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(self._attempts),
                wait=self._wait,
                retry=retry_if_exception_type(SourceUnavailableError),
                before_sleep=self._count_retry,
                reraise=True,
            ):
                with attempt:
                    status, body = await self._request(url)
        except Exception:
            self.stats.failures += 1
            raise
        data = None if status in ABSENT_STATUSES else _json(url, body)
        return ApiResponse(url, data, self.cache.put(url, status, body), False)

    async def pages(self, path: str, params: dict, key: str) -> list[ApiResponse]:
        """Every page of a listing, following `next` (start/end/total paging)."""
        first = await self.get(path, {**params, "start": 1, "end": PAGE_SIZE})
        pages = [first]
        while isinstance(pages[-1].data, dict) and pages[-1].data.get("next"):
            pages.append(await self.get_url(pages[-1].data["next"]))
        for page in pages:
            if page.data is not None and not isinstance(page.data.get(key, []), list):
                raise MalformedResponseError(page.url, f"'{key}' is not a list")
        return pages

    async def _request(self, url: str) -> tuple[int, str]:
        async with self._slots, self._limiter:
            self.stats.calls += 1
            try:
                response = await self._http.get(url)
            except httpx2.TimeoutException:
                raise SourceUnavailableError(url, "timed out") from None
            except httpx2.TransportError as error:
                raise SourceUnavailableError(url, f"connection failed ({error})") from None
        status = response.status_code
        if status in (401, 403):
            raise ApiKeyRejectedError(
                f"O*NET Web Services rejected the API key (HTTP {status}) for {url}; check ONET_API_KEY"
            )
        if status == 429 or status >= 500:
            raise SourceUnavailableError(
                url, f"HTTP {status}", retry_after_seconds(response.headers.get("Retry-After"))
            )
        if status != 200 and status not in ABSENT_STATUSES:
            raise MalformedResponseError(url, f"unexpected HTTP {status}: {response.text[:200]}")
        return status, response.text

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, SourceUnavailableError) and error.retry_after is not None:
            return error.retry_after
        exponential = self._backoff * 2 ** (state.attempt_number - 1)
        return min(30.0, exponential) * random.uniform(0.5, 1.0)

    def _count_retry(self, _state: RetryCallState) -> None:
        self.stats.retries += 1


def _json(url: str, body: str) -> dict | list:
    try:
        return json.loads(body)
    except json.JSONDecodeError as error:
        raise MalformedResponseError(url, f"the body is not JSON ({error.msg} at character {error.pos})") from None
