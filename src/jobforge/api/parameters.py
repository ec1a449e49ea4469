"""Shared parameter declarations, so every route documents code forms the same way (derived from
the entity registry and the source kinds, never copied from them)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Path, Query

from jobforge.control_characters import IN_URL
from jobforge.entities import NOC, NOC_GROUP_FORM, NOC_GROUP_PATTERN, ONET, PUBLIC_KINDS, ROLE, entity_pattern
from jobforge.errors import InputError
from jobforge.provenance.read import ValueFilter, parse_moment
from jobforge.provenance.sources import SourceKind
from jobforge.roles.models import OCCUPATION_CODE, OCCUPATION_CODE_MEANING

# Documented, not enforced by FastAPI: the library checks the form and says what it expects.
ONET_SOC_SCHEMA = {"pattern": f"^{ONET.pattern}$"}
ENTITY_PATTERN = entity_pattern()
_CHOICES = re.compile(r"\^\(([\w|]+)\)\$")
_CONTROL = IN_URL.pattern[1:-1]
NO_CONTROL_CHARACTERS = f"^[^{_CONTROL}]*$"  # what the limits refuse, in the OpenAPI schema
# Not blank, and no control character; documented only: the library says what is wrong.
WRITTEN = {"pattern": rf"^[^{_CONTROL}]*[^\s{_CONTROL}][^{_CONTROL}]*$"}


def pattern_meaning(pattern: str) -> str | None:
    """What a value failing an enforced `pattern` lacks, in words rather than as the expression."""
    if pattern == OCCUPATION_CODE:
        return OCCUPATION_CODE_MEANING
    if pattern == ENTITY_PATTERN:
        return "is none of: " + "; ".join(f"{kind.called}, {kind.form}" for kind in _KINDS_OF_ENTITY)
    choices = _CHOICES.fullmatch(pattern)
    return f"must be one of {', '.join(choices.group(1).split('|'))}" if choices else None


def occupation_or_role_query(alias: str, meaning: str):
    return Query(
        alias=alias,
        description=f"{meaning}: O*NET-SOC code, {ONET.form}, or a company role, {ROLE.form}",
        examples=["29-1141.00"],
        json_schema_extra={"pattern": f"^({ONET.pattern}|role:{ROLE.pattern})$"},
    )


def soc_path():
    return Path(description=f"O*NET-SOC code, {ONET.form}", examples=["29-1141.00"], json_schema_extra=ONET_SOC_SCHEMA)


def noc_path():
    return Path(
        description=f"NOC 2021 unit group: {NOC.form}",
        examples=["00010"],
        json_schema_extra={"pattern": f"^{NOC.pattern}$"},
    )


def noc_group_path():
    return Path(
        description=f"NOC 2021 group of any level: {NOC_GROUP_FORM}",
        examples=["2123"],
        json_schema_extra={"pattern": f"^{NOC_GROUP_PATTERN}$"},
    )


def entity_query(description: str, **options):
    return Query(
        description=f"{description}: "
        + ", ".join(f"{kind.name} ({kind.form})" for kind in _KINDS_OF_ENTITY)
        + "; the kind's prefix ("
        + ", ".join(f"{kind.prefix}:" for kind in _KINDS_OF_ENTITY)
        + ") is optional",
        pattern=ENTITY_PATTERN,
        **options,
    )


_KINDS_OF_ENTITY = tuple(PUBLIC_KINDS.values())
_KIND = "(" + "|".join(kind.value for kind in SourceKind) + ")"
_SOURCE_KINDS = f"^{_KIND}(,{_KIND})*$"
_KIND_NAMES = ", ".join(kind.value for kind in SourceKind)


async def value_filter(
    source: Annotated[
        list[str] | None,
        Query(
            description=f"Keep only values of these source kinds: {_KIND_NAMES} "
            "(repeat the parameter or separate with commas)",
            json_schema_extra={"items": {"type": "string", "pattern": _SOURCE_KINDS}},
        ),
    ] = None,
    min_confidence: Annotated[
        float | None, Query(ge=0, le=1, description="Keep only values at least this confident")
    ] = None,
    as_of: Annotated[
        str | None,
        Query(
            description="Answer as the store stood at this moment (ISO 8601; without a zone, UTC; a date alone is its first moment, 00:00)",
            json_schema_extra={"format": "date-time"},
        ),
    ] = None,
) -> ValueFilter:
    kinds = None
    if source:
        names = [name.strip() for item in source for name in item.split(",")]
        if "" in names:  # as the documented pattern says: `source=` or `a,,b` names no kind
            raise InputError(f"query parameter 'source': an empty source kind (one of {_KIND_NAMES})")
        unknown = [name for name in names if name not in {kind.value for kind in SourceKind}]
        if unknown:
            raise InputError(
                f"query parameter 'source': unknown source kind {', '.join(unknown)} (one of {_KIND_NAMES})"
            )
        kinds = frozenset(SourceKind(name) for name in names)
    return ValueFilter(sources=kinds, min_confidence=min_confidence, as_of=moment("as_of", as_of))


Filters = Annotated[ValueFilter, Depends(value_filter)]


def moment(name: str, text: str | None) -> datetime | None:
    return parse_moment(text, f"query parameter '{name}'")
