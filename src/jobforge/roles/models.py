"""What the roles capability takes and gives: the API's request and response shapes too."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictFloat,
    StringConstraints,
    Tag,
    TypeAdapter,
    ValidationError,
    field_validator,
)

from jobforge.control_characters import BIDI_CONTROL, IN_TEXT, SURROGATE
from jobforge.entities import NOC, ONET
from jobforge.errors import InputError


def _clean(text: str) -> str:
    """Text a person typed never holds NUL and its kin (PostgreSQL refuses NUL; readers trip on the
    rest), nor half of a UTF-16 surrogate pair, nor a control that reorders what others are shown."""
    for pattern, what, why in (
        (IN_TEXT, "a control character", ""),
        (SURROGATE, "half of a surrogate pair", ""),
        (BIDI_CONTROL, "a bidirectional control character", ", which would reorder how the text is shown"),
    ):
        found = pattern.search(text)
        if found:
            raise ValueError(f"holds {what} (U+{ord(found.group()):04X}) at position {found.start() + 1}{why}")
    return text


Clean = Annotated[str, AfterValidator(_clean)]
# a field's value: a number, a text, or a list (tasks, tools …); strict, so JSON's true is not 1.0
Text = StrictFloat | Clean | list[Clean]


def _kind_of(value: object) -> str | None:
    if isinstance(value, bool):
        return None
    return {int: "number", float: "number", str: "text", list: "list"}.get(type(value))


# The same as typed by a caller: one problem, not one per kind it is not ("should be a valid number;
# … a valid string; … a valid list" for true), and a list's bad item named by its place.
TextIn = Annotated[
    Annotated[StrictFloat, Tag("number")] | Annotated[Clean, Tag("text")] | Annotated[list[Clean], Tag("list")],
    Discriminator(
        _kind_of, custom_error_type="value_kind", custom_error_message="must be a number, a text or a list of texts"
    ),
]
OCCUPATION_CODE = rf"^\s*((onet:)?{ONET.pattern}|(noc:)?{NOC.pattern})\s*$"  # what a role may inherit
# The bounds belong to the text, not to the field: on an optional field pydantic would check them
# after the union and say "Value should have at most 120 items" of a family's name.
Title = Annotated[str, StringConstraints(min_length=1, max_length=300), AfterValidator(_clean)]
Description = Annotated[str, StringConstraints(max_length=20_000), AfterValidator(_clean)]
GroupName = Annotated[str, StringConstraints(max_length=120), AfterValidator(_clean)]  # a job family, a unit
Level = Annotated[str, StringConstraints(max_length=60), AfterValidator(_clean)]
Code = Annotated[str, StringConstraints(pattern=OCCUPATION_CODE), AfterValidator(_clean)]
RoleId = Annotated[int, Field(ge=1, le=999_999_999, strict=True)]  # not true for 1
OCCUPATION_CODE_MEANING = (
    f"is neither an O*NET-SOC code, {ONET.form}, nor a NOC unit group, {NOC.form} (onet: or noc: before it is optional)"
)


class _Grouped(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("family", "unit", "level", check_fields=False)
    @classmethod
    def _blank_is_none(cls, text: str | None) -> str | None:
        """A blank family, unit or level is none: stored as '', it was a second 'none' that a
        search for the roles of a family told apart from the first."""
        return text or None


class RoleIn(_Grouped):
    title: Title
    description: Description = ""
    family: GroupName | None = Field(default=None, description="Job family.")
    unit: GroupName | None = Field(default=None, description="Organisation unit.")
    level: Level | None = None
    language: Literal["en", "fr"] = "en"
    initial_code: Code | None = Field(
        default=None, description="An O*NET-SOC code or NOC unit group, optionally prefixed onet:/noc:."
    )


class RoleUpdate(_Grouped):
    """The fields to change (title, description and language may be left out, not nulled; family,
    unit and level may be nulled); `version` must be the role's current one (no lost update)."""

    version: int = Field(ge=1, strict=True)
    title: Title | None = None
    description: Description | None = None
    family: GroupName | None = None
    unit: GroupName | None = None
    level: Level | None = None
    language: Literal["en", "fr"] | None = None


