"""The one write path for attribute values, whatever their source, applying source precedence.

The rule, for one entity's attribute:

* each kind of source (authoritative, O*NET, imputed) has at most one live value; a newer
  value from the same kind replaces it (the old one stays, with `replaced_at` set);
* the value served is the live value of the highest kind, so a value from an equal or higher
  kind than the served one replaces it, and a lower one is kept as a live candidate;
* whenever the served value changes, an override event records old and new value, their
  source kinds and confidences, the time, the run and the actor;
* asserting the value (and confidence) a kind already holds changes nothing, so re-applying a
  whole release writes nothing and keeps each value's first provenance.

Writers lock the entities they touch (`value_entity` rows, in sorted order) before reading the
live values, so two concurrent writers to the same attribute take turns and the second decides
against what the first wrote: no lost update, no two live values of one kind. Everything happens
in the caller's transaction: a failure anywhere in a batch leaves nothing of it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from operator import itemgetter

from sqlalchemy import Connection, exists, func, insert, select, tuple_, update
from sqlalchemy.dialects import postgresql

from jobforge.errors import InputError
from jobforge.provenance.bounds import check_source
from jobforge.provenance.precedence import displaces, served_of
from jobforge.provenance.statements import Assertion, Source, Value, WriteReport, value_text
from jobforge.provenance.value_tables import ATTRIBUTE, ENTITY, AttributeValue, OverrideEvent, ValueEntity, ValueSource
from jobforge.store.bulk import deferred_indexes, prepare_batch, write_batch

ENTITIES_PER_CHUNK = 400
MAX_LISTED_ATTRIBUTES = 500
LARGE_WRITE = 50_000  # new rows above which the table's indexes are rebuilt rather than grown


@dataclass(slots=True)
class _Live:
    id: int
    value: Value
    kind: str
    precedence: int
    confidence: float


@dataclass
class _Plan:
    rows: list[tuple] = field(default_factory=list)
    replaced: list[int] = field(default_factory=list)
    events: list[tuple[tuple[str, str], _Live | None, Assertion]] = field(default_factory=list)


def write_values(
    connection: Connection, source: Source, assertions: Iterable[Assertion], *, now: datetime | None = None
) -> WriteReport:
    """Apply `assertions` from `source` in the caller's transaction; see the module docstring."""
    now = now or datetime.now(UTC)
    check_source(source)
    writer = _Writer(connection, source, now)
    items = list(assertions)
    for assertion in items:  # positions in error messages follow the caller's order
        writer.check(assertion)
    # Entities are locked chunk by chunk and held to commit; taking them in one global order
    # (sorted) is what keeps two large concurrent writes from deadlocking each other.
    items.sort(key=itemgetter(0))
    for chunk in _entity_chunks(items):
        writer.apply(chunk)
    writer.flush()
    return writer.report


def retract_values(
    connection: Connection, source: Source, asserted: set[tuple[str, str]], *, now: datetime | None = None
) -> WriteReport:
    """Withdraw the live values that a complete source (a whole O*NET release, compared by
    `source.method` and kind) holds but no longer asserts: the next live value, if any, is served
    instead, and the change is an override event like any other."""
    now = now or datetime.now(UTC)
    v = AttributeValue
    # Every asserted key now has one live value of this kind; if the kind holds no more live
    # values than that, none can be stale, and the scan below (every live value) is skipped.
    held = connection.scalar(
        select(func.count()).select_from(v).where(v.replaced_at.is_(None), v.source_kind == source.kind.value)
    )
    if held == len(asserted):
        return WriteReport()
    stale = [
        (entity, attribute)
        for entity, attribute in connection.execute(
            select(v.entity, v.attribute)
            .join(ValueSource, ValueSource.id == v.value_source_id)
            .where(v.replaced_at.is_(None), v.source_kind == source.kind.value, ValueSource.method == source.method)
        )
        if (entity, attribute) not in asserted
    ]
    writer = _Writer(connection, source, now)
    for start in range(0, len(stale), 5_000):
        writer.retract(stale[start : start + 5_000])
    return writer.report


