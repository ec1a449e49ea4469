"""Fetching TBS pages politely: same host only, robots.txt respected, a User-Agent, a rate limit,
retries that honour Retry-After, and loud failure on anything unexpected (a redirect loop,
a page that is not HTML, a linked page that is missing). A page is read up to MAX_PAGE_BYTES and
for at most PAGE_DEADLINE seconds: a server that sends without end, or a byte at a time, cannot
hold the run or its memory.

Redirects are followed by hand, each target checked (same host, allowed by robots.txt) before it
is requested. robots.txt follows RFC 9309: unavailable (4xx) means everything is allowed;
unreachable (5xx, a network failure) means nothing is, so the scrape stops as unavailable.
"""

from __future__ import annotations

import hashlib
import time
import urllib.robotparser
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx2
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

from jobforge import __version__
from jobforge.errors import InputError, PageStructureError, SourceUnavailableError
from jobforge.http_address import address_problem
from jobforge.http_retry import beyond_the_wait, retry_after_seconds, worth_waiting_for
from jobforge.sources.tbs.site import USER_AGENT
from jobforge.sources.tbs.tables import BASE_URL_LENGTH

MAX_REDIRECTS = 8
MAX_PAGE_BYTES = 8 * 1024 * 1024  # the largest real page (the definitions) is about 420 KB
PAGE_DEADLINE = 120.0  # seconds one response may take to arrive whole


@dataclass(frozen=True)
class Fetched:
    url: str
    html: str
    sha256: str
    fetched_at: float