class RoleRecord(BaseModel):
    id: int
    organisation: str
    title: str
    description: str
    family: str | None
    unit: str | None
    level: str | None
    language: str
    initial_code: str | None
    approved_code: str | None
    status: str
    version: int
    created_at: datetime
    updated_at: datetime


class RolePage(BaseModel):
    total: int
    limit: int
    offset: int
    roles: list[RoleRecord]


class Suggestion(BaseModel):
    id: int
    role_id: int
    code: str
    title: str | None
    score: float | None
    method: str
    evidence: str
    status: str
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    reason: str | None


@dataclass(slots=True)
class ResolvedField:
    """One field of a role: its value, whether it is the role's own or inherited, and from where.

    A plain dataclass, as `StoredValue` is: a role read builds hundreds; `RESOLVED` serializes them."""

    attribute: str
    value: Text
    status: Literal["custom", "inherited"]
    source_kind: str
    confidence: float
    inherited_from: str | None  # the entity it is inherited from (for a custom field: the one it overrides)
    citation: str
    default: Text | None = None  # custom only: what would be inherited now
    update_available: bool = False  # custom only: the upstream value changed since the override
    upstream_then: str | None = None  # custom only: the upstream value when it was overridden


@dataclass(slots=True)
class ResolvedRole:
    role: RoleRecord
    fields: list[ResolvedField]


RESOLVED = TypeAdapter(ResolvedRole)


class DiffEntry(BaseModel):
    attribute: str
    custom: Text
    default: Text | None
    upstream_then: str | None
    update_available: bool
    author: str
    reason: str


class RoleEventOut(BaseModel):
    id: int
    role_id: int | None
    kind: str
    actor: str
    occurred_at: datetime
    detail: dict


class OverrideIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: TextIn
    reason: Clean = Field(min_length=1, max_length=2000)


class BulkOverrideIn(OverrideIn):
    role_ids: list[RoleId] = Field(min_length=1, max_length=10_000)
    attribute: Clean = Field(min_length=1, max_length=120)


class CopyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    to: list[RoleId] = Field(min_length=1, max_length=10_000)
    attributes: list[Clean] | None = Field(default=None, max_length=1000, description="Only these; all when absent.")
    reason: Clean = Field(default="copied", max_length=2000)


class Decision(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Clean = Field(default="", max_length=2000)


class ProposedCode(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: Code | None = Field(default=None, description="A person's proposal; absent: ask the title coder.")
    reason: Clean = Field(default="", max_length=2000)


class BulkReport(BaseModel):
    roles: int
    values_written: int
    unchanged: int


MAX_IMPORT = 10_000  # roles made at once, as many as a bulk override reaches
# over HTTP, fewer: a request's work stays bounded (its titles are coded, as POST /classify bounds its own)
MAX_IMPORT_REQUEST = 1_000


class RolesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    roles: list[RoleIn] = Field(min_length=1, max_length=MAX_IMPORT_REQUEST)


class ImportReport(BaseModel):
    created: int
    ids: list[int] = Field(description="The new roles' ids, in the order given.")
    suggestions: int = Field(description="Codes proposed for review: initial codes and the title coder's.")


Model = TypeVar("Model", bound=BaseModel)


def validated(model: type[Model], fields: dict, names: Mapping[str, str] | None = None) -> Model:
    """`model` from what a person typed on the command line or in a form, its problems said as one
    InputError naming each field, as the API's answer names them (not pydantic's traceback), or by
    the name the person typed it under (`names`: field → e.g. the CLI option `--code`)."""
    try:
        return model.model_validate(fields)
    except ValidationError as error:
        raise InputError("; ".join(_problem(issue, names or {}) for issue in error.errors())) from None


def _problem(issue, names: Mapping[str, str]) -> str:
    where = ".".join(names.get(str(part), str(part)) if i == 0 else str(part) for i, part in enumerate(issue["loc"]))
    where = where or "input"
    if issue["type"] == "string_pattern_mismatch" and issue.get("ctx", {}).get("pattern") == OCCUPATION_CODE:
        return f"{where} '{issue['input']}' {OCCUPATION_CODE_MEANING}"
    said = {"missing": "is required", "extra_forbidden": "is unknown here"}.get(issue["type"])
    return f"{where} {said}" if said else f"{where}: {issue['msg'].removeprefix('Value error, ')}"