def withdraw_values(
    connection: Connection, source: Source, keys: list[tuple[str, str]], *, now: datetime | None = None
) -> WriteReport:
    """Withdraw `source`'s kind's live values of `keys` (entity, attribute) — a person undoing
    their own statement — with an override event for each served value that changes."""
    writer = _Writer(connection, source, now or datetime.now(UTC))
    writer.retract(sorted(keys))
    return writer.report


def apply_release(connection: Connection, source: Source, values_by_file: dict[str, list[Assertion]]) -> WriteReport:
    """Apply a complete release (O*NET, OaSIS): each file's values with a provenance record of
    its own (`source` with that file name), then withdraw what the previous release of the same
    source asserted and this one does not."""
    report = WriteReport()
    asserted: set[tuple[str, str]] = set()
    for file_name, assertions in values_by_file.items():
        report.merge(write_values(connection, replace(source, file_name=file_name), assertions))
        asserted.update((a.entity, a.attribute) for a in assertions)
    report.merge(retract_values(connection, source, asserted))
    return report


class _Writer:
    def __init__(self, connection: Connection, source: Source, now: datetime) -> None:
        self.connection = connection
        self.source = source
        self.now = now
        self.precedence = source.kind.precedence
        self.report = WriteReport()
        self.source_id: int | None = None
        self.pending: list[tuple] = []
        self.pending_events: list[tuple[tuple[str, str], _Live | None, Assertion]] = []
        self.seen: set[tuple[str, str]] = set()
        self.position = 0

    def apply(self, chunk: list[Assertion]) -> None:
        entities = sorted({assertion.entity for assertion in chunk})
        self._lock(entities)
        live = self._live(entities, {assertion.attribute for assertion in chunk})
        plan = self._plan(chunk, live)
        if plan.replaced:
            self.connection.execute(
                update(AttributeValue).where(AttributeValue.id.in_(plan.replaced)).values(replaced_at=self.now)
            )
        self.pending += plan.rows
        self.pending_events += plan.events

    def retract(self, keys: list[tuple[str, str]]) -> None:
        entities = sorted({entity for entity, _ in keys})
        self._lock(entities)
        live = self._live(entities, {attribute for _, attribute in keys})
        withdrawn, events = [], []
        for key in keys:
            held = live.get(key, {})
            mine = held.pop(self.precedence, None)
            if mine is None:
                continue
            withdrawn.append(mine.id)
            successor = served_of(held)
            if successor is None or not displaces(successor.precedence, self.precedence):
                events.append(_event(key, mine, successor, self.source, self.now))
        if withdrawn:
            self.connection.execute(
                update(AttributeValue).where(AttributeValue.id.in_(withdrawn)).values(replaced_at=self.now)
            )
        if events:
            self.connection.execute(insert(OverrideEvent), events)
        self.report.retracted += len(withdrawn)
        self.report.overrides += len(events)

    def flush(self) -> None:
        """Insert the new values in one bulk write and then the events that point at them."""
        if not self.pending:
            return
        source_id = self._source_id()
        columns = dict(
            zip(
                ("entity", "attribute", "value_number", "value_text", "confidence", "source_row", "rationale"),
                map(list, zip(*self.pending)),
            )
        )
        constants = {
            "source_kind": self.source.kind.value,
            "precedence": self.precedence,
            "value_source_id": source_id,
            "recorded_at": _stamp(self.connection, self.now),
        }
        table = AttributeValue.__table__
        backend = self.connection.dialect.name
        large = len(self.pending) > LARGE_WRITE
        while_read = large and self.connection.scalar(select(exists().where(AttributeValue.id.is_not(None))))
        with deferred_indexes(self.connection, [table], while_read=bool(while_read)) if large else nullcontext():
            write_batch(self.connection, prepare_batch(backend, table, columns, constants))
        if self.pending_events:
            self._write_events(source_id)
        self.pending, self.pending_events = [], []

    def check(self, assertion: Assertion) -> None:
        self.position += 1
        entity, attribute, value, confidence = assertion[0], assertion[1], assertion[2], assertion[3]
        # The common case, decided in one expression; anything else takes the explaining path.
        if (
            entity
            and attribute
            and len(entity) <= ENTITY.length
            and len(attribute) <= ATTRIBUTE.length
            and type(confidence) is float
            and 0.0 <= confidence <= 1.0
            and (type(value) is str or (type(value) is float and math.isfinite(value)))
            and (entity, attribute) not in self.seen
        ):
            self.seen.add((entity, attribute))
            return
        self._explain(assertion)

    def _explain(self, assertion: Assertion) -> None:
        """Raise the InputError that says what is wrong with `assertion` (or accept it: an int
        value or confidence is fine, just not on the fast path)."""
        value, confidence = assertion.value, assertion.confidence
        problem = None
        if not assertion.entity or len(assertion.entity) > ENTITY.length:
            problem = f"entity must be 1 to {ENTITY.length} characters"
        elif not assertion.attribute or len(assertion.attribute) > ATTRIBUTE.length:
            problem = f"attribute must be 1 to {ATTRIBUTE.length} characters"
        elif value is None or isinstance(value, bool) or not isinstance(value, (int, float, str)):
            problem = f"a value must be a number or text, not {value!r}"
        elif isinstance(value, float) and not math.isfinite(value):
            problem = f"{value} is not a finite number"
        elif not isinstance(confidence, (int, float)) or not 0.0 <= confidence <= 1.0:
            problem = f"confidence {confidence!r} is outside [0, 1]"
        else:
            key = (assertion.entity, assertion.attribute)
            if key in self.seen:
                problem = "asserted twice in one write"
            self.seen.add(key)
        if problem:
            raise InputError(f"value {self.position} ({assertion.entity!r}, {assertion.attribute!r}): {problem}")

    def _lock(self, entities: list[str]) -> None:
        known = set(
            self.connection.execute(select(ValueEntity.entity).where(ValueEntity.entity.in_(entities))).scalars()
        )
        missing = [{"entity": entity, "writes": 0} for entity in entities if entity not in known]
        if missing:
            self.connection.execute(_insert_ignoring_duplicates(self.connection), missing)
        # SQLite has no row locks; its writers are serialized by the database lock instead.
        self.connection.execute(
            select(ValueEntity.entity)
            .where(ValueEntity.entity.in_(entities))
            .order_by(ValueEntity.entity)
            .with_for_update()
        ).all()

    def _live(self, entities: list[str], attributes: set[str] | None = None) -> dict[tuple[str, str], dict[int, _Live]]:
        """The live values of `entities`, only of `attributes` when they are few enough to list
        (a release file touches a few dozen of an occupation's hundreds of attributes)."""
        v = AttributeValue
        query = select(
            v.id, v.entity, v.attribute, v.value_number, v.value_text, v.source_kind, v.precedence, v.confidence
        ).where(v.entity.in_(entities), v.replaced_at.is_(None))
        if attributes is not None and len(attributes) <= MAX_LISTED_ATTRIBUTES:
            query = query.where(v.attribute.in_(sorted(attributes)))
        live: dict[tuple[str, str], dict[int, _Live]] = {}
        for id_, entity, attribute, number, text, kind, precedence, confidence in self.connection.execute(query):
            live.setdefault((entity, attribute), {})[precedence] = _Live(
                id_, number if text is None else text, kind, precedence, confidence
            )
        return live

    def _plan(self, chunk: list[Assertion], live: dict[tuple[str, str], dict[int, _Live]]) -> _Plan:
        plan = _Plan()
        self.report.asserted += len(chunk)
        if not live:  # nothing held yet for these entities (a first load): every value is new
            plan.rows = [_row(a) for a in chunk]
            self.report.added += len(chunk)
            return plan
        mine = self.precedence
        for assertion in chunk:
            key = (assertion.entity, assertion.attribute)
            held = live.get(key, {})
            same_kind = held.get(mine)
            value = float(assertion.value) if isinstance(assertion.value, int) else assertion.value
            if same_kind is not None and same_kind.value == value and same_kind.confidence == assertion.confidence:
                self.report.unchanged += 1
                continue
            served = served_of(held)
            if same_kind is not None:
                plan.replaced.append(same_kind.id)
            plan.rows.append(_row(assertion))
            if served is None:
                self.report.added += 1
            elif displaces(mine, served.precedence):
                self.report.overrides += 1
                plan.events.append((key, served, assertion))
            else:
                self.report.candidates += 1
        return plan

    def _write_events(self, source_id: int) -> None:
        v = AttributeValue
        keys = [key for key, _, _ in self.pending_events]
        new_ids: dict[tuple[str, str], int] = {}
        for start in range(0, len(keys), 500):
            part = keys[start : start + 500]
            new_ids.update(
                ((entity, attribute), id_)
                for id_, entity, attribute in self.connection.execute(
                    select(v.id, v.entity, v.attribute).where(
                        v.value_source_id == source_id, tuple_(v.entity, v.attribute).in_(part)
                    )
                )
            )
        kind, precedence = self.source.kind.value, self.precedence
        rows = []
        for key, old, assertion in self.pending_events:
            new = _Live(new_ids[key], assertion.value, kind, precedence, float(assertion.confidence))
            rows.append(_event(key, old, new, self.source, self.now))
        self.connection.execute(insert(OverrideEvent), rows)

    def _source_id(self) -> int:
        if self.source_id is None:
            s = self.source
            described = {name: getattr(s, name) for name in _DESCRIBED}
            self.source_id = self.connection.execute(
                insert(ValueSource).values(source_kind=s.kind.value, recorded_at=self.now, **described)
            ).inserted_primary_key[0]
        return self.source_id


