"""Shared parameter declarations, so every route documents code forms the same way."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Path, Query

from jobforge.errors import InputError
from jobforge.provenance.read import ValueFilter, parse_moment
from jobforge.provenance.sources import SourceKind

# Documented, not enforced by FastAPI: the library checks the form and says what it expects.
ONET_SOC_SCHEMA = {"pattern": r"^\d{2}-\d{4}\.\d{2}$"}


def soc_query(alias: str, meaning: str):
    return Query(alias=alias, description=f"{meaning}: O*NET-SOC code, NN-NNNN.NN",
                 examples=["29-1141.00"], json_schema_extra=ONET_SOC_SCHEMA)


def soc_path():
    return Path(description="O*NET-SOC code, NN-NNNN.NN", examples=["29-1141.00"], json_schema_extra=ONET_SOC_SCHEMA)

_KIND = "(authoritative|onet|imputed)"
_SOURCE_KINDS = f"^{_KIND}(,{_KIND})*$"


async def value_filter(
    source: Annotated[list[str] | None, Query(
        description="Keep only values of these source kinds: authoritative, onet, imputed "
                    "(repeat the parameter or separate with commas)",
        json_schema_extra={"items": {"type": "string", "pattern": _SOURCE_KINDS}})] = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1, description="Keep only values at least this confident")] = None,
    as_of: Annotated[str | None, Query(
        description="Answer as the store stood at this moment (ISO 8601; without a zone, UTC)",
        json_schema_extra={"format": "date-time"})] = None,
) -> ValueFilter:
    kinds = None
    if source:
        names = [name.strip() for item in source for name in item.split(",") if name.strip()]
        allowed = ", ".join(kind.value for kind in SourceKind)
        unknown = [name for name in names if name not in {kind.value for kind in SourceKind}]
        if unknown:
            raise InputError(f"query parameter 'source': unknown source kind {', '.join(unknown)} (one of {allowed})")
        kinds = frozenset(SourceKind(name) for name in names)
    return ValueFilter(sources=kinds, min_confidence=min_confidence, as_of=moment("as_of", as_of))


def moment(name: str, text: str | None) -> datetime | None:
    return parse_moment(text, f"query parameter '{name}'")
