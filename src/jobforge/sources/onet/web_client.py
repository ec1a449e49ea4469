"""An async client for O*NET Web Services v2: polite (rate limit, bounded concurrency), robust
(retries with backoff and jitter that honour Retry-After) and thrifty (a persistent cache).

One client is created per fetch job and shared by all its requests (one connection pool). What
the answers mean is decided here, once: 401/403 is a rejected key (never retried: O*NET answers
403 with an HTML page); 404 and 422 mean "no data for this" and come back as None; 429, 5xx and
timeouts are transient and retried; anything else, or a body that is not JSON, is an error
naming the URL. Each answer is read within bounds (`bounded_http`): at most MAX_RESPONSE_BYTES,
and whole within the URL's deadline, however slowly the server sends it.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlencode, urljoin, urlsplit

import httpx2
from aiolimiter import AsyncLimiter
from sqlalchemy import Engine
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, stop_after_attempt, stop_after_delay

from jobforge import __version__
from jobforge.bounded_http import BoundedTransport
from jobforge.config import Settings
from jobforge.errors import ApiKeyRejectedError, ConfigurationError, MalformedResponseError, SourceUnavailableError
from jobforge.http_retry import beyond_the_wait, retry_after_seconds, waiting, worth_waiting_for
from jobforge.sources.onet.web_cache import ResponseCache

ABSENT_STATUSES = (404, 422)  # "no data for this" (a listing's 422 is a refused request instead)
PAGE_SIZE = 2000
MAX_PAGES = 100  # 200,000 rows: more than any occupation has in any table
FETCH_DEADLINE = 120.0  # seconds one URL may take, retries included
MAX_RESPONSE_BYTES = 16 * 1024 * 1024
SOC_COLUMN_IDS = ("o_net_soc_code", "onetsoc_code")


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
        deadline: float | None = None,  # seconds one URL may take; FETCH_DEADLINE by default
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
        self._deadline = FETCH_DEADLINE if deadline is None else deadline
        self._origin = _origin(self.base_url)
        self._filter_columns: dict[str, str] = {}
        self._info_lock = asyncio.Lock()
        self._http = httpx2.AsyncClient(
            headers={
                "X-API-Key": settings.onet_api_key,
                "Accept": "application/json",
                "User-Agent": f"JobForge/{__version__}",
            },
            timeout=timeout,
            transport=BoundedTransport(MAX_RESPONSE_BYTES, self._deadline, transport),
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

    async def get_url(self, url: str, *, absent: tuple[int, ...] = ABSENT_STATUSES) -> ApiResponse:
        """The answer at `url` (this client's own origin only), from the cache when fresh. `absent`:
        the statuses that mean "no data for this" here, answered as data None."""
        if _origin(url) != self._origin:
            raise MalformedResponseError(
                url, f"is not on {self.base_url}: not followed (the API key is sent to O*NET Web Services only)"
            )
        if not self.refresh:
            cached = self.cache.get(url)
            if cached is not None:
                self.stats.cache_hits += 1
                status, body, fetched_at = cached
                return ApiResponse(url, None if status in absent else json.loads(body), fetched_at, True)
        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(self._attempts) | stop_after_delay(self._deadline),
                wait=waiting(self._backoff),
                retry=retry_if_exception(worth_waiting_for),
                before_sleep=self._count_retry,
                reraise=True,
            ):
                with attempt:
                    status, body = await self._request(url, absent)
        except Exception:
            self.stats.failures += 1
            raise
        data = None if status in absent else _json(url, body)
        return ApiResponse(url, data, self.cache.put(url, status, body), False)

    async def pages(self, path: str, params: dict, key: str) -> list[ApiResponse]:
        """Every page of a listing, following `next` (start/end/total paging) on this origin only,
        at most MAX_PAGES of them and never the same page twice (a loop is an error, not a wait).
        A 422 here means the request itself was refused (a filter the service does not know)."""
        first = await self.get_url(self.url(path, {**params, "start": 1, "end": PAGE_SIZE}), absent=(404,))
        pages, seen = [first], {first.url}
        while isinstance(pages[-1].data, dict) and pages[-1].data.get("next"):
            following = str(pages[-1].data["next"])
            if following in seen:
                raise MalformedResponseError(pages[-1].url, f"its next page {following} was already read (a loop)")
            if len(pages) >= MAX_PAGES:
                raise MalformedResponseError(first.url, f"has more than {MAX_PAGES} pages; not followed further")
            seen.add(following)
            pages.append(await self.get_url(following, absent=(404,)))
            await asyncio.sleep(0)  # pages served from the cache never wait: let the event loop breathe
        for page in pages:
            if page.data is not None and not isinstance(page.data.get(key, []), list):
                raise MalformedResponseError(page.url, f"'{key}' is not a list")
        return pages

    async def filter_column(self, table: str) -> str:
        """The column of `table` that holds the O*NET-SOC code, as the service's own table
        information names it (cached like any answer), instead of a guess."""
        async with self._info_lock:  # one question per table, however many occupations ask at once
            if table not in self._filter_columns:
                self._filter_columns[table] = await self._soc_column(table)
        return self._filter_columns[table]

    async def _soc_column(self, table: str) -> str:
        info = await self.get(f"database/info/{table}")
        columns = info.data.get("column") if isinstance(info.data, dict) else None
        if not isinstance(columns, list):
            raise MalformedResponseError(info.url, "no 'column' list in the table information")
        for column in columns:
            if isinstance(column, dict) and (
                column.get("title") == "O*NET-SOC Code" or column.get("column_id") in SOC_COLUMN_IDS
            ):
                return str(column["column_id"])
        raise MalformedResponseError(info.url, "no O*NET-SOC Code column in the table information")

    async def _request(self, url: str, absent: tuple[int, ...]) -> tuple[int, str]:
        async with self._slots, self._limiter:
            self.stats.calls += 1
            try:
                response = await self._http.get(url)
            except httpx2.TimeoutException:
                raise SourceUnavailableError(url, "timed out") from None
            except httpx2.TransportError as error:
                raise SourceUnavailableError(url, f"connection failed ({error})") from None
        status, body = response.status_code, response.text
        if status in (401, 403):
            raise ApiKeyRejectedError(
                f"O*NET Web Services rejected the API key (HTTP {status}) for {url}; check ONET_API_KEY"
            )
        if status == 429 or status >= 500:
            wait = retry_after_seconds(response.headers.get("Retry-After"))
            raise SourceUnavailableError(url, f"HTTP {status}{beyond_the_wait(wait)}", wait)
        if status != 200 and status not in absent:
            raise MalformedResponseError(url, f"unexpected HTTP {status}: {body[:200]}")
        return status, body

    def _count_retry(self, _state: RetryCallState) -> None:
        self.stats.retries += 1


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme.lower(), parts.netloc.lower()


def _json(url: str, body: str) -> dict | list:
    try:
        return json.loads(body)
    except json.JSONDecodeError as error:
        raise MalformedResponseError(url, f"the body is not JSON ({error.msg} at character {error.pos})") from None
    except RecursionError:  # Python's parser gives up a few thousand levels down; no answer of O*NET's is 5 deep
        raise MalformedResponseError(url, "the body is JSON nested too deep to read") from None
