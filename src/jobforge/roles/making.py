"""Roles made: one (`create`) or many at once (`import_roles`), by one path.

A role is a row, a "created" event and, when it names one, its initial code waiting for review;
then the title coder's candidates for its title join the queue. Many roles go through the same
steps a thousand rows at a time, with their titles coded in one batch, so a file of 10,000 roles
is made in seconds and a role made alone is made exactly as one of them."""

from __future__ import annotations

from sqlalchemy import Connection, insert

from jobforge.entities import entity_kind
from jobforge.errors import InputError, NotFoundError
from jobforge.roles.access import Access, Caller, organisation_id
from jobforge.roles.models import MAX_IMPORT, ImportReport, RoleIn, RoleRecord
from jobforge.roles.records import occupation_entity, record_each, utcnow
from jobforge.roles.review import ReviewQueue, insert_proposals
from jobforge.roles.tables import Role


class RoleMaking(ReviewQueue):
    def create(self, caller: Caller, role: RoleIn, *, suggest: bool = True) -> RoleRecord:
        """A new role; its initial code (if any) and the title coder's candidates wait for review."""
        caller.require(Access.EDITOR)
        initial = occupation_entity(role.initial_code, "initial_code") if role.initial_code else None
        with self.engine.begin() as connection:
            if initial:
                entity_kind(initial).require(connection, entity_kind(initial).code_of(initial))
            [role_id] = self._made(connection, caller, [role], [initial])
        if suggest:
            self.suggest(caller, role_id)
        return self.get(caller, role_id)

    def import_roles(
        self, caller: Caller, roles: list[RoleIn], *, suggest: bool = True, places: list[str] | None = None
    ) -> ImportReport:
        """Many roles made at once, all or none: every initial code is checked before the first is
        made. The title coder codes their titles in one batch, and its candidates wait for review as
        a role's made alone do; an LLM's judgement of them (when one is set) is asked role by role
        with `suggest`, not for thousands of roles in one request. `places` names each role in
        messages (a file's "line 7"; by default "role 7")."""
        caller.require(Access.EDITOR)
        if not 1 <= len(roles) <= MAX_IMPORT:
            raise InputError(f"{len(roles):,} roles: import 1 to {MAX_IMPORT:,} at once")
        places = places or [f"role {n}" for n in range(1, len(roles) + 1)]
        initial = [occupation_entity(r.initial_code, f"{place}: initial_code") if r.initial_code else None
                   for place, r in zip(places, roles)]  # fmt: skip
        with self.engine.begin() as connection:
            codes = {code for code in initial if code is not None}
            unknown = {code for code in codes if not entity_kind(code).exists(connection, entity_kind(code).code_of(code))}  # fmt: skip
            if unknown:
                where = [f"{place} ({code})" for place, code in zip(places, initial) if code in unknown]
                raise NotFoundError(f"no such occupation in the loaded data: {', '.join(where[:10])}"
                                    + (f" and {len(where) - 10:,} more" if len(where) > 10 else ""))  # fmt: skip
            ids = self._made(connection, caller, roles, initial)
        proposed: dict[int, list] = {}
        if suggest:
            proposed = self._coder_proposals([(i, role.title, code) for i, role, code in zip(ids, roles, initial)])
            with self.engine.begin() as connection:
                insert_proposals(connection, organisation_id(connection, caller.organisation), proposed, caller.actor)
        suggested = sum(code is not None for code in initial) + sum(map(len, proposed.values()))
        return ImportReport(created=len(ids), ids=ids, suggestions=suggested)

    @staticmethod
    def _made(connection: Connection, caller: Caller, roles: list[RoleIn], initial: list[str | None]) -> list[int]:
        """The roles' rows, their "created" events and their initial codes' proposals (the codes
        checked by the caller); their ids, in order. A row is inserted by one statement whatever its
        values: its compiled form is cached (building a statement from each role's values took most
        of an import's time)."""
        org_id, now = organisation_id(connection, caller.organisation), utcnow()
        ids = [
            connection.execute(
                insert(Role),
                dict(organisation_id=org_id, title=role.title, description=role.description, family=role.family,
                     unit=role.unit, level=role.level, language=role.language, initial_code=code, approved_code=None,
                     status="active", version=1, created_at=now, updated_at=now),
            ).inserted_primary_key[0]  # type: ignore[index]  # never None after an INSERT
            for role, code in zip(roles, initial)
        ]  # fmt: skip
        record_each(
            connection, [(org_id, i, role.model_dump()) for i, role in zip(ids, roles)], "created", caller.actor
        )
        initial_codes = {
            i: [(code, None, "initial", "the role's initial code")] for i, code in zip(ids, initial) if code
        }
        insert_proposals(connection, org_id, initial_codes, caller.actor)
        return ids
