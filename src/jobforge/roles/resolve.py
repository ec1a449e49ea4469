"""A role's fields, resolved at read time: its own values (kind `custom`) first, then its
approved occupation's served values, through the one scope rule (`precedence.in_scope`).

Nothing is copied when a code is approved, so approving one shows its data on the next read, a
new release shows through at once, and an override is the only thing stored per role. Besides
the value store's attributes (title, description, job zone, education, every rating), an O*NET
code gives its lists — core and supplemental tasks, technology skills, tools — as fields of
their own (a JSON list when overridden); a NOC unit group gives its values and those of its
OaSIS profiles, nearest first.
"""

from __future__ import annotations

import json
from collections import defaultdict

from sqlalchemy import Connection, bindparam, null, select

from jobforge.entities import NOC, OASIS, ONET, ROLE, entity_kind
from jobforge.provenance.precedence import in_scope
from jobforge.provenance.read import StoredValue, served_values
from jobforge.provenance.sources import SourceKind
from jobforge.provenance.statements import value_text
from jobforge.provenance.tables import LoadFile, LoadRun
from jobforge.roles.models import ResolvedField, Text
from jobforge.roles.tables import RoleOverride
from jobforge.sources.noc import tables as n
from jobforge.sources.onet import tables as t

LIST_FIELDS = (
    "tasks/core",
    "tasks/supplemental",
    "technology_skills",
    "tools",
    "main_duties",
    "employment_requirements",
)
_STATEMENTS = {"main_duty": "main_duties", "employment_requirement": "employment_requirements"}  # OaSIS kind → field


def upstream_scope(connection: Connection, code: str | None) -> list[str]:
    """The entities a role with approved `code` inherits from, nearest first."""
    if code is None:
        return []
    if entity_kind(code) is NOC:
        unit = NOC.code_of(code)
        profiles = connection.execute(
            select(n.OasisProfile.profile_code)
            .where(n.OasisProfile.profile_code.startswith(f"{unit}."))
            .order_by(n.OasisProfile.profile_code)
        ).scalars()
        return [code, *(OASIS.entity(profile) for profile in profiles)]
    return [code]


def citation(value: StoredValue) -> str:
    """The value's own citation; an override's adds its reason."""
    ref = value.reference
    return (
        f"{ref.citation}: {ref.rationale}" if value.source_kind is SourceKind.CUSTOM and ref.rationale else ref.citation
    )


def shown(attribute: str, value: float | str) -> Text:
    """A stored value as a field shows it: list fields are JSON lists in the store."""
    if attribute in LIST_FIELDS and isinstance(value, str):
        return json.loads(value)
    return value


_LISTS = {
    "tasks": select(t.TaskStatement.task, t.TaskStatement.task_type, t.TaskStatement.load_file_id)
    .where(t.TaskStatement.soc_code == bindparam("soc"))
    .order_by(t.TaskStatement.task_id),
    "technology_skills": select(t.TechnologySkill.example, null(), t.TechnologySkill.load_file_id)
    .where(t.TechnologySkill.soc_code == bindparam("soc"))
    .order_by(t.TechnologySkill.example),
    "tools": select(t.ToolUsed.example, null(), t.ToolUsed.load_file_id)
    .where(t.ToolUsed.soc_code == bindparam("soc"))
    .order_by(t.ToolUsed.example),
}  # fmt: skip  (built once: a role read runs them every time)
_FILES = (
    select(LoadFile.id, LoadFile.file_name, LoadRun.release, LoadRun.source)
    .join(LoadRun, LoadRun.id == LoadFile.load_run_id)
    .where(LoadFile.id.in_(bindparam("ids", expanding=True)))
)
_NOC_LISTS = (
    select(n.OasisStatement.kind, n.OasisStatement.text, n.OasisStatement.load_file_id)
    .where(n.OasisStatement.profile_code == bindparam("profile"), n.OasisStatement.kind.in_(list(_STATEMENTS)))
    .order_by(n.OasisStatement.kind, n.OasisStatement.position)
)
_OVERRIDES = select(RoleOverride.attribute, RoleOverride.upstream_value).where(
    RoleOverride.role_id == bindparam("role")
)