# Source fields stored as they are in the value's provenance record.
_DESCRIBED = ("method", "actor", "load_run_id", "release", "file_name", "url", "retrieved_at", "model", "prompt_hash")


def _row(a: Assertion) -> tuple:
    """The new row of an assertion: (entity, attribute, number, text, confidence, source row, rationale)."""
    text = type(a.value) is str
    return a.entity, a.attribute, None if text else float(a.value), a.value if text else None, float(a.confidence), \
        a.source_row, a.rationale  # fmt: skip


def _event(key: tuple[str, str], old: _Live, new: _Live | None, source: Source, now: datetime) -> dict:
    """An override event row; `new` is None when a retraction leaves nothing to serve."""
    return {
        "entity": key[0],
        "attribute": key[1],
        "old_value_id": old.id,
        "new_value_id": new.id if new else None,
        "old_value": value_text(old.value),
        "new_value": value_text(new.value) if new else None,
        "old_source_kind": old.kind,
        "new_source_kind": new.kind if new else None,
        "old_confidence": old.confidence,
        "new_confidence": new.confidence if new else None,
        "occurred_at": now,
        "load_run_id": source.load_run_id,
        "actor": source.actor,
    }


def _entity_chunks(assertions: Iterable[Assertion]) -> Iterator[list[Assertion]]:
    """Assertions (sorted by entity) grouped so that no entity spans two chunks, about
    ENTITIES_PER_CHUNK entities each."""
    chunk: list[Assertion] = []
    entities: set[str] = set()
    for assertion in assertions:
        if assertion.entity not in entities and len(entities) >= ENTITIES_PER_CHUNK:
            yield chunk
            chunk, entities = [], set()
        chunk.append(assertion)
        entities.add(assertion.entity)
    if chunk:
        yield chunk


def _insert_ignoring_duplicates(connection: Connection):
    """An insert into value_entity that another writer may have just made: skipped, not failed."""
    backend = connection.dialect.name
    if backend == "postgresql":
        return postgresql.insert(ValueEntity).on_conflict_do_nothing()
    if backend == "sqlite":
        return insert(ValueEntity).prefix_with("OR IGNORE")
    return insert(ValueEntity).prefix_with("IGNORE")


def _stamp(connection: Connection, moment: datetime) -> str:
    """`moment` as the literal each backend's bulk path stores in a UtcDateTime column."""
    if connection.dialect.name == "postgresql":
        return moment.astimezone(UTC).isoformat()
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
