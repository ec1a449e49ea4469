"""Per-field overrides of roles, through the provenance write path, and their undoing.

An override is a value of kind `custom` on the role's own entity. The scope rule serves a
role's own values before anything it inherits, whatever their kinds, so an override beats the
inherited value for that role only and never touches the occupation; `custom` sits above
`authoritative` in the kinds' order only so that, on a role's entity, a person's decision is never
displaced by an estimate written there. Beside the value, `role_override` keeps what it replaced
(the upstream value then, and its source), its author and reason: the baseline that flags
"update available" when the upstream value moves, until someone accepts (the override goes, the
new value shows through) or dismisses (the override stays, the baseline moves).

Every operation takes the roles' rows with `FOR UPDATE` and bumps their version in the same
transaction as the values and events, so concurrent edits take turns and a bulk operation that
fails anywhere applies nothing.
"""

from __future__ import annotations

import difflib
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select, update

from jobforge.entities import ROLE
from jobforge.errors import InputError, NotFoundError
from jobforge.provenance.attributes import TEXT_ATTRIBUTES
from jobforge.provenance.bounds import check_value
from jobforge.provenance.precedence import in_scope
from jobforge.provenance.read import served_values
from jobforge.provenance.sources import SourceKind
from jobforge.provenance.statements import Assertion, Source, WriteReport, value_text
from jobforge.provenance.write import withdraw_values, write_values
from jobforge.roles.models import Text
from jobforge.roles.resolve import LIST_FIELDS, citation, upstream_lists, upstream_scope
from jobforge.roles.tables import UPSTREAM_SOURCE_LENGTH, Role, RoleOverride, objects

METHOD = "role override"
MAX_LIST_ITEMS = 500
FREE_FIELDS = (*TEXT_ATTRIBUTES, "job_zone", *LIST_FIELDS)  # overridable before any code is approved


@dataclass(frozen=True)
class Change:
    role: Role
    attribute: str
    value: Text


def stored(attribute: str, value: Text, where: str) -> float | str:
    """The value as the store keeps it, or InputError saying what is wrong and where."""
    if attribute in LIST_FIELDS:
        if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
            raise InputError(f"{where}: {attribute} takes a list of non-empty texts")
        if len(value) > MAX_LIST_ITEMS:
            raise InputError(f"{where}: {attribute} takes at most {MAX_LIST_ITEMS} items")
        return json.dumps([item.strip() for item in value], ensure_ascii=False)
    if isinstance(value, list):
        raise InputError(f"{where}: {attribute} takes one number or text, not a list")
    if isinstance(value, bool) or (isinstance(value, float) and not math.isfinite(value)):
        raise InputError(f"{where}: {value!r} is not a usable value")
    return float(value) if isinstance(value, int) else value


def from_text(attribute: str, text: str) -> float | str:
    """What a person typed (a form, the command line) as the value kind the field holds: text for a
    title or description ("2024" stays a text), else a number (a decimal comma taken)."""
    if attribute in TEXT_ATTRIBUTES:
        return text.strip()
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        raise InputError(f"{attribute}: '{text[:40]}' is not a number") from None


def apply(connection: Connection, changes: Sequence[Change], reason: str, actor: str, now: datetime) -> WriteReport:
    """Write every change or none: checked first (each error names its position and role), then
    written in one call of the write path, with what each replaced."""
    if not reason.strip():
        raise InputError("an override needs a reason")
    codes = {change.role.approved_code for change in changes if change.role.approved_code}
    upstream = _upstream(connection, codes, {change.attribute for change in changes})
    assertions, baselines = [], []
    for position, change in enumerate(changes, start=1):
        role, attribute = change.role, change.attribute
        where = f"role {role.id}" if len(changes) == 1 else f"change {position} (role {role.id}, {attribute})"
        inherited = upstream.get((role.approved_code or "", attribute))
        if inherited is None and attribute not in FREE_FIELDS:
            raise InputError(f"{where}: {_no_such_field(connection, role.approved_code, attribute)}")
        value = stored(attribute, change.value, where)
        if attribute not in LIST_FIELDS:  # a list is checked item by item, and kept as JSON text
            check_value(connection, attribute, value, where)
        assertions.append(Assertion(ROLE.entity(str(role.id)), attribute, value, 1.0, rationale=reason.strip()))
        baselines.append(
            dict(
                role_id=role.id,
                attribute=attribute,
                upstream_code=role.approved_code,
                upstream_value=inherited[0] if inherited else None,
                upstream_source=_cut(inherited[1], UPSTREAM_SOURCE_LENGTH) if inherited else None,
                author=actor,
                reason=reason.strip(),
                created_at=now,
            )  # fmt: skip
        )
    report = write_values(connection, Source(SourceKind.CUSTOM, METHOD, actor), assertions, now=now)
    for start in range(0, len(baselines), 500):
        part = baselines[start : start + 500]
        for row in part:
            connection.execute(
                delete(RoleOverride).where(
                    RoleOverride.role_id == row["role_id"], RoleOverride.attribute == row["attribute"]
                )
            )
        connection.execute(insert(RoleOverride), part)
    return report


