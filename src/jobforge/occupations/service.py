"""`kb.occupations`: what the shells ask about O*NET occupations."""

from __future__ import annotations

from sqlalchemy import Engine

from jobforge.entities import onet_soc
from jobforge.long_lived import AnswersAtVersion
from jobforge.occupations import queries
from jobforge.occupations.queries import OccupationProfile, RelatedOccupation
from jobforge.occupations.search import OccupationPage, search_occupations
from jobforge.provenance.read import ValueFilter
from jobforge.provenance.version import data_version

PROFILES_KEPT = 64  # ~0.5 MB each on a full release


class Occupations:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._profiles: AnswersAtVersion[OccupationProfile] = AnswersAtVersion(PROFILES_KEPT)

    def search(self, q: str | None, limit: int = 20, offset: int = 0) -> OccupationPage:
        return search_occupations(self.engine, q, limit, offset)

    def title(self, code: str) -> str:
        return queries.occupation_title(self.engine, code)

    def profile(self, code: str, value_filter: ValueFilter | None = None) -> OccupationProfile:
        """Kept while the data does not change (a profile is a dozen queries and hundreds of
        values; the version check is one round trip). One as of a past moment is not kept."""
        value_filter = value_filter or ValueFilter()
        if value_filter.as_of is not None:
            return queries.occupation_profile(self.engine, code, value_filter)
        with self.engine.connect() as connection:
            version = data_version(connection)
        key = (onet_soc(code), value_filter.sources, value_filter.min_confidence)
        return self._profiles.get(version, key, lambda: queries.occupation_profile(self.engine, code, value_filter))

    def related(self, code: str) -> list[RelatedOccupation]:
        return queries.related_occupations(self.engine, code)

    def codes(self) -> list[str]:
        from sqlalchemy import select

        from jobforge.sources.onet.tables import Occupation

        with self.engine.connect() as connection:
            return list(connection.scalars(select(Occupation.soc_code).order_by(Occupation.soc_code)))

    def element_names(self) -> dict[str, str]:
        """Content-model element id → name ('2.A.1.a' → 'Reading Comprehension'), for showing
        attribute keys such as skills/2.A.1.a/LV to people."""
        from sqlalchemy import select

        from jobforge.sources.onet.tables import ContentElement

        with self.engine.connect() as connection:
            return {
                row[0]: row[1] for row in connection.execute(select(ContentElement.element_id, ContentElement.name))
            }
