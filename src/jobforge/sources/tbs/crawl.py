"""Fetching TBS pages politely: same host only, robots.txt respected, a User-Agent, a rate limit,
retries that honour Retry-After, and loud failure on anything unexpected (a redirect loop,
a page that is not HTML, a linked page that is missing)."""

from __future__ import annotations

import hashlib
import time
import urllib.robotparser
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx2
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt

from jobforge import __version__
from jobforge.errors import PageStructureError, SourceUnavailableError
from jobforge.http_retry import retry_after_seconds
from jobforge.sources.tbs.site import USER_AGENT


@dataclass(frozen=True)
class Fetched:
    url: str
    html: str
    sha256: str
    fetched_at: float


class Crawler:
    """A synchronous, polite fetcher for one site."""

    def __init__(
        self,
        base_url: str,
        *,
        rate: float = 1.0,
        attempts: int = 4,
        backoff: float = 0.5,
        timeout: float = 20.0,
        transport: httpx2.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.host = urlsplit(self.base_url).netloc
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.attempts = attempts
        self.backoff = backoff
        self.requests = 0
        self.retries = 0
        self._last = 0.0
        self._http = httpx2.Client(
            headers={"User-Agent": USER_AGENT.format(version=__version__)},
            timeout=timeout,
            follow_redirects=True,
            max_redirects=8,
            transport=transport,
        )
        self._robots = self._load_robots()

    def close(self) -> None:
        self._http.close()

    def absolute(self, path_or_url: str) -> str:
        return urljoin(self.base_url + "/", path_or_url)

    def same_host(self, url: str) -> bool:
        return urlsplit(url).netloc == self.host

    def fetch(self, url: str) -> Fetched:
        """The page at `url` (fragment dropped): HTML, same host, allowed by robots.txt."""
        url = _without_fragment(url)
        if not self.same_host(url):
            raise PageStructureError(url, f"expected a page on {self.host}")
        if self._robots is not None and not self._robots.can_fetch(self._http.headers["User-Agent"], url):
            raise PageStructureError(url, "robots.txt disallows this page")
        for attempt in Retrying(
            stop=stop_after_attempt(self.attempts),
            wait=self._wait,
            reraise=True,
            retry=retry_if_exception_type(SourceUnavailableError),
            before_sleep=self._count,
        ):
            with attempt:
                response = self._get(url)
        if not self.same_host(str(response.url)):
            raise PageStructureError(url, f"redirected off {self.host} to {response.url}")
        if response.status_code != 200:
            raise PageStructureError(url, f"expected the page to exist (HTTP {response.status_code})")
        kind = response.headers.get("content-type", "")
        if "html" not in kind:
            raise PageStructureError(url, f"expected an HTML page, got '{kind or 'no content type'}'")
        return Fetched(url, response.text, hashlib.sha256(response.content).hexdigest(), time.time())

    def _get(self, url: str) -> httpx2.Response:
        wait = self._last + self.interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last = time.monotonic()
        self.requests += 1
        try:
            response = self._http.get(url)
        except httpx2.TooManyRedirects:
            raise PageStructureError(url, "expected a page, found a redirect loop") from None
        except httpx2.TimeoutException:
            raise SourceUnavailableError(url, "timed out") from None
        except httpx2.TransportError as error:
            raise SourceUnavailableError(url, f"connection failed ({error})") from None
        if response.status_code == 429 or response.status_code >= 500:
            raise SourceUnavailableError(
                url, f"HTTP {response.status_code}", retry_after_seconds(response.headers.get("Retry-After"))
            )
        return response

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, SourceUnavailableError) and error.retry_after is not None:
            return error.retry_after
        return self.backoff * 2 ** (state.attempt_number - 1)

    def _count(self, _state: RetryCallState) -> None:
        self.retries += 1

    def _load_robots(self) -> urllib.robotparser.RobotFileParser | None:
        try:
            response = self._http.get(self.base_url + "/robots.txt")
        except httpx2.TransportError:
            return None
        if response.status_code != 200:
            return None  # no robots.txt: everything is allowed
        robots = urllib.robotparser.RobotFileParser()
        robots.parse(response.text.splitlines())
        return robots


def _without_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))
