"""`kb.tbs`: scraping the TBS occupational groups and reading the snapshots kept."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

from jobforge.sources.tbs import queries
from jobforge.sources.tbs.queries import TbsGroupView, TbsRunView
from jobforge.sources.tbs.scrape import ScrapeReport, scrape
from jobforge.sources.tbs.site import DEFAULT_BASE_URL


class Tbs:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def scrape(
        self,
        *,
        languages: tuple[str, ...] = ("en", "fr"),
        depth: int = 2,
        base_url: str = DEFAULT_BASE_URL,
        out_dir: Path | None = None,
        rate: float = 1.0,
        transport=None,
    ) -> ScrapeReport:
        """Scrape the TBS occupational groups; see jobforge.sources.tbs.scrape."""
        return scrape(
            self.engine,
            languages=languages,
            depth=depth,
            base_url=base_url,
            out_dir=out_dir,
            rate=rate,
            transport=transport,
        )

    def groups(self, lang: str = "en") -> list[TbsGroupView]:
        return queries.snapshot_groups(self.engine, lang)

    def group(self, code: str, lang: str = "en") -> list[TbsGroupView]:
        return queries.group(self.engine, code, lang)

    def history(self, code: str, lang: str = "en") -> list[dict]:
        return queries.history(self.engine, code, lang)

    def diff(self, lang: str = "en", old: int | None = None, new: int | None = None) -> dict:
        return queries.diff(self.engine, lang, old, new)

    def last_run(self) -> TbsRunView | None:
        return queries.last_run(self.engine)
