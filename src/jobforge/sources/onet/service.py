"""`kb.onet`: loading releases, the Web Services client and fetching, and the on-demand policy.

"Answer, fetching what is missing" lives here, not in a shell, so the CLI and the API answer the
same way: a question that local data cannot answer is asked again after fetching the
occupations it names from O*NET Web Services, when a key is set. A failed fetch keeps its
meaning: a transient upstream failure stays SourceUnavailableError (503, retry later), a
rejected key stays ApiKeyRejectedError, and only "O*NET has no such occupation" is not found.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Collection
from contextlib import asynccontextmanager
from importlib.resources import as_file, files
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import Engine

from jobforge.config import Settings
from jobforge.errors import ErrorKind, JobForgeError, NotFoundError

if TYPE_CHECKING:  # the loader and the Web Services client (httpx2, tenacity) load only when used
    from jobforge.sources.onet.loader import LoadProgress
    from jobforge.sources.onet.report import LoadReport
    from jobforge.sources.onet.web_client import OnetWebClient
    from jobforge.sources.onet.web_fetch import FetchReport

BUNDLED_ONET = "db_29_3_text.zip"
HOW_TO_ENABLE = (
    "set ONET_API_KEY (a free O*NET Web Services key, services.onetcenter.org) to let JobForge "
    "fetch what local data lacks on demand"
)
FETCH_IS_OFF = (
    "this server does not fetch on demand (JOBFORGE_ON_DEMAND_FETCH: auto fetches only while it listens on "
    "loopback; `jobforge onet fetch CODE` fetches from the command line)"
)
T = TypeVar("T")


class Onet:
    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.settings = settings
        self.engine = engine
        self.shared_client: OnetWebClient | None = None  # set while serving()

    def load(
        self,
        path: Path,
        *,
        release: str | None = None,
        allow_downgrade: bool = False,
        force: bool = False,
        allow_missing: Collection[str] = (),
        progress: LoadProgress | None = None,
    ) -> LoadReport:
        """Load an O*NET text release (folder or zip); see jobforge.sources.onet.loader."""
        from jobforge.sources.onet.loader import load_release

        return load_release(
            self.engine,
            Path(path),
            release=release,
            allow_downgrade=allow_downgrade,
            force=force,
            allow_missing=allow_missing,
            progress=progress,
        )

    def load_bundled(self, progress: LoadProgress | None = None) -> LoadReport:
        """Load the O*NET 29.3 release shipped inside the package (every file the project holds)."""
        with as_file(files("jobforge.data") / BUNDLED_ONET) as path:
            return self.load(path, progress=progress)

    def live_release(self) -> str | None:
        from jobforge.provenance import loads

        with self.engine.connect() as connection:
            live = loads.live_run(connection, "onet")
        return live.release if live is not None else None

    def lacking_ratings(self) -> list[str]:
        from jobforge.sources.onet.web_fetch import occupations_lacking_ratings

        return occupations_lacking_ratings(self.engine)

    def client(self, *, refresh: bool = False, **options) -> OnetWebClient:
        """A Web Services client for this database's cache; ConfigurationError without a key."""
        from jobforge.sources.onet.web_client import OnetWebClient

        return OnetWebClient(self.settings, self.engine, refresh=refresh, **options)

    @asynccontextmanager
    async def serving(self) -> AsyncIterator[None]:
        """One client shared by every fetch while a long-lived process (the API) runs."""
        if not self.settings.onet_api_key:
            yield
            return
        async with self.client() as client:
            self.shared_client = client
            try:
                yield
            finally:
                self.shared_client = None

    async def fetch(
        self, codes: list[str], *, refresh: bool = False, on_done: Callable[[str], None] | None = None, **options
    ) -> FetchReport:
        """Fetch occupations from O*NET Web Services; see jobforge.sources.onet.web_fetch."""
        from jobforge.sources.onet.web_fetch import fetch_occupations

        if self.shared_client is not None and not refresh and not options:
            return await fetch_occupations(self.shared_client, self.engine, codes, on_done)
        async with self.client(refresh=refresh, **options) as job_client:
            return await fetch_occupations(job_client, self.engine, codes, on_done)

    async def answer_or_fetch(
        self,
        codes: list[str],
        answer: Callable[[], T],
        lacks: Callable[[str], bool],
        permit: Callable[[], None] | None,
    ) -> T:
        """`answer()`; if local data lacks what it needs, fetch the `codes` that `lacks` and answer
        again. `permit` is asked first, just before a fetch (it raises to refuse: a rate limit);
        None means this caller may not fetch at all (a public server's anonymous reads)."""
        try:
            return answer()
        except NotFoundError as missing:
            if not self.settings.onet_api_key:
                raise NotFoundError(f"{missing}; local data lacks it: {HOW_TO_ENABLE}") from None
            lacking = [code for code in codes if lacks(code)]
            if not lacking:
                raise
            if permit is None:
                raise NotFoundError(f"{missing}; local data lacks it, and {FETCH_IS_OFF}") from None
            permit()
            report = await self.fetch(lacking)
            if report.errors:
                raise _most_telling(report.errors, str(missing)) from None
            return answer()


# Which failure says most about what to do next, first.
_TELLING = (
    ErrorKind.BAD_UPSTREAM,
    ErrorKind.MISCONFIGURED,
    ErrorKind.UNAVAILABLE,
    ErrorKind.RATE_LIMITED,
    ErrorKind.BAD_INPUT,
    ErrorKind.NOT_FOUND,
    ErrorKind.CONFLICT,
    ErrorKind.UNEXPECTED,
)


def _most_telling(errors: dict[str, JobForgeError], question: str) -> JobForgeError:
    """The failure that says most about what to do (a rejected key before a transient failure before
    "O*NET has no such occupation"), keeping its class, reworded to name the question it stopped."""
    code, error = min(errors.items(), key=lambda item: _TELLING.index(item[1].kind))
    return error.reworded(f"{question}; fetching {code} from O*NET Web Services failed")
