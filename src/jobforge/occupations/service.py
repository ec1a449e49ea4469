"""`kb.occupations`: what the shells ask about O*NET occupations."""

from __future__ import annotations

from sqlalchemy import Engine

from jobforge.occupations import queries
from jobforge.occupations.queries import OccupationPage, OccupationProfile, RelatedOccupation
from jobforge.provenance.read import ValueFilter


class Occupations:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def search(self, q: str | None, limit: int = 20, offset: int = 0) -> OccupationPage:
        return queries.search_occupations(self.engine, q, limit, offset)

    def title(self, code: str) -> str:
        return queries.occupation_title(self.engine, code)

    def profile(self, code: str, value_filter: ValueFilter | None = None) -> OccupationProfile:
        return queries.occupation_profile(self.engine, code, value_filter)

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
