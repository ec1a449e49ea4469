"""Reading values back: the served value under filters, the history of one attribute, the audit.

Every read resolves from the same rows the write path keeps. A value is *live at* a moment when
it had been recorded and not yet replaced; the value served is the live one of the highest
source kind. Filters narrow the rows before that choice, so `source=onet` answers "what does
O*NET say" even where an authoritative value is served, `min_confidence=0.8` falls back to a
lower-precedence value that clears the bar, and `as_of=` replays the rule at a past moment.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import BaseModel, TypeAdapter
from sqlalchemy import Connection, and_, func, or_, select

from jobforge.errors import InputError
from jobforge.provenance.precedence import highest, in_scope
from jobforge.provenance.sources import SourceKind
from jobforge.provenance.value_tables import AttributeValue, OverrideEvent, ValueSource


def parse_moment(text: str | None, where: str) -> datetime | None:
    """An ISO 8601 date or date-time (UTC when it names no zone) given as `where` (a query
    parameter, a CLI option). Parsed here rather than by pydantic, which would also take a bare
    number as seconds since 1970."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"{where}: '{text}' is not an ISO 8601 date or date-time") from None
    try:  # stored in UTC: a zone can carry a moment past year 1 or 9999 there
        return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
    except OverflowError:
        raise InputError(f"{where}: '{text}' is, in UTC, outside the years 1 to 9999") from None


class ValueFilter(BaseModel):
    """Which values a reader accepts; empty means every live value."""

    sources: frozenset[SourceKind] | None = None
    min_confidence: float | None = None
    as_of: datetime | None = None


@dataclass(slots=True)
class Reference:
    """Detailed provenance of one value: where exactly it was read, and how it was made."""

    source_id: int
    method: str
    actor: str
    load_run_id: int | None
    release: str | None
    file_name: str | None
    row: int | None
    url: str | None
    retrieved_at: datetime | None
    model: str | None
    prompt_hash: str | None
    rationale: str | None
    citation: str = ""  # one line a person can follow back to the source, down to the row: derived

    def __post_init__(self) -> None:
        document = self.document()
        self.citation = f"{document}, line {self.row}" if self.row else document

    def cite(self) -> str:
        return self.citation

    def document(self) -> str:
        """The document the value was read from (release file, URL, prompt) or who made it."""
        if self.file_name and self.release:
            return f"O*NET {self.release}, {self.file_name}"
        if self.url:
            return self.url + (f" (retrieved {self.retrieved_at:%Y-%m-%d})" if self.retrieved_at else "")
        if self.model:
            return f"{self.model}, prompt {self.prompt_hash or '?'}"
        return f"{self.method} by {self.actor}"


@dataclass(slots=True)
class StoredValue:
    """A value with its inline provenance (source kind, confidence) and detailed reference.

    Plain dataclasses, not models: a full read builds hundreds of these per request. They are also
    the API's response shape: `VALUES` serializes them (pydantic-core, without validating them again)
    and documents them in OpenAPI, so the record has one definition."""

    id: int
    entity: str
    attribute: str
    value: float | str
    source_kind: SourceKind
    confidence: float
    recorded_at: datetime
    replaced_at: datetime | None
    reference: Reference
    # In an attribute's history: served (what readers get now), candidate (live, below a
    # higher source) or replaced (a newer value of the same source kind took its place).
    status: str | None = None

    def to_json(self) -> dict:
        return VALUE.dump_python(self, mode="json")


VALUE = TypeAdapter(StoredValue)
VALUES = TypeAdapter(list[StoredValue])


class OverrideRecord(BaseModel):
    id: int
    entity: str
    attribute: str
    old_value: str
    new_value: str | None
    old_source_kind: str
    new_source_kind: str | None
    old_confidence: float
    new_confidence: float | None
    occurred_at: datetime
    load_run_id: int | None
    actor: str


_v, _s = AttributeValue, ValueSource
# The value's own columns, then the reference's in the order of Reference's fields.
_COLUMNS = (
    *(_v.id, _v.entity, _v.attribute, _v.value_number, _v.value_text, _v.source_kind, _v.precedence, _v.confidence),
    *(_v.recorded_at, _v.replaced_at, _s.id.label("source_id"), _s.method, _s.actor, _s.load_run_id, _s.release),
    *(_s.file_name, _v.source_row, _s.url, _s.retrieved_at, _s.model, _s.prompt_hash, _v.rationale),
)


