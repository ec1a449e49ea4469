"""What an O*NET release file asserts about occupations, as values for the provenance write path.

Occupation titles, descriptions, job zones and every rating are values of the occupation
entity `onet:<O*NET-SOC code>`; a rating's attribute is `domain/element/scale`, with
`/category` for categorical scales (`skills/2.A.1.a/LV`, `education_training_experience/2.D.1/RL/3`).
The rest of a release (tasks, technology, reference tables) is kept in its own tables with
row-level provenance; it describes rather than rates, and has no competing source to override it.
"""

from __future__ import annotations

from collections.abc import Iterator

from jobforge.entities import ONET
from jobforge.provenance.attributes import AttributeKey
from jobforge.provenance.statements import Assertion
from jobforge.sources.onet import tables as t
from jobforge.sources.onet.layouts import FileLayout

RELEASE_FILE = "O*NET release file"


def asserts_values(layout: FileLayout) -> bool:
    return layout.table in (t.OccupationRating, t.Occupation, t.JobZone)


def file_assertions(
    layout: FileLayout, columns: dict[str, list], confidences: list[float], first_line: int
) -> Iterator[Assertion]:
    """The values one parsed batch of `layout` asserts (`first_line` numbers the batch's first row)."""
    entities = [ONET.entity(soc) for soc in columns["soc_code"]]
    lines = range(first_line, first_line + len(entities))
    if layout.table is t.OccupationRating:
        domain = str(layout.fixed["domain"])
        categories = columns.get("category") or [None] * len(entities)
        for entity, element, scale, category, value, confidence, line in zip(
            entities, columns["element_id"], columns["scale_id"], categories, columns["data_value"], confidences, lines
        ):
            yield Assertion(entity, AttributeKey.rating(domain, element, scale, category), value, confidence, line)
    elif layout.table is t.Occupation:
        for entity, title, description, confidence, line in zip(
            entities, columns["title"], columns["description"], confidences, lines
        ):
            yield Assertion(entity, "title", title, confidence, line)
            yield Assertion(entity, "description", description, confidence, line)
    elif layout.table is t.JobZone:
        for entity, zone, confidence, line in zip(entities, columns["job_zone"], confidences, lines):
            yield Assertion(entity, "job_zone", float(zone), confidence, line)