def upstream_lists(connection: Connection, code: str | None) -> dict[str, tuple[list[str], str]]:
    """A code's lists, each with the citation of the file it was loaded from: an O*NET code's
    tasks, technology skills and tools; a NOC unit group's main duties and employment
    requirements (from its first OaSIS profile, NNNNN.00 where there is one)."""
    if code is None:
        return {}
    lists: dict[str, list[str]] = defaultdict(list)
    file_ids: dict[str, int] = {}
    if entity_kind(code) is ONET:
        for name, query in _LISTS.items():
            for text, task_type, file_id in connection.execute(query, {"soc": ONET.code_of(code)}):
                field = (
                    f"tasks/{'supplemental' if task_type == 'Supplemental' else 'core'}" if name == "tasks" else name
                )
                lists[field].append(text)
                file_ids[field] = file_id
    else:
        profiles = upstream_scope(connection, code)[1:2]
        for kind, statement, statement_file in (
            connection.execute(_NOC_LISTS, {"profile": OASIS.code_of(profiles[0])}) if profiles else []
        ):
            if statement:
                lists[_STATEMENTS[kind]].append(statement)
                file_ids[_STATEMENTS[kind]] = statement_file
    files = {
        file_id: f"{'O*NET ' if source == 'onet' else ''}{release}, {file_name}"
        for file_id, file_name, release, source in connection.execute(_FILES, {"ids": sorted(set(file_ids.values()))})
    } if file_ids else {}  # fmt: skip
    return {field: (items, files.get(file_ids[field], "")) for field, items in lists.items()}


def resolve(connection: Connection, role_id: int, approved: str | None) -> list[ResolvedField]:
    """Every field of a role, custom or inherited, with its provenance; custom fields also say
    what they replaced and whether that changed upstream since."""
    own = ROLE.entity(str(role_id))
    scope = [own, *upstream_scope(connection, approved)]
    served = served_values(connection, scope)
    upstream = {attribute: value for attribute, (_, value) in in_scope(served, scope[1:]).items()}
    lists = upstream_lists(connection, approved)
    baselines = {attribute: value for attribute, value in connection.execute(_OVERRIDES, {"role": role_id})}
    fields: dict[str, ResolvedField] = {}
    for attribute, value in upstream.items():
        fields[attribute] = ResolvedField(
            attribute=attribute, value=value.value, status="inherited", source_kind=value.source_kind.value,
            confidence=value.confidence, inherited_from=value.entity, citation=citation(value),
        )  # fmt: skip
    kind = SourceKind.ONET if approved and entity_kind(approved) is ONET else SourceKind.AUTHORITATIVE
    for field, (items, cited) in lists.items():
        fields[field] = ResolvedField(
            attribute=field, value=items, status="inherited", source_kind=kind.value,
            confidence=1.0, inherited_from=approved, citation=cited,
        )  # fmt: skip
    for (entity, attribute), value in served.items():
        if entity != own:
            continue
        default = fields.get(attribute)
        overridden = attribute in baselines
        upstream_then = baselines.get(attribute)
        now = None if default is None else _as_text(default.value)
        fields[attribute] = ResolvedField(
            attribute=attribute, value=shown(attribute, value.value), status="custom",
            source_kind=value.source_kind.value, confidence=value.confidence,
            inherited_from=default.inherited_from if default else None, citation=citation(value),
            default=default.value if default else None, upstream_then=upstream_then,
            update_available=overridden and now != upstream_then,
        )  # fmt: skip
    return [fields[attribute] for attribute in sorted(fields)]


def _as_text(value: Text) -> str:
    """A value as an override's baseline keeps it (lists as JSON)."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value_text(value)