def _site_url(base_url: str) -> str:
    """`base_url` without its trailing slash, refused before any request (and before a run is
    recorded) when it is no site's address, or longer than a run may keep."""
    url = base_url.rstrip("/")
    if problem := address_problem(url):
        raise InputError(f"base URL {base_url[:80]!r}: {problem}")
    if len(url) > BASE_URL_LENGTH:
        raise InputError(f"base URL is {len(url):,} characters; at most {BASE_URL_LENGTH}")
    return url


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
        deadline: float = PAGE_DEADLINE,
        transport: httpx2.BaseTransport | None = None,
    ) -> None:
        if not rate >= 0:  # nan too
            raise InputError(f"rate: {rate} is not a number of requests per second (0 for no limit)")
        self.base_url = _site_url(base_url)
        self.host = urlsplit(self.base_url).netloc
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.attempts = attempts
        self.backoff = backoff
        self.deadline = deadline
        self.requests = 0
        self.retries = 0
        self._last = 0.0
        self._http = httpx2.Client(
            headers={"User-Agent": USER_AGENT.format(version=__version__)},
            timeout=timeout,
            follow_redirects=False,
            transport=transport,
        )
        self._robots: urllib.robotparser.RobotFileParser | None = None
        self._robots_read = False  # on the first fetch, so a failure to read it is that fetch's (and the run's)

    def close(self) -> None:
        self._http.close()

    def absolute(self, path_or_url: str) -> str:
        return urljoin(self.base_url + "/", path_or_url)

    def same_host(self, url: str) -> bool:
        return urlsplit(url).netloc == self.host

    def fetch(self, url: str) -> Fetched:
        """The page at `url` (fragment dropped): HTML, same host, allowed by robots.txt."""
        url = _without_fragment(url)
        self._check(url, url)
        response, seen = self._retrying(url), {url}
        while response.is_redirect:
            target = _without_fragment(urljoin(str(response.url), response.headers.get("location", "")))
            if target in seen or len(seen) > MAX_REDIRECTS:
                raise PageStructureError(url, "expected a page, found a redirect loop")
            self._check(url, target)
            seen.add(target)
            response = self._retrying(target)
        if response.status_code != 200:
            raise PageStructureError(url, f"expected the page to exist (HTTP {response.status_code})")
        kind = response.headers.get("content-type", "")
        if "html" not in kind:
            raise PageStructureError(url, f"expected an HTML page, got '{kind or 'no content type'}'")
        return Fetched(url, response.text, hashlib.sha256(response.content).hexdigest(), time.time())

    def _check(self, asked: str, url: str) -> None:
        """Before requesting `url` (the page asked for, or where it redirects): same host, allowed."""
        if not self.same_host(url):
            raise PageStructureError(
                asked, f"expected a page on {self.host}" + (f", redirected to {url}" if url != asked else "")
            )
        if not self._robots_read:
            self._robots, self._robots_read = self._load_robots(), True
        if self._robots is not None and not self._robots.can_fetch(self._http.headers["User-Agent"], url):
            raise PageStructureError(asked, "robots.txt disallows this page")

    def _retrying(self, url: str) -> httpx2.Response:
        for attempt in Retrying(
            stop=stop_after_attempt(self.attempts),
            wait=self._wait,
            reraise=True,
            retry=retry_if_exception(worth_waiting_for),
            before_sleep=self._count,
        ):
            with attempt:
                return self._get(url)
        raise AssertionError("Retrying(reraise=True) either returns or raises")

    def _get(self, url: str) -> httpx2.Response:
        wait = self._last + self.interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        self._last = time.monotonic()
        self.requests += 1
        try:
            response = self._bounded_get(url)
        except httpx2.TimeoutException:
            raise SourceUnavailableError(url, "timed out") from None
        except httpx2.TransportError as error:
            raise SourceUnavailableError(url, f"connection failed ({error})") from None
        if response.status_code == 429 or response.status_code >= 500:
            asked = retry_after_seconds(response.headers.get("Retry-After"))
            raise SourceUnavailableError(url, f"HTTP {response.status_code}{beyond_the_wait(asked)}", asked)
        return response

    def _bounded_get(self, url: str) -> httpx2.Response:
        """GET `url`, its body read up to MAX_PAGE_BYTES and within the deadline."""
        started = time.monotonic()
        with self._http.stream("GET", url) as streamed:
            declared = streamed.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > MAX_PAGE_BYTES:
                raise PageStructureError(url, f"expected a page under {MAX_PAGE_BYTES:,} bytes, got {int(declared):,}")
            body = bytearray()
            for chunk in streamed.iter_bytes():
                body += chunk
                if len(body) > MAX_PAGE_BYTES:
                    raise PageStructureError(url, f"expected a page under {MAX_PAGE_BYTES:,} bytes; not read further")
                if time.monotonic() - started > self.deadline:
                    raise SourceUnavailableError(url, f"still arriving after {self.deadline:.0f} s; not read further")
        # The body as received, already decompressed: the bound counts what a gzip bomb would expand to.
        headers = [(k, v) for k, v in streamed.headers.multi_items() if k not in ("content-encoding", "content-length")]
        return httpx2.Response(streamed.status_code, headers=headers, content=bytes(body), request=streamed.request)

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, SourceUnavailableError) and error.retry_after is not None:
            return error.retry_after
        return self.backoff * 2 ** (state.attempt_number - 1)

    def _count(self, _state: RetryCallState) -> None:
        self.retries += 1

    def _load_robots(self) -> urllib.robotparser.RobotFileParser | None:
        """None when every page is allowed; SourceUnavailableError when robots.txt cannot be read."""
        url = self.base_url + "/robots.txt"
        try:
            response = self._bounded_get(url)
            for _ in range(5):  # RFC 9309: follow at least five redirects, here on the same host only
                if not response.is_redirect:
                    break
                target = urljoin(url, response.headers.get("location", ""))
                if not self.same_host(target):
                    break
                response = self._bounded_get(target)
        except httpx2.TransportError as error:
            raise SourceUnavailableError(
                url, f"unreachable ({error}); RFC 9309: crawl nothing until it answers"
            ) from None
        if response.status_code >= 500:
            raise SourceUnavailableError(
                url, f"HTTP {response.status_code}; RFC 9309: a server error means crawl nothing until it answers"
            )
        if response.status_code != 200:
            return None  # unavailable (4xx): everything is allowed
        robots = urllib.robotparser.RobotFileParser()
        robots.parse(response.text.splitlines())
        return robots


def _without_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))
