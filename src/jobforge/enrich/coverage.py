"""Coverage: for occupations, NOC unit groups and company roles, the share that has each field,
split by the source kind that serves it and by confidence band.

An entity *has* a field when at least one value of it is served: for rated fields, a live value
of the value store (the served one is the highest source kind, as everywhere); for list fields
(tasks, tools …), a row of the release's table. The entity's source kind for the field is the
one that serves most of its values; its band is that of their mean confidence. A role has what
its approved code has, plus what it overrides (then `custom`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, select

from jobforge.provenance.sources import SourceKind
from jobforge.provenance.value_tables import AttributeValue
from jobforge.roles.tables import Role
from jobforge.sources.noc import tables as n
from jobforge.sources.onet import tables as t

BANDS = (("high", 0.8), ("medium", 0.5), ("low", 0.0))
RATED = ("skills", "knowledge", "abilities", "work_activities", "work_context", "education_training_experience",
         "interests", "work_styles", "work_values")  # fmt: skip
OCCUPATION_FIELDS = ("tasks", "core_tasks", "technology_skills", "tools", "alternate_titles", "job_zone", *RATED)
OASIS_CATEGORIES = {"skills": "skills", "knowledge": "knowledges", "abilities": "abilities",
                    "work_activities": "work_activities", "work_context": "work_context",
                    "work_styles": "personal_attributes"}  # fmt: skip
STATEMENT_KINDS = {"main_duties": "main_duty", "employment_requirements": "employment_requirement",
                   "example_titles": "example_title"}  # fmt: skip
NOC_FIELDS = (*OASIS_CATEGORIES, "interests", "main_duties", "employment_requirements", "example_titles",
              "employment_outlook", "onet_mapped")  # fmt: skip
LIST_TABLES: dict[str, Any] = {"tasks": t.TaskStatement, "core_tasks": t.TaskStatement,
                               "technology_skills": t.TechnologySkill, "tools": t.ToolUsed,
                               "alternate_titles": t.AlternateTitle}  # fmt: skip
PRECEDENCE = {kind.value: kind.precedence for kind in SourceKind}


def band(confidence: float) -> str:
    return next(name for name, floor in BANDS if confidence >= floor)


@dataclass
class FieldCoverage:
    covered: int = 0
    by_source: dict[str, int] = field(default_factory=dict)
    by_band: dict[str, int] = field(default_factory=dict)


@dataclass
class KindCoverage:
    total: int
    fields: dict[str, FieldCoverage]

    def share(self, name: str) -> float:
        return self.fields[name].covered / self.total if self.total else 0.0


@dataclass
class CoverageReport:
    kinds: dict[str, KindCoverage]

    def to_json(self) -> dict:
        return {
            kind: {
                "total": cover.total,
                "fields": {
                    name: {
                        "covered": f.covered,
                        "share": round(cover.share(name), 4),
                        "by_source": f.by_source,
                        "by_band": f.by_band,
                    }  # fmt: skip
                    for name, f in cover.fields.items()
                },
            }
            for kind, cover in self.kinds.items()
        }


# entity code → (source kind, mean confidence) for one field
Held = dict[str, tuple[str, float]]


def version(engine: Engine) -> tuple:
    """What coverage depends on, in four cheap reads: every load adds a run, every value written a
    row, every role change (created, approved, overridden, restored, archived) an event."""
    from jobforge.provenance.tables import LoadRun
    from jobforge.roles.tables import RoleEvent

    with engine.connect() as connection:
        return tuple(
            connection.scalar(select(func.max(column)))
            for column in (LoadRun.id, AttributeValue.id, RoleEvent.id, Role.id)
        )


def coverage(engine: Engine) -> CoverageReport:
    with engine.connect() as connection:
        occupations = connection.scalar(select(func.count()).select_from(t.Occupation)) or 0
        held = {name: _occupation_field(connection, name) for name in OCCUPATION_FIELDS}
        groups = connection.scalar(select(func.count()).select_from(n.NocGroup).where(n.NocGroup.level == 5)) or 0
        noc = {name: _noc_field(connection, name) for name in NOC_FIELDS}
        roles, role_held = _roles(connection, held, noc)
    return CoverageReport({
        "occupations": _summary(occupations, held),
        "unit_groups": _summary(groups, noc),
        "roles": _summary(roles, role_held),
    })  # fmt: skip


def _summary(total: int, held: dict[str, Held]) -> KindCoverage:
    fields = {}
    for name, entities in held.items():
        sources = Counter(kind for kind, _ in entities.values())
        bands = Counter(band(confidence) for _, confidence in entities.values())
        fields[name] = FieldCoverage(len(entities), dict(sorted(sources.items())), dict(sorted(bands.items())))
    return KindCoverage(total, fields)


def _majority(rows) -> Held:
    """Per entity, the source kind serving most of its values (ties: the higher), and their mean confidence."""
    counts: dict[str, Counter] = defaultdict(Counter)
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for code, kind, number, mean in rows:
        counts[code][kind] += number
        sums[code][0] += mean * number
        sums[code][1] += number
    return {
        code: (max(kinds, key=lambda k: (kinds[k], PRECEDENCE.get(k, 0))), sums[code][0] / sums[code][1])
        for code, kinds in counts.items()
    }


def _served(connection: Connection, prefix: str, attribute_like: str) -> Held:
    """Served values of entities `prefix:*` whose attribute is LIKE `attribute_like`."""
    v = AttributeValue
    live = and_(v.replaced_at.is_(None), v.entity.like(f"{prefix}:%"), v.attribute.like(attribute_like))
    top = (
        select(v.entity, v.attribute, func.max(v.precedence).label("precedence"))
        .where(live).group_by(v.entity, v.attribute).subquery()
    )  # fmt: skip
    rows = connection.execute(
        select(v.entity, v.source_kind, func.count(), func.avg(v.confidence))
        .join(top, and_(top.c.entity == v.entity, top.c.attribute == v.attribute, top.c.precedence == v.precedence))
        .where(v.replaced_at.is_(None))
        .group_by(v.entity, v.source_kind)
    ).all()  # fmt: skip
    return _majority((entity.split(":", 1)[1], kind, number, float(mean)) for entity, kind, number, mean in rows)


def _rows(connection: Connection, key, table, *where) -> Held:
    query = (
        select(key, table.source_kind, func.count(), func.avg(table.confidence))
        .where(*where)
        .group_by(key, table.source_kind)
    )
    return _majority((code, kind, number, float(mean)) for code, kind, number, mean in connection.execute(query))


def _occupation_field(connection: Connection, name: str) -> Held:
    if name in RATED:
        return _served(connection, "onet", f"{name}/%")
    if name == "job_zone":
        return _served(connection, "onet", "job_zone")
    table = LIST_TABLES[name]
    where = [t.TaskStatement.task_type == "Core"] if name == "core_tasks" else []
    return _rows(connection, table.soc_code, table, *where)


def _noc_field(connection: Connection, name: str) -> Held:
    if name in OASIS_CATEGORIES:
        return _per_unit_group(connection, n.OasisRating, n.OasisRating.category == OASIS_CATEGORIES[name])
    if name == "interests":
        return _per_unit_group(connection, n.OasisInterest)
    if name in STATEMENT_KINDS:
        return _per_unit_group(connection, n.OasisStatement, n.OasisStatement.kind == STATEMENT_KINDS[name])
    groups = select(n.NocGroup.code).where(n.NocGroup.level == 5)
    if name == "employment_outlook":
        c = n.CopsProjection
        return _rows(connection, c.code, c, c.code.in_(groups))
    m = n.NocSocMapping
    return _rows(connection, m.noc_code, m, m.noc_code.in_(groups))


def _per_unit_group(connection: Connection, table, *where) -> Held:
    """Rows of an OaSIS table counted for the unit group of their profile."""
    p = n.OasisProfile
    query = (
        select(p.unit_group, table.source_kind, func.count(), func.avg(table.confidence))
        .join(p, p.profile_code == table.profile_code)
        .where(*where)
        .group_by(p.unit_group, table.source_kind)
    )
    return _majority((code, kind, number, float(mean)) for code, kind, number, mean in connection.execute(query))


def _roles(connection: Connection, onet: dict[str, Held], noc: dict[str, Held]) -> tuple[int, dict[str, Held]]:
    roles = connection.execute(select(Role.id, Role.approved_code).where(Role.status == "active")).all()
    overridden: dict[str, set[str]] = defaultdict(set)
    v = AttributeValue
    for entity, attribute in connection.execute(
        select(v.entity, v.attribute).where(v.replaced_at.is_(None), v.entity.like("role:%"), v.source_kind == "custom")
    ):
        overridden[entity.split(":", 1)[1]].add(attribute.split("/", 1)[0])
    held: dict[str, Held] = {name: {} for name in OCCUPATION_FIELDS}
    for role_id, approved in roles:
        key = str(role_id)
        prefix, _, code = (approved or "").partition(":")
        for name in OCCUPATION_FIELDS:
            if _role_field_custom(name, overridden.get(key, set())):
                held[name][key] = ("custom", 1.0)
            elif prefix == "onet" and code in onet[name]:
                held[name][key] = onet[name][code]
            elif prefix == "noc" and name in noc and code in noc[name]:
                held[name][key] = noc[name][code]
    return len(roles), held


def _role_field_custom(name: str, overridden_prefixes: set[str]) -> bool:
    listed = {"tasks": "tasks", "core_tasks": "tasks", "technology_skills": "technology_skills", "tools": "tools"}
    return listed.get(name, name) in overridden_prefixes