def key_starts_with(prefix: str):
    """Attribute keys that start with `prefix`, case counted on every backend: SQLite's LIKE
    ignores ASCII case (so `startswith` found skills/2.A… for skills/2.a there alone)."""
    return func.substr(_v.attribute, 1, len(prefix)) == prefix


def served_values(
    connection: Connection,
    entities: Iterable[str],
    value_filter: ValueFilter | None = None,
    attribute_prefix: str | None = None,
    attributes: Iterable[str] | None = None,
) -> dict[tuple[str, str], StoredValue]:
    """The value served for every attribute of `entities` (only `attributes`, or those starting
    with `attribute_prefix`, when given) that has one under `value_filter`."""
    value_filter = value_filter or ValueFilter()
    query = (
        select(*_COLUMNS)
        .join(_s, _s.id == _v.value_source_id)
        .where(_v.entity.in_(list(entities)), _live_at(value_filter.as_of))
    )
    if attribute_prefix:
        query = query.where(key_starts_with(attribute_prefix))
    if attributes is not None:
        query = query.where(_v.attribute.in_(list(attributes)))
    if value_filter.sources:
        query = query.where(_v.source_kind.in_([kind.value for kind in value_filter.sources]))
    if value_filter.min_confidence is not None:
        query = query.where(_v.confidence >= value_filter.min_confidence)
    best = highest(((row[1], row[2]), row[6], row) for row in connection.execute(query))
    return {key: _stored(row) for key, row in best.items()}


def served_in_scope(
    connection: Connection,
    scope: Sequence[str],
    value_filter: ValueFilter | None = None,
    attribute_prefix: str | None = None,
) -> dict[str, tuple[str, StoredValue]]:
    """Per attribute, the value served for the nearest entity of `scope` (see precedence.in_scope)."""
    return in_scope(served_values(connection, scope, value_filter, attribute_prefix), scope)


def values_by_id(connection: Connection, ids: Iterable[int]) -> list[StoredValue]:
    return [
        _stored(row)
        for row in connection.execute(
            select(*_COLUMNS).join(_s, _s.id == _v.value_source_id).where(_v.id.in_(list(ids))).order_by(_v.id)
        )
    ]


def attribute_history(connection: Connection, entity: str, attribute: str) -> list[StoredValue]:
    """Every value ever recorded for one attribute, oldest first, with what became of it."""
    rows = connection.execute(
        select(*_COLUMNS)
        .join(_s, _s.id == _v.value_source_id)
        .where(_v.entity == entity, _v.attribute == attribute)
        .order_by(_v.recorded_at, _v.id)
    ).all()
    live = highest((attribute, row.precedence, row.id) for row in rows if row.replaced_at is None)
    served = live.get(attribute)
    entries = [_stored(row) for row in rows]
    for entry in entries:
        entry.status = "served" if entry.id == served else "candidate" if entry.replaced_at is None else "replaced"
    return entries


def override_events(
    connection: Connection, since: datetime | None = None, entity: str | None = None, limit: int = 1000
) -> list[OverrideRecord]:
    """Override events, oldest first, optionally since a moment and for one entity."""
    e = OverrideEvent
    query = select(*OverrideEvent.__table__.columns)
    if since is not None:
        query = query.where(e.occurred_at >= since)
    if entity is not None:
        query = query.where(e.entity == entity)
    return [
        OverrideRecord.model_validate(dict(row._mapping))
        for row in connection.execute(query.order_by(e.occurred_at, e.id).limit(limit))
    ]


def _live_at(moment: datetime | None):
    if moment is None:
        return _v.replaced_at.is_(None)
    return and_(_v.recorded_at <= moment, or_(_v.replaced_at.is_(None), _v.replaced_at > moment))


_KINDS = {kind.value: kind for kind in SourceKind}


def _stored(row) -> StoredValue:
    # Positional, in _COLUMNS order: a read builds hundreds of these, and Row attribute lookups
    # by name cost more than the rest of the construction.
    id_, entity, attribute, number, text, kind, _precedence, confidence, recorded_at, replaced_at = row[:10]
    value = number if text is None else text
    reference = Reference(*row[10:])
    return StoredValue(id_, entity, attribute, value, _KINDS[kind], confidence, recorded_at, replaced_at, reference)
