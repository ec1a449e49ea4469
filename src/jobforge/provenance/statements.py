"""What a source states to the write path, who states it, and what the write did with it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from jobforge.provenance.sources import SourceKind

Value = float | str


class Assertion(NamedTuple):
    """One source's statement that `entity`'s `attribute` is `value` (a tuple: a release load
    makes hundreds of thousands of them)."""

    entity: str
    attribute: str
    value: Value
    confidence: float
    source_row: int | None = None
    rationale: str | None = None


@dataclass(frozen=True)
class Source:
    """Who asserts, and the detailed provenance every value of one write shares."""

    kind: SourceKind
    method: str
    actor: str
    load_run_id: int | None = None
    release: str | None = None
    file_name: str | None = None
    url: str | None = None
    retrieved_at: datetime | None = None
    model: str | None = None
    prompt_hash: str | None = None


@dataclass
class WriteReport:
    asserted: int = 0
    unchanged: int = 0
    added: int = 0  # first value of an attribute
    overrides: int = 0  # the served value changed (one override event each)
    candidates: int = 0  # kept below a higher-precedence served value
    retracted: int = 0  # withdrawn by a complete source that no longer asserts them

    def merge(self, other: WriteReport) -> None:
        for name, count in other.__dict__.items():
            setattr(self, name, getattr(self, name) + count)


def value_text(value: Value | None) -> str:
    """A value as events and exports show it (numbers without a trailing .0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
