"""The library core: one object per database that every shell (CLI, API, tests) drives.

Each capability is one sub-object (`kb.onet`, `kb.canada`, `kb.occupations`, `kb.careers`,
`kb.values`, `kb.classify`, `kb.impute`, `kb.roles`, `kb.enrich`, `kb.tbs`); the shells call only those. Each is made, and its modules
imported, on first use: a CLI command pays only for what it asks (the title coder's scientific
stack, the TBS scraper's HTML parser and the API's web framework stay unloaded otherwise).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Engine, func, select

from jobforge.config import Settings, read_settings
from jobforge.store import migrate
from jobforge.store.engine import make_engine

if TYPE_CHECKING:
    from jobforge.canada.service import Canada
    from jobforge.careers.service import Careers
    from jobforge.classify import TitleClassifiers
    from jobforge.enrich.service import Enrichment
    from jobforge.impute.service import Impute
    from jobforge.occupations.service import Occupations
    from jobforge.provenance.store import ValueStore
    from jobforge.roles.service import Roles
    from jobforge.sources.onet.service import Onet
    from jobforge.sources.tbs.service import Tbs

T = TypeVar("T")


def always_permitted() -> None:
    """The fetch permit of a caller that may always fetch (the command line, a library user)."""


class KnowledgeBase:
    """A JobForge database: schema, loads and queries."""

    def __init__(self, database_url: str, *, settings: Settings | None = None, engine: Engine | None = None) -> None:
        self.database_url = database_url
        self.settings = settings or read_settings()
        self.engine = engine or make_engine(database_url)

    def upgrade(self) -> None:
        """Create or migrate the schema to the newest revision."""
        migrate.upgrade(self.engine)

    def schema_is_current(self) -> bool:
        return migrate.current_revision(self.engine) == migrate.head_revision()

    @cached_property
    def onet(self) -> Onet:
        from jobforge.sources.onet.service import Onet

        return Onet(self.settings, self.engine)

    @cached_property
    def canada(self) -> Canada:
        from jobforge.canada.service import Canada

        return Canada(self.engine)

    @cached_property
    def occupations(self) -> Occupations:
        from jobforge.occupations.service import Occupations

        return Occupations(self.engine)

    @cached_property
    def careers(self) -> Careers:
        from jobforge.careers.service import Careers

        return Careers(self.engine)

    @cached_property
    def values(self) -> ValueStore:
        from jobforge.provenance.store import ValueStore

        return ValueStore(self.engine, self.settings.retention_policy())

    @cached_property
    def classify(self) -> TitleClassifiers:
        """Job titles to ranked O*NET-SOC or NOC occupations: `kb.classify(titles, system, k, explain)`."""
        from jobforge.classify import TitleClassifiers

        return TitleClassifiers(self.engine, self.index_folder(), self.settings.use_title_embeddings())

    @cached_property
    def impute(self) -> Impute:
        """Estimates for the ratings no source provides: `kb.impute.run(codes, provider=...)`."""
        from jobforge.impute.service import Impute

        return Impute(self.engine, self.settings)

    @cached_property
    def roles(self) -> Roles:
        """Company roles that inherit an approved occupation's data, with overrides, review and tokens."""
        from jobforge.roles.service import Roles

        return Roles(self.engine, lambda *args: self.classify(*args), self.settings)

    @cached_property
    def enrich(self) -> Enrichment:
        """Coverage, and filling what is missing through the durable job queue (`kb.enrich.run`)."""
        from jobforge.enrich.service import Enrichment

        return Enrichment(self)

    @cached_property
    def tbs(self) -> Tbs:
        from jobforge.sources.tbs.service import Tbs

        return Tbs(self.engine)

    async def answer_or_fetch(
        self, codes: list[str], answer: Callable[[], T], permit: Callable[[], None] | None = always_permitted
    ) -> T:
        """`answer()`, fetching from O*NET Web Services the occupations among `codes` that local
        data lacks when it cannot (and a key is set). `permit` is called just before a fetch and
        may refuse it by raising (a rate limit); `None` means this caller may not fetch (the API's
        anonymous reads on a public server, see jobforge.api.deps.OnDemand)."""
        return await self.onet.answer_or_fetch(codes, answer, self.careers.lacks, permit)

    def index_folder(self):
        """Where built title indexes are kept between processes: beside a SQLite file, else none
        (a server database's processes each build theirs once)."""
        from pathlib import Path

        database = self.engine.url.database if self.engine.dialect.name == "sqlite" else None
        if not database or database == ":memory:":
            return None
        return Path(database).with_name(Path(database).name + ".indexes")

    def table_counts(self) -> dict[str, int]:
        """Rows per O*NET table, in load order, then per table of the value store."""
        from jobforge.provenance.value_tables import AttributeValue, OverrideEvent, ValueSource
        from jobforge.sources.onet.layouts import data_tables

        with self.engine.connect() as connection:
            tables: list[Any] = [*data_tables(), ValueSource, AttributeValue, OverrideEvent]
            return {
                table.__tablename__: connection.scalar(select(func.count()).select_from(table)) or 0 for table in tables
            }