def withdraw(connection: Connection, role: Role, attribute: str, actor: str, now: datetime) -> str:
    """Remove one override; the inherited value shows through again. Returns the removed value."""
    held = objects(connection, select(RoleOverride).where(RoleOverride.role_id == role.id,
                                                          RoleOverride.attribute == attribute))  # fmt: skip
    key = (ROLE.entity(str(role.id)), attribute)
    current = served_values(connection, [key[0]], attributes=[attribute]).get(key)
    if not held and current is None:
        raise NotFoundError(f"role {role.id} does not override {attribute!r}")
    withdraw_values(connection, Source(SourceKind.CUSTOM, METHOD, actor), [key], now=now)
    connection.execute(delete(RoleOverride).where(RoleOverride.role_id == role.id, RoleOverride.attribute == attribute))
    return value_text(current.value) if current else ""


def rebaseline(connection: Connection, role: Role, attribute: str) -> str | None:
    """Dismiss an upstream change: the override stays, its baseline becomes today's upstream value."""
    now_value = _upstream(connection, {role.approved_code} if role.approved_code else set(), {attribute})
    value = now_value.get((role.approved_code or "", attribute))
    done = connection.execute(
        update(RoleOverride)
        .where(RoleOverride.role_id == role.id, RoleOverride.attribute == attribute)
        .values(upstream_value=value[0] if value else None, upstream_code=role.approved_code)
    ).rowcount
    if not done:
        raise NotFoundError(f"role {role.id} does not override {attribute!r}")
    return value[0] if value else None


def custom_values(connection: Connection, role_id: int) -> dict[str, Text]:
    """A role's live overrides, as fields show them."""
    entity = ROLE.entity(str(role_id))
    return {
        attribute: json.loads(value.value) if attribute in LIST_FIELDS and isinstance(value.value, str) else value.value
        for (_, attribute), value in served_values(connection, [entity]).items()
    }


def _no_such_field(connection: Connection, code: str | None, attribute: str) -> str:
    """Why a field cannot be overridden, with the nearest one the role has when it inherits: a
    misspelt key ('Title', 'skills/2.A.1.a') is likelier than a code without the field."""
    if code is None:
        return f"the role inherits no field {attribute!r} (approve a code that has it first)"
    held = [*FREE_FIELDS, *(key for _, key in served_values(connection, upstream_scope(connection, code)))]
    guess = difflib.get_close_matches(attribute, held, n=1)
    return f"the role inherits no field {attribute!r} from {code}" + (f" (did you mean {guess[0]!r}?)" if guess else "")


def _upstream(connection: Connection, codes: set[str], attributes: set[str]) -> dict[tuple[str, str], tuple[str, str]]:
    """(approved code, attribute) → (upstream value as text, its citation), for each code asked."""
    found: dict[tuple[str, str], tuple[str, str]] = {}
    plain = sorted(attributes - set(LIST_FIELDS))
    for code in sorted(codes):
        scope = upstream_scope(connection, code)
        if plain:
            served = served_values(connection, scope, attributes=plain)
            for attribute, (_, value) in in_scope(served, scope).items():
                found[(code, attribute)] = (value_text(value.value), citation(value))
        if attributes & set(LIST_FIELDS):
            for field, (items, cited) in upstream_lists(connection, code).items():
                if field in attributes:
                    found[(code, field)] = (json.dumps(items, ensure_ascii=False), cited)
    return found


def _cut(citation: str, length: int) -> str:
    """A citation kept beside an override, cut to its column: a person's rationale can make it as
    long as they wrote it, and the full one stays with the value it cites."""
    return citation if len(citation) <= length else citation[: length - 1] + "…"
