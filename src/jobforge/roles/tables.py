"""Organisations, their roles, code suggestions under review, what each override replaced, role
events and API tokens.

A role's field values are not here: its overrides are values of the entity `role:<id>` in the
value store (kind `custom`), and everything else it shows is read through from its approved
occupation at read time. What lives here is what the value store cannot say: who owns the role,
which code is approved, what an override replaced (to flag upstream changes), and who did what.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, Double, ForeignKey, Index, Integer, Select, String, UniqueConstraint
from sqlalchemy.orm import Mapped, Session, mapped_column

from jobforge.provenance.value_tables import ATTRIBUTE, ENTITY
from jobforge.store.base import Base
from jobforge.store.types import LONG_TEXT, UtcDateTime

ACTOR_LENGTH = 120  # who acted, as events name them: "cli:LOGIN", "token:NAME@ORG"
ACTOR = String(ACTOR_LENGTH)
ORGANISATION_NAME_LENGTH = 200
UPSTREAM_SOURCE_LENGTH = 200
TOKEN_NAME_LENGTH = 120


class Organisation(Base):
    __tablename__ = "organisation"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(ORGANISATION_NAME_LENGTH))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Role(Base):
    __tablename__ = "company_role"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(LONG_TEXT)
    family: Mapped[str | None] = mapped_column(String(120))
    unit: Mapped[str | None] = mapped_column(String(120))
    level: Mapped[str | None] = mapped_column(String(60))
    language: Mapped[str] = mapped_column(String(2))
    initial_code: Mapped[str | None] = mapped_column(ENTITY)
    approved_code: Mapped[str | None] = mapped_column(ENTITY)  # an entity: onet:… or noc:…
    status: Mapped[str] = mapped_column(String(12))  # active, archived
    version: Mapped[int] = mapped_column(Integer)  # optimistic concurrency: each update adds 1
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    __table_args__ = (Index(None, "organisation_id", "status", "id"),)


class CodeSuggestion(Base):
    __tablename__ = "code_suggestion"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("company_role.id"), index=True)
    code: Mapped[str] = mapped_column(ENTITY)
    score: Mapped[float | None] = mapped_column(Double)  # the coder's calibrated score; None for a person's
    method: Mapped[str] = mapped_column(String(40))  # initial, title coder, person
    evidence: Mapped[str] = mapped_column(LONG_TEXT)
    status: Mapped[str] = mapped_column(String(12))  # pending, approved, rejected
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    decided_by: Mapped[str | None] = mapped_column(ACTOR)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reason: Mapped[str | None] = mapped_column(LONG_TEXT)


class RoleOverride(Base):
    """What a live override replaced: the upstream value then (the baseline an "update available"
    flag compares with), where it came from, and why it was overridden."""

    __tablename__ = "role_override"
    role_id: Mapped[int] = mapped_column(ForeignKey("company_role.id"), primary_key=True)
    attribute: Mapped[str] = mapped_column(ATTRIBUTE, primary_key=True)
    upstream_code: Mapped[str | None] = mapped_column(ENTITY)
    upstream_value: Mapped[str | None] = mapped_column(LONG_TEXT)  # as text (value_text); None: nothing inherited
    upstream_source: Mapped[str | None] = mapped_column(String(UPSTREAM_SOURCE_LENGTH))  # its citation
    author: Mapped[str] = mapped_column(ACTOR)
    reason: Mapped[str] = mapped_column(LONG_TEXT)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class RoleEvent(Base):
    __tablename__ = "role_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    role_id: Mapped[int | None] = mapped_column(ForeignKey("company_role.id"))
    kind: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(ACTOR)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    detail: Mapped[str] = mapped_column(LONG_TEXT)  # JSON
    __table_args__ = (Index(None, "organisation_id", "role_id", "id"),)


class ApiToken(Base):
    """A bearer token for one organisation, kept only as its SHA-256 (the token is shown once)."""

    __tablename__ = "api_token"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(TOKEN_NAME_LENGTH))
    token_hash: Mapped[str] = mapped_column(String(64))
    access: Mapped[str] = mapped_column(String(10))  # admin, editor, viewer
    created_by: Mapped[str] = mapped_column(ACTOR)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    __table_args__ = (UniqueConstraint("token_hash"),)


def objects(connection: Connection, query: Select) -> list:
    """The ORM objects `query` selects, read on the caller's connection and transaction (closing
    the session detaches them with their attributes loaded)."""
    with Session(bind=connection) as session:
        return list(session.scalars(query))
