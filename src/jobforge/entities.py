"""The kinds of entity a value can describe, each defined once: prefix, code form, display name and
the table that says whether one exists.

A value-store entity is a code prefixed with its kind (`onet:15-1252.00`, `noc:21232`,
`oasis:21231.01`). The value store, the API's parameter patterns, the profiles and the export
all derive from `KINDS`, so a new kind (a company role) is one registration here. The existence
check names its table and key column as text: this module sits below the sources that define those
tables and must not import them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, column, exists, select, table

from jobforge.errors import InvalidCodeError, NotFoundError


@dataclass(frozen=True)
class EntityKind:
    prefix: str  # "onet", as written before the colon
    name: str  # what a person calls one: "occupation"
    pattern: str  # the code's form as a regular expression (no anchors; [0-9], since \d also takes "١٥")
    form: str  # the form in words, for error messages and API docs
    table: str  # where a loaded one is listed ...
    key: str  # ... under this column
    called: str  # how a message asks for one: "an O*NET-SOC code"
    loaded_from: str = "the loaded data"
    public: bool = True  # readable by anyone, and named by a bare code; a role is neither

    def check(self, code: str, what: str | None = None) -> str:
        """`code` stripped, if it has this kind's form; else InvalidCodeError naming the form."""
        cleaned = code.strip()
        if not re.fullmatch(self.pattern, cleaned):
            raise InvalidCodeError(f"{what or self.name + ' code'} '{code}' is not of the form {self.form}")
        return cleaned

    def entity(self, code: str) -> str:
        """The value-store entity of an already checked code."""
        return f"{self.prefix}:{code}"

    def code_of(self, entity: str) -> str:
        return entity[len(self.prefix) + 1 :]

    def matches(self, code: str) -> bool:
        return re.fullmatch(self.pattern, code) is not None

    def exists(self, connection: Connection, code: str) -> bool:
        listed = table(self.table, column(self.key))
        key = int(code) if self.pattern == ROLE_ID else code  # a role's key is its integer id
        return bool(connection.scalar(select(exists().where(listed.c[self.key] == key))))

    def require(self, connection: Connection, code: str) -> None:
        """NotFoundError unless the loaded data lists `code`."""
        if not self.exists(connection, code):
            raise NotFoundError(f"no {self.name} {code} in {self.loaded_from}")


ONET = EntityKind(
    "onet",
    "occupation",
    r"[0-9]{2}-[0-9]{4}\.[0-9]{2}",
    "NN-NNNN.NN (e.g. 15-1252.00)",
    "occupation",
    "soc_code",
    "an O*NET-SOC code",
    "the loaded O*NET data",
)
NOC = EntityKind(
    "noc",
    "NOC unit group",
    r"[0-9]{5}",
    "five digits, leading zeros kept (e.g. 00010)",
    "noc_group",
    "code",
    "a NOC unit group",
)
# A NOC group of any level, from a broad category to a unit group: the code's length is its level.
NOC_GROUP_PATTERN = r"[0-9]{1,5}"
NOC_GROUP_FORM = "one to five digits, leading zeros kept (a broad category 2, a major group 21 … a unit group 21232)"
OASIS = EntityKind(
    "oasis",
    "OaSIS profile",
    r"[0-9]{5}\.[0-9]{2}",
    "NNNNN.NN (e.g. 21231.01)",
    "oasis_profile",
    "profile_code",
    "an OaSIS profile",
)

ROLE_ID = r"[1-9][0-9]{0,8}"
ROLE = EntityKind(
    "role",
    "company role",
    ROLE_ID,
    "role:N (e.g. role:42)",
    "company_role",
    "id",
    "a company role",
    "this organisation's roles",
    public=False,
)

KINDS: dict[str, EntityKind] = {kind.prefix: kind for kind in (ONET, NOC, OASIS, ROLE)}
PUBLIC_KINDS: dict[str, EntityKind] = {prefix: kind for prefix, kind in KINDS.items() if kind.public}


def entity_kind(entity: str) -> EntityKind:
    """The kind of a prefixed entity."""
    return KINDS[entity.partition(":")[0]]


def value_entity(code: str) -> str:
    """The entity a code names: a prefixed code is checked against its kind's form and kept; a bare
    code takes the first kind whose form it has."""
    cleaned = code.strip()
    prefix, colon, rest = cleaned.partition(":")
    if colon and prefix in KINDS:
        kind = KINDS[prefix]
        return kind.entity(kind.check(rest))
    for kind in PUBLIC_KINDS.values():
        if kind.matches(cleaned):
            return kind.entity(cleaned)
    forms = ", ".join(f"{kind.called} ({kind.form})" for kind in PUBLIC_KINDS.values())
    raise InvalidCodeError(
        f"'{code}' names no entity: give {forms}, optionally prefixed "
        + ", ".join(f"{prefix}:" for prefix in PUBLIC_KINDS)
    )


def entity_pattern() -> str:
    """A JSON Schema pattern for a public entity parameter: any public kind's code, its prefix optional."""
    return "|".join(f"^({kind.prefix}:)?{kind.pattern}$" for kind in PUBLIC_KINDS.values())


def onet_soc(code: str, what: str = "O*NET-SOC code") -> str:
    return ONET.check(code, what)


def noc_unit_group(code: str) -> str:
    return NOC.check(code, "NOC code")
