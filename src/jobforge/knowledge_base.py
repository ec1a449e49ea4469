"""The library core: one object per database that every shell (CLI, API, tests) drives."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from importlib.resources import as_file, files
from pathlib import Path
from tempfile import TemporaryDirectory

from sqlalchemy import Engine, func, select

from jobforge.classify import Classification, System, TitleClassifiers
from jobforge.config import Settings
from jobforge.profiles import RatingProfiles
from jobforge.provenance import loads
from jobforge.provenance.store import ValueStore
from jobforge.provenance.value_tables import AttributeValue, OverrideEvent, ValueSource
from jobforge.skill_gap import GapDomain, SkillGap, skill_gap
from jobforge.sources.noc.crosswalk import CrosswalkReport, load_crosswalk
from jobforge.sources.noc.loader import NocLoadReport, load_noc
from jobforge.sources.onet.layouts import data_tables
from jobforge.sources.onet.loader import LoadProgress, load_release
from jobforge.sources.onet.report import LoadReport
from jobforge.sources.onet.web_client import OnetWebClient
from jobforge.sources.tbs.scrape import ScrapeReport, scrape
from jobforge.sources.tbs.site import DEFAULT_BASE_URL
from jobforge.sources.onet.web_fetch import FetchReport, fetch_occupations, occupations_lacking_ratings
from jobforge.store import migrate
from jobforge.store.engine import make_engine
from jobforge.transitions import Transition, transitions

BUNDLED_ONET_SAMPLE = "db_29_3_text_sample.zip"
BUNDLED_CANADA = "noc_2021_canada.zip"


class KnowledgeBase:
    """A JobForge database: schema, loads and queries."""

    def __init__(self, database_url: str, *, settings: Settings | None = None, engine: Engine | None = None) -> None:
        self.database_url = database_url
        self.settings = settings or Settings()
        self.engine = engine or make_engine(database_url)
        self.profiles = RatingProfiles(self.engine)
        self.values = ValueStore(self.engine, self.settings.retention_policy())
        self.classifiers = TitleClassifiers(self.engine)

    def upgrade(self) -> None:
        """Create or migrate the schema to the newest revision."""
        migrate.upgrade(self.engine)

    def schema_is_current(self) -> bool:
        return migrate.current_revision(self.engine) == migrate.head_revision()

    def load_onet(self, path: Path, *, release: str | None = None, allow_downgrade: bool = False,
                  force: bool = False, progress: LoadProgress | None = None) -> LoadReport:
        """Load an O*NET text release (folder or zip); see jobforge.sources.onet.loader."""
        return load_release(self.engine, Path(path), release=release,
                            allow_downgrade=allow_downgrade, force=force, progress=progress)

    def load_bundled_onet_sample(self, progress: LoadProgress | None = None) -> LoadReport:
        """Load the compact real O*NET 29.3 subset shipped inside the package."""
        with as_file(files("jobforge.data") / BUNDLED_ONET_SAMPLE) as path:
            return self.load_onet(path, progress=progress)

    def load_noc(self, folder: Path) -> NocLoadReport:
        """Load NOC 2021 structure, OaSIS and COPS from a folder; see jobforge.sources.noc.loader."""
        return load_noc(self.engine, Path(folder))

    def load_crosswalk(self, path: Path) -> CrosswalkReport:
        """Load the NOC 2021 → O*NET-SOC crosswalk CSV; see jobforge.sources.noc.crosswalk."""
        return load_crosswalk(self.engine, Path(path))

    def load_bundled_canada(self) -> tuple[NocLoadReport, CrosswalkReport]:
        """Load the bundled NOC 2021 / OaSIS 2023 / COPS files and the crosswalk (complete, 1 MB zipped)."""
        with as_file(files("jobforge.data") / BUNDLED_CANADA) as archive, TemporaryDirectory() as folder:
            with zipfile.ZipFile(archive) as bundle:
                bundle.extractall(folder)
            return (self.load_noc(Path(folder) / "noc"),
                    self.load_crosswalk(Path(folder) / "crosswalk" / "noc2021_onet26.csv"))

    def live_onet_release(self) -> str | None:
        with self.engine.connect() as connection:
            live = loads.live_run(connection, "onet")
        return live.release if live is not None else None

    def skill_gap(self, from_code: str, to_code: str, domain: str = "skills") -> SkillGap:
        """See jobforge.skill_gap."""
        return skill_gap(self.profiles, from_code, to_code, GapDomain(domain))

    def transitions(self, from_code: str, k: int = 10) -> list[Transition]:
        """See jobforge.transitions."""
        return transitions(self.profiles, from_code, k)

    def classify(self, titles: list[str], system: str = "onet", k: int = 5,
                 explain: bool = False) -> list[Classification]:
        """Job titles to ranked O*NET-SOC or NOC occupations; see jobforge.classify."""
        return self.classifiers.get(System(system)).classify(titles, k, explain)

    def onet_client(self, *, refresh: bool = False, **options) -> OnetWebClient:
        """A Web Services client for this database's cache; ConfigurationError without a key."""
        return OnetWebClient(self.settings, self.engine, refresh=refresh, **options)

    async def fetch_onet(self, codes: list[str], *, refresh: bool = False, client: OnetWebClient | None = None,
                         on_done: Callable[[str], None] | None = None, **options) -> FetchReport:
        """Fetch occupations local data lacks from O*NET Web Services; see jobforge.sources.onet.web_fetch.
        A long-lived caller (the API) passes its shared `client`; otherwise one is made for the job."""
        if client is not None:
            return await fetch_occupations(client, self.engine, codes, on_done)
        async with self.onet_client(refresh=refresh, **options) as job_client:
            return await fetch_occupations(job_client, self.engine, codes, on_done)

    def scrape_tbs(self, *, languages: tuple[str, ...] = ("en", "fr"), depth: int = 2,
                   base_url: str = DEFAULT_BASE_URL, out_dir: Path | None = None, rate: float = 1.0,
                   transport=None) -> ScrapeReport:
        """Scrape the TBS occupational groups; see jobforge.sources.tbs.scrape."""
        return scrape(self.engine, languages=languages, depth=depth, base_url=base_url, out_dir=out_dir,
                      rate=rate, transport=transport)

    def occupations_lacking_ratings(self) -> list[str]:
        return occupations_lacking_ratings(self.engine)

    def table_counts(self) -> dict[str, int]:
        """Rows per O*NET table, in load order, then per table of the value store."""
        with self.engine.connect() as connection:
            return {
                table.__tablename__: connection.scalar(select(func.count()).select_from(table))
                for table in (*data_tables(), ValueSource, AttributeValue, OverrideEvent)
            }
