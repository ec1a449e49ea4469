"""The rows every part of `kb.roles` reads and writes: a role as its caller may see it, locked for
a change and touched by it, the audit trail of events, and the record shapes the shells are given.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import cast

from sqlalchemy import Connection, Engine, bindparam, insert, select, update

from jobforge.entities import NOC, ONET, entity_kind, value_entity
from jobforge.errors import ConflictError, InputError, NotFoundError
from jobforge.roles.access import Caller, organisation_id
from jobforge.roles.models import RoleRecord
from jobforge.roles.tables import Organisation, Role, RoleEvent, objects
from jobforge.sources.noc import tables as n
from jobforge.sources.onet import tables as t

_ROLE_OF = (
    select(*Role.__table__.columns)
    .join(Organisation, Organisation.id == Role.organisation_id)
    .where(Role.id == bindparam("id"), Organisation.slug == bindparam("organisation"))
)


class RoleRows:
    """Reading and locking the caller's roles, for the parts of `kb.roles` (CRUD, overrides, review)."""

    engine: Engine

    def get(self, caller: Caller, role_id: int) -> RoleRecord:
        with self.engine.connect() as connection:
            return role_record(self._role(connection, caller, role_id), caller.organisation)

    def _role(self, connection: Connection, caller: Caller, role_id: int) -> Role:
        """The caller's role, read as a plain row (every read takes this path: no ORM session);
        a row has the same attributes as the mapped class."""
        role = connection.execute(_ROLE_OF, {"id": role_id, "organisation": caller.organisation}).first()
        if role is None:
            raise NotFoundError(f"no role {role_id} in organisation '{caller.organisation}'")
        return cast(Role, role)

    def _locked(self, connection: Connection, caller: Caller, role_ids: list[int], active: bool = True) -> list[Role]:
        """The roles, locked to the end of the transaction (in id order: no deadlock between two
        bulk operations), each one checked: of the caller's organisation and, for edits, active."""
        org_id = organisation_id(connection, caller.organisation)
        wanted = list(dict.fromkeys(role_ids))
        found: dict[int, Role] = {}
        ordered = sorted(wanted)
        for start in range(0, len(ordered), 1000):
            part = ordered[start : start + 1000]
            query = select(Role).where(Role.id.in_(part), Role.organisation_id == org_id).order_by(Role.id)
            found.update((row.id, row) for row in objects(connection, query.with_for_update()))
        for position, role_id in enumerate(wanted, start=1):
            role = found.get(role_id)
            where = f"role {role_id}" + (f" (position {position})" if len(wanted) > 1 else "")
            if role is None:
                raise NotFoundError(f"{where}: no such role in organisation '{caller.organisation}'")
            if active and role.status != "active":
                raise ConflictError(f"{where} is archived: an admin unarchives it before it is edited")
        return [found[role_id] for role_id in wanted]

    @staticmethod
    def _touch(connection: Connection, roles: list[Role], **values) -> None:
        """Record a change of the roles: their version goes up (what an update must name)."""
        ids = [role.id for role in roles]
        for start in range(0, len(ids), 1000):
            connection.execute(
                update(Role).where(Role.id.in_(ids[start : start + 1000]))
                .values(version=Role.version + 1, updated_at=utcnow(), **values)
            )  # fmt: skip


def utcnow() -> datetime:
    return datetime.now(UTC)


def occupation_entity(code: str, what: str) -> str:
    """An occupation code a role may inherit: O*NET-SOC or NOC unit group."""
    entity = value_entity(code)
    if entity_kind(entity) not in (ONET, NOC):
        raise InputError(f"{what} '{code}' must be an O*NET-SOC code or a NOC unit group")
    return entity


def record_event(connection: Connection, org_id: int, role_id: int | None, kind: str, actor: str, detail: dict) -> None:
    record_each(connection, [(org_id, role_id, detail)], kind, actor)


def record_events(connection: Connection, roles: list[Role], kind: str, actor: str, detail: dict) -> None:
    record_each(connection, [(role.organisation_id, role.id, detail) for role in roles], kind, actor)


def record_each(connection: Connection, events: Sequence[tuple[int, int | None, dict]], kind: str, actor: str) -> None:
    """One event per (organisation, role, detail), all stamped alike, inserted a thousand at a time."""
    now, texts = utcnow(), dict[int, str]()
    rows = []
    for org_id, role_id, detail in events:
        if id(detail) not in texts:  # a detail shared by many roles is written out once
            texts[id(detail)] = json.dumps(detail, ensure_ascii=False, default=str)
        rows.append(dict(organisation_id=org_id, role_id=role_id, kind=kind, actor=actor, occurred_at=now,
                         detail=texts[id(detail)]))  # fmt: skip
    for start in range(0, len(rows), 1000):
        connection.execute(insert(RoleEvent), rows[start : start + 1000])


def role_record(role: Role, organisation: str) -> RoleRecord:
    return RoleRecord(
        id=role.id, organisation=organisation, title=role.title, description=role.description, family=role.family,
        unit=role.unit, level=role.level, language=role.language, initial_code=role.initial_code,
        approved_code=role.approved_code, status=role.status, version=role.version, created_at=role.created_at,
        updated_at=role.updated_at,
    )  # fmt: skip


def title_of(connection: Connection, entity: str) -> str | None:
    kind = entity_kind(entity)
    listed = (t.Occupation.title, t.Occupation.soc_code) if kind is ONET else (n.NocGroup.title, n.NocGroup.code)
    return connection.scalar(select(listed[0]).where(listed[1] == kind.code_of(entity)))
