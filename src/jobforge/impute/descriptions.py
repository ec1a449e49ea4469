"""What O*NET says about an occupation besides its ratings, for the imputer to find similar ones.

The 44 rated-nowhere occupations of 29.3 that have tasks (Software Developers among them) also
have their tasks linked to detailed work activities and an interest profile: O*NET's own
vocabulary for what the work is, which words alone only approximate. They also list the
technology (all 44) and tools (24) used, each filed under a UNSPSC commodity, class, family and
segment: what the work uses, in a vocabulary shared across occupations ("Spectrometers" and
"Chromatographs" are both laboratory equipment, which the words do not say). The other 93 have
alternate titles only, and lean on the text and the SOC structure.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from jobforge.sources.onet import tables as t

INTERESTS_SCALE = "OI"  # occupational interest (RIASEC), 1–7


@dataclass
class Descriptions:
    texts: dict[str, str] = field(default_factory=dict)
    activities: dict[str, list[str]] = field(default_factory=dict)  # DWA and IWA ids of its tasks
    interests: dict[str, dict[str, float]] = field(default_factory=dict)  # RIASEC element → OI
    technology: dict[str, list[str]] = field(default_factory=dict)  # UNSPSC codes of its technology
    tools: dict[str, list[str]] = field(default_factory=dict)  # UNSPSC codes of its tools
    text_parts: dict[str, set[str]] = field(default_factory=dict)  # which parts its text has

    def matched_on(self, code: str) -> list[str]:
        """What an occupation can be matched on, so that a rationale names only what it has (93
        of 29.3's unrated occupations have no tasks, work activities, interests or equipment)."""
        parts = self.text_parts.get(code, set())
        found = [
            (TITLE, True), (ALTERNATE_TITLES, ALTERNATE_TITLES in parts), (DESCRIPTION, DESCRIPTION in parts),
            (TASKS, TASKS in parts), ("work activities", code in self.activities), ("interests", code in self.interests),
            (TECHNOLOGY, TECHNOLOGY in parts or code in self.technology), ("tools", code in self.tools),
        ]  # fmt: skip
        return [name for name, present in found if present]


TITLE, ALTERNATE_TITLES, DESCRIPTION, TASKS, TECHNOLOGY = (
    "title",
    "alternate titles",
    "description",
    "tasks",
    "technology",
)


def read_descriptions(connection: Connection) -> Descriptions:
    texts, text_parts = _texts(connection)
    return Descriptions(
        texts,
        _activities(connection),
        _interests(connection),
        _commodities(connection, t.TechnologySkill),
        _commodities(connection, t.ToolUsed),
        text_parts,
    )


def _texts(connection: Connection) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Per O*NET-SOC code: its title three times (what it is counts most), then its alternate
    titles, description, tasks and technology skills; and which of those it has."""
    parts: dict[str, list[str]] = defaultdict(list)
    present: dict[str, set[str]] = defaultdict(set)
    for code, title, description in connection.execute(
        select(t.Occupation.soc_code, t.Occupation.title, t.Occupation.description)
    ):
        parts[code] += [title, title, title, description]
        if description:
            present[code].add(DESCRIPTION)
    for part, model, column in (
        (ALTERNATE_TITLES, t.AlternateTitle, t.AlternateTitle.title),
        (TASKS, t.TaskStatement, t.TaskStatement.task),
        (TECHNOLOGY, t.TechnologySkill, t.TechnologySkill.example),
    ):
        for code, text in connection.execute(select(model.soc_code, column)):
            parts[code].append(text)
            present[code].add(part)
    return {code: " ".join(texts) for code, texts in parts.items()}, dict(present)


def _activities(connection: Connection) -> dict[str, list[str]]:
    """Each task's detailed work activity and the intermediate one above it, once per task, so an
    activity many of the tasks share weighs more."""
    activities: dict[str, list[str]] = defaultdict(list)
    query = select(t.TaskDwa.soc_code, t.TaskDwa.dwa_id, t.Dwa.iwa_id).join(t.Dwa, t.Dwa.dwa_id == t.TaskDwa.dwa_id)
    for code, dwa, iwa in connection.execute(query.order_by(t.TaskDwa.id)):
        activities[code] += [dwa, iwa]
    return dict(activities)


def _interests(connection: Connection) -> dict[str, dict[str, float]]:
    interests: dict[str, dict[str, float]] = defaultdict(dict)
    query = select(t.OccupationRating.soc_code, t.OccupationRating.element_id, t.OccupationRating.data_value)
    for code, element, value in connection.execute(query.where(t.OccupationRating.scale_id == INTERESTS_SCALE)):
        interests[code][element] = value
    return dict(interests)


def _commodities(connection: Connection, listed: type[t.TechnologySkill] | type[t.ToolUsed]) -> dict[str, list[str]]:
    """Each example's UNSPSC commodity and the class, family and segment above it, so that two
    occupations using different instruments of one kind still share something."""
    commodities: dict[str, list[str]] = defaultdict(list)
    u = t.UnspscCommodity
    query = select(listed.soc_code, u.commodity_code, u.class_code, u.family_code, u.segment_code).join(
        u, u.commodity_code == listed.commodity_code
    )
    for code, commodity, class_, family, segment in connection.execute(query.order_by(listed.id)):
        commodities[code] += [f"commodity {commodity}", f"class {class_}", f"family {family}", f"segment {segment}"]
    return dict(commodities)
