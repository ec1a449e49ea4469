"""The value store: every value any source asserted about an entity's attribute, kept.

`attribute_value` is append-only apart from `replaced_at`, which is set when the same kind of
source asserts a newer value for the same attribute. The value served is resolved, not stored:
among the values not yet replaced, the one of the highest source kind (jobforge.provenance.write
has the rule). Keeping lower-precedence values as live candidates is what lets a reader ask
"what does O*NET say" (`source=onet`) even where OaSIS overrides it, and what lets `as_of=`
answer from the same rows.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Double, ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jobforge.store.base import Base
from jobforge.store.types import LONG_TEXT, UtcDateTime

ENTITY = String(40)
ATTRIBUTE = String(120)


class ValueSource(Base):
    """Detailed provenance shared by the values one source asserted in one go: a release file,
    an API answer (URL + retrieved-at), an LLM call (model + prompt hash) or a person's edit."""

    __tablename__ = "value_source"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source_kind: Mapped[str] = mapped_column(String(20))
    method: Mapped[str] = mapped_column(String(80))
    actor: Mapped[str] = mapped_column(String(120))
    load_run_id: Mapped[int | None] = mapped_column(ForeignKey("load_run.id"), index=True)
    release: Mapped[str | None] = mapped_column(String(40))
    file_name: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(500))
    retrieved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    model: Mapped[str | None] = mapped_column(String(120))
    prompt_hash: Mapped[str | None] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)


class ValueEntity(Base):
    """One row per entity that has values; writers lock it so that concurrent writers to the
    same entity take turns instead of both deciding against the same current value."""

    __tablename__ = "value_entity"
    entity: Mapped[str] = mapped_column(ENTITY, primary_key=True)
    writes: Mapped[int] = mapped_column(Integer)


class AttributeValue(Base):
    __tablename__ = "attribute_value"
    __table_args__ = (Index(None, "entity", "attribute"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(ENTITY, ForeignKey("value_entity.entity"))
    attribute: Mapped[str] = mapped_column(ATTRIBUTE)
    value_number: Mapped[float | None] = mapped_column(Double)
    value_text: Mapped[str | None] = mapped_column(LONG_TEXT)
    source_kind: Mapped[str] = mapped_column(String(20))
    precedence: Mapped[int] = mapped_column(SmallInteger)
    confidence: Mapped[float] = mapped_column(Double)
    value_source_id: Mapped[int] = mapped_column(ForeignKey("value_source.id"), index=True)
    source_row: Mapped[int | None] = mapped_column(Integer)
    rationale: Mapped[str | None] = mapped_column(LONG_TEXT)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)
    replaced_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class OverrideEvent(Base):
    """The served value of an attribute changed: from what, to what, why and by whom. The new
    side is empty when a complete source withdrew the value and nothing else is held.

    Old and new values are copied as text so the event stays readable after a retention purge
    disposes of the superseded value it points at."""

    __tablename__ = "override_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity: Mapped[str] = mapped_column(ENTITY)
    attribute: Mapped[str] = mapped_column(ATTRIBUTE)
    old_value_id: Mapped[int | None] = mapped_column(ForeignKey("attribute_value.id"))
    new_value_id: Mapped[int | None] = mapped_column(ForeignKey("attribute_value.id"))
    old_value: Mapped[str] = mapped_column(LONG_TEXT)
    new_value: Mapped[str | None] = mapped_column(LONG_TEXT)
    old_source_kind: Mapped[str] = mapped_column(String(20))
    new_source_kind: Mapped[str | None] = mapped_column(String(20))
    old_confidence: Mapped[float] = mapped_column(Double)
    new_confidence: Mapped[float | None] = mapped_column(Double)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    load_run_id: Mapped[int | None] = mapped_column(ForeignKey("load_run.id"))
    actor: Mapped[str] = mapped_column(String(120))
    __table_args__ = (Index(None, "entity", "attribute"),)


class Disposal(Base):
    """What a retention purge disposed of, under which policy, when and by whom."""

    __tablename__ = "disposal"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    policy: Mapped[str] = mapped_column(Text)
    performed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    actor: Mapped[str] = mapped_column(String(120))
    values_disposed: Mapped[int] = mapped_column(Integer)
    events_disposed: Mapped[int] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(LONG_TEXT)
