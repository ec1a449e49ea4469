"""`kb.roles`: organisations, their roles, code review, inheritance and overrides, tokens.

Every call names the caller (`Caller`: organisation, access, actor), and every query is
scoped to the caller's organisation: another organisation's role is "not found", never shown or
changed. The shells only authenticate (the API by token; the CLI, whose user can open the
database anyway, as a local admin of the organisation named) and format.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cached_property
from typing import cast

from sqlalchemy import Connection, Engine, bindparam, func, insert, or_, select, update

from jobforge.careers.profiles import PROFILE_DOMAINS, PROFILE_SCALES, RatingValue, RoleProfile
from jobforge.config import Settings
from jobforge.entities import NOC, ONET, ROLE, entity_kind, value_entity
from jobforge.errors import ConflictError, InputError, NotFoundError, UnauthenticatedError
from jobforge.jobs.enqueue import enqueue_enrichment
from jobforge.provenance.attributes import AttributeKey
from jobforge.roles import overrides
from jobforge.roles.access import Access, Caller, Tokens, organisation_id
from jobforge.roles.models import (
    BulkReport,
    DiffEntry,
    ResolvedRole,
    RoleEventOut,
    RoleIn,
    RolePage,
    RoleRecord,
    RoleUpdate,
    Suggestion,
    Text,
)  # fmt: skip
from jobforge.roles.resolve import resolve
from jobforge.roles.tables import CodeSuggestion, Organisation, Role, RoleEvent, RoleOverride, objects
from jobforge.sources.noc import tables as n
from jobforge.sources.onet import tables as t

SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,59}")
_ROLE_OF = (
    select(*Role.__table__.columns)
    .join(Organisation, Organisation.id == Role.organisation_id)
    .where(Role.id == bindparam("id"), Organisation.slug == bindparam("organisation"))
)
SUGGESTIONS = 3  # the title coder's candidates proposed per role
MAX_PAGE = 500


class Roles:
    def __init__(self, engine: Engine, classify: Callable, settings: Settings | None = None) -> None:
        self.engine = engine
        self._classify = classify  # kb.classify, asked lazily: building its index takes seconds
        self.settings = settings or Settings()

    @cached_property
    def tokens(self) -> Tokens:
        return Tokens(self.engine)

    # --- organisations ------------------------------------------------------------------------

    def create_organisation(self, slug: str, name: str) -> str:
        if not SLUG.fullmatch(slug):
            raise InputError(f"organisation '{slug}' must be lower-case letters, digits and hyphens (1–60)")
        with self.engine.begin() as connection:
            if connection.scalar(select(Organisation.id).where(Organisation.slug == slug)) is not None:
                raise ConflictError(f"organisation '{slug}' exists already")
            connection.execute(insert(Organisation).values(slug=slug, name=name.strip() or slug, created_at=_now()))
        return slug

    def organisations(self) -> list[dict]:
        with self.engine.connect() as connection:
            rows = connection.execute(select(Organisation.slug, Organisation.name).order_by(Organisation.slug))
            return [{"slug": slug, "name": name} for slug, name in rows]

    def local_admin(self, organisation: str, actor: str) -> Caller:
        """The CLI's caller: whoever can open the database administers it."""
        with self.engine.connect() as connection:
            organisation_id(connection, organisation)
        return Caller(organisation, Access.ADMIN, actor)

    # --- roles --------------------------------------------------------------------------------

    def create(self, caller: Caller, role: RoleIn, *, suggest: bool = True) -> RoleRecord:
        """A new role; its initial code (if any) and the title coder's candidates wait for review."""
        caller.require(Access.EDITOR)
        initial = _code(role.initial_code, "initial_code") if role.initial_code else None
        now = _now()
        with self.engine.begin() as connection:
            org_id = organisation_id(connection, caller.organisation)
            if initial:
                entity_kind(initial).require(connection, entity_kind(initial).code_of(initial))
            role_id = connection.execute(
                insert(Role).values(
                    organisation_id=org_id,
                    title=role.title,
                    description=role.description,
                    family=role.family,
                    unit=role.unit,
                    level=role.level,
                    language=role.language,
                    initial_code=initial,
                    approved_code=None,
                    status="active",
                    version=1,
                    created_at=now,
                    updated_at=now,
                )  # fmt: skip
            ).inserted_primary_key[0]  # type: ignore[index]  # never None after an INSERT
            _event(connection, org_id, role_id, "created", caller.actor, role.model_dump())
            if initial:
                self._propose(connection, org_id, role_id, [(initial, None, "initial", "the role's initial code")],
                              caller.actor)  # fmt: skip
        if suggest:
            self.suggest(caller, role_id)
        return self.get(caller, role_id)

    def get(self, caller: Caller, role_id: int) -> RoleRecord:
        with self.engine.connect() as connection:
            return _record(connection, self._role(connection, caller, role_id), caller.organisation)

    def search(
        self, caller: Caller, *, q: str | None = None, family: str | None = None, unit: str | None = None,
        level: str | None = None, status: str | None = "active", approved: bool | None = None,
        limit: int = 50, offset: int = 0,
    ) -> RolePage:  # fmt: skip
        if not 1 <= limit <= MAX_PAGE or offset < 0:
            raise InputError(f"limit must be 1 to {MAX_PAGE} and offset at least 0")
        with self.engine.connect() as connection:
            org_id = organisation_id(connection, caller.organisation)
            query = select(Role).where(Role.organisation_id == org_id)
            for column, wanted in (
                (Role.family, family),
                (Role.unit, unit),
                (Role.level, level),
                (Role.status, status),
            ):
                if wanted is not None:
                    query = query.where(column == wanted)
            if approved is not None:
                query = query.where(Role.approved_code.is_not(None) if approved else Role.approved_code.is_(None))
            for word in (q or "").split():
                pattern = f"%{word.lower()}%"
                query = query.where(
                    or_(func.lower(Role.title).like(pattern), func.lower(Role.description).like(pattern))
                )
            total = connection.scalar(select(func.count()).select_from(query.subquery()))
            rows = objects(connection, query.order_by(Role.id).limit(limit).offset(offset))
            return RolePage(
                total=total or 0, limit=limit, offset=offset,
                roles=[_record(connection, row, caller.organisation) for row in rows],
            )  # fmt: skip

    def update(self, caller: Caller, role_id: int, change: RoleUpdate) -> RoleRecord:
        caller.require(Access.EDITOR)
        fields = change.model_dump(exclude_unset=True, exclude={"version"})
        emptied = [name for name in ("title", "description", "language") if name in fields and fields[name] is None]
        if emptied:
            raise InputError(f"{', '.join(emptied)} cannot be null: give a value, or leave it out to keep it")
        with self.engine.begin() as connection:
            role = self._locked(connection, caller, [role_id])[0]
            if role.version != change.version:
                raise ConflictError(
                    f"role {role_id} is at version {role.version}, not {change.version}: "
                    "someone changed it since you read it; read it again"
                )
            if fields:
                self._touch(connection, [role], **fields)
                _event(connection, role.organisation_id, role_id, "updated", caller.actor, fields)
            return _record(connection, self._role(connection, caller, role_id), caller.organisation)

    def archive(self, caller: Caller, role_id: int, reason: str = "") -> RoleRecord:
        """Archived roles leave the default listing and refuse edits; nothing of them is deleted."""
        caller.require(Access.ADMIN)
        with self.engine.begin() as connection:
            role = self._locked(connection, caller, [role_id], active=False)[0]
            if role.status == "archived":
                raise ConflictError(f"role {role_id} is archived already")
            self._touch(connection, [role], status="archived")
            _event(connection, role.organisation_id, role_id, "archived", caller.actor, {"reason": reason})
            return _record(connection, self._role(connection, caller, role_id), caller.organisation)

    def resolved(self, caller: Caller, role_id: int) -> ResolvedRole:
        """The role and every field it shows, custom or inherited, with provenance."""
        with self.engine.connect() as connection:
            role = self._role(connection, caller, role_id)
            return ResolvedRole(
                role=_record(connection, role, caller.organisation),
                fields=resolve(connection, role.id, role.approved_code),
            )

    def profiles_named(self, caller: Caller | None, codes: list[str]) -> dict[str, RoleProfile]:
        """The company roles among `codes` (`role:42`, the rest are occupations), resolved for the
        caller's organisation: a role is private, so naming one needs a caller."""
        named = [code.strip() for code in codes if code.strip().startswith("role:")]
        if named and caller is None:
            raise UnauthenticatedError("a company role (role:N) is read with its organisation's token")
        return self.rating_profiles(caller, named) if named and caller else {}

    def rating_profiles(self, caller: Caller, entities: list[str]) -> dict[str, RoleProfile]:
        """The resolved LV/IM ratings of the roles named (`role:42`), for skill gaps and transitions."""
        profiles = {}
        with self.engine.connect() as connection:
            for entity in entities:
                role_id = int(ROLE.check(ROLE.code_of(entity), "role"))
                role = self._role(connection, caller, role_id)
                ratings: dict[tuple[str, str], dict[str, RatingValue]] = {}
                job_zone = None
                for field in resolve(connection, role.id, role.approved_code):
                    if field.attribute == "job_zone" and isinstance(field.value, float):
                        job_zone = int(field.value)
                    key = AttributeKey.parse(field.attribute)
                    rated = (
                        key.domain in PROFILE_DOMAINS and key.scale in PROFILE_SCALES and key.is_uncategorised_rating
                    )
                    if rated and isinstance(field.value, float):
                        rating = RatingValue(field.value, None, None, field.confidence, field.source_kind)
                        ratings.setdefault((key.domain, key.scale or ""), {})[key.element or ""] = rating
                profiles[entity] = RoleProfile(role.title, job_zone, ratings)
        return profiles

    def diff(self, caller: Caller, role_id: int) -> list[DiffEntry]:
        """Custom against default, per overridden field."""
        with self.engine.connect() as connection:
            role = self._role(connection, caller, role_id)
            held = {
                row.attribute: row
                for row in objects(connection, select(RoleOverride).where(RoleOverride.role_id == role.id))
            }
            return [
                DiffEntry(
                    attribute=field.attribute,
                    custom=field.value,
                    default=field.default,
                    upstream_then=field.upstream_then,
                    update_available=field.update_available,
                    author=held[field.attribute].author if field.attribute in held else "",
                    reason=held[field.attribute].reason if field.attribute in held else "",
                )  # fmt: skip
                for field in resolve(connection, role.id, role.approved_code)
                if field.status == "custom"
            ]

    def events(self, caller: Caller, role_id: int | None = None, limit: int = 200) -> list[RoleEventOut]:
        with self.engine.connect() as connection:
            org_id = organisation_id(connection, caller.organisation)
            query = select(RoleEvent).where(RoleEvent.organisation_id == org_id)
            if role_id is not None:
                self._role(connection, caller, role_id)
                query = query.where(RoleEvent.role_id == role_id)
            rows = objects(connection, query.order_by(RoleEvent.id.desc()).limit(min(limit, 1000)))
            return [
                RoleEventOut(
                    id=row.id,
                    role_id=row.role_id,
                    kind=row.kind,
                    actor=row.actor,
                    occurred_at=row.occurred_at,
                    detail=json.loads(row.detail),
                )  # fmt: skip
                for row in rows
            ]

    # --- overrides ----------------------------------------------------------------------------

    def override(self, caller: Caller, role_id: int, attribute: str, value: Text, reason: str) -> ResolvedRole:
        self.bulk_override(caller, [role_id], attribute, value, reason)
        return self.resolved(caller, role_id)

    def bulk_override(
        self, caller: Caller, role_ids: list[int], attribute: str, value: Text, reason: str
    ) -> BulkReport:
        """One override on many roles, in one transaction: all of them, or (any role unknown,
        archived or refusing the value) none."""
        caller.require(Access.EDITOR)
        with self.engine.begin() as connection:
            roles = self._locked(connection, caller, role_ids)
            now = _now()
            changes = [overrides.Change(role, attribute, value) for role in roles]
            report = overrides.apply(connection, changes, reason, caller.actor, now)
            self._touch(connection, roles)
            _events(connection, roles, "overridden", caller.actor, {"attribute": attribute, "reason": reason,
                    "value": value, "roles": len(roles)})  # fmt: skip
        return BulkReport(roles=len(roles), values_written=report.added + report.overrides, unchanged=report.unchanged)

    def copy(
        self, caller: Caller, from_role: int, to_roles: list[int], attributes: list[str] | None = None,
        reason: str = "copied",
    ) -> BulkReport:  # fmt: skip
        """Copy one role's overrides (all, or those named) to other roles, all-or-nothing."""
        caller.require(Access.EDITOR)
        with self.engine.begin() as connection:
            source = self._role(connection, caller, from_role)
            custom = overrides.custom_values(connection, source.id)
            missing = sorted(set(attributes or []) - set(custom))
            if missing:
                raise InputError(f"role {from_role} does not override {', '.join(missing[:5])}")
            chosen = {name: custom[name] for name in (attributes or sorted(custom))}
            if not chosen:
                raise InputError(f"role {from_role} has no overrides to copy")
            roles = self._locked(connection, caller, to_roles)
            changes = [overrides.Change(role, name, value) for role in roles for name, value in chosen.items()]
            report = overrides.apply(
                connection, changes, reason or f"copied from role {from_role}", caller.actor, _now()
            )
            self._touch(connection, roles)
            _events(connection, roles, "copied", caller.actor, {"from": from_role, "attributes": sorted(chosen)})
        return BulkReport(roles=len(roles), values_written=report.added + report.overrides, unchanged=report.unchanged)

    def restore(self, caller: Caller, role_id: int, attribute: str, *, kind: str = "restored") -> ResolvedRole:
        """Remove an override: the inherited value shows again (an event keeps what was removed)."""
        caller.require(Access.EDITOR)
        with self.engine.begin() as connection:
            role = self._locked(connection, caller, [role_id])[0]
            removed = overrides.withdraw(connection, role, attribute, caller.actor, _now())
            self._touch(connection, [role])
            _event(connection, role.organisation_id, role.id, kind, caller.actor,
                   {"attribute": attribute, "removed": removed})  # fmt: skip
        return self.resolved(caller, role_id)

    def accept_upstream(self, caller: Caller, role_id: int, attribute: str) -> ResolvedRole:
        """Take the new upstream value: the override goes."""
        return self.restore(caller, role_id, attribute, kind="upstream accepted")

    def dismiss_upstream(self, caller: Caller, role_id: int, attribute: str) -> ResolvedRole:
        """Keep the override; the flag clears until upstream moves again."""
        caller.require(Access.EDITOR)
        with self.engine.begin() as connection:
            role = self._locked(connection, caller, [role_id])[0]
            baseline = overrides.rebaseline(connection, role, attribute)
            self._touch(connection, [role])
            _event(connection, role.organisation_id, role.id, "upstream dismissed", caller.actor,
                   {"attribute": attribute, "upstream": baseline})  # fmt: skip
        return self.resolved(caller, role_id)

    def updates(self, caller: Caller) -> list[dict]:
        """Every overridden field of the organisation whose upstream value changed since."""
        with self.engine.connect() as connection:
            org_id = organisation_id(connection, caller.organisation)
            ids = connection.execute(
                select(RoleOverride.role_id).distinct().join(Role, Role.id == RoleOverride.role_id)
                .where(Role.organisation_id == org_id).order_by(RoleOverride.role_id)
            ).scalars().all()  # fmt: skip
            flagged = []
            for role_id in ids:
                role = objects(connection, select(Role).where(Role.id == role_id))[0]
                for field in resolve(connection, role_id, role.approved_code if role else None):
                    if field.update_available:
                        flagged.append({"role_id": role_id, "attribute": field.attribute, "custom": field.value,
                                        "upstream_then": field.upstream_then, "upstream_now": field.default})  # fmt: skip
            return flagged

    # --- code suggestions and review ----------------------------------------------------------

    def suggest(self, caller: Caller, role_id: int, code: str | None = None, reason: str = "") -> list[Suggestion]:
        """Propose codes for review: a person's `code`, or the title coder's best candidates for
        the role's title (O*NET-SOC, and NOC when the role's initial code is a NOC one)."""
        caller.require(Access.EDITOR)
        with self.engine.connect() as connection:
            role = self._role(connection, caller, role_id)
        failure = None
        if code is not None:
            entity = _code(code, "code")
            proposals = [(entity, None, "person", reason or "proposed by a person")]
        else:
            system = "noc" if role.initial_code and entity_kind(role.initial_code) is NOC else "onet"
            kind = NOC if system == "noc" else ONET
            try:
                classification = self._classify([role.title], system, SUGGESTIONS, True)[0]
            except NotFoundError:
                classification = None  # nothing loaded to code against: the initial code stays the only proposal
            proposals = [
                (kind.entity(candidate.code), candidate.score, "title coder", _evidence(candidate))
                for candidate in (classification.candidates if classification else [])
            ]
            if proposals and self.settings.llm_model:
                judged, failure = self._refined(role, proposals)
                proposals += judged
        with self.engine.begin() as connection:
            role = self._locked(connection, caller, [role_id])[0]
            if code is not None:
                entity_kind(proposals[0][0]).require(connection, entity_kind(proposals[0][0]).code_of(proposals[0][0]))
            self._propose(connection, role.organisation_id, role.id, proposals, caller.actor)
            if failure:
                _event(connection, role.organisation_id, role.id, "llm refinement failed", caller.actor,
                       {"model": self.settings.llm_model, "reason": failure})  # fmt: skip
        return self.suggestions(caller, role_id)

    def _refined(self, role: Role, proposals: list) -> tuple[list, str | None]:
        """The LLM's judgement of the coder's candidates, as proposals of their own (or why not)."""
        from jobforge.roles.refine import refined

        candidates = [{"code": code, "title": evidence.split("; ", 1)[-1].split(":")[0], "coder_score": score}
                      for code, score, _method, evidence in proposals]  # fmt: skip
        choices, failure = refined(self.settings, role.title, role.description, role.language, candidates)
        model = self.settings.llm_model
        judged = [(choice.code, round(choice.fit, 3), "llm", f"llm ({model}): {choice.rationale.strip()[:1000]}")
                  for choice in choices]  # fmt: skip
        return judged, failure

    def suggestions(self, caller: Caller, role_id: int) -> list[Suggestion]:
        with self.engine.connect() as connection:
            role = self._role(connection, caller, role_id)
            rows = objects(connection, select(CodeSuggestion).where(CodeSuggestion.role_id == role.id)
                           .order_by(CodeSuggestion.id))  # fmt: skip
            return [_suggestion(connection, row) for row in rows]

    def pending(self, caller: Caller, limit: int = 200) -> list[tuple[RoleRecord, list[Suggestion]]]:
        """The review queue: the organisation's active roles with suggestions waiting, oldest first."""
        with self.engine.connect() as connection:
            org_id = organisation_id(connection, caller.organisation)
            rows = objects(
                connection,
                select(CodeSuggestion).join(Role, Role.id == CodeSuggestion.role_id)
                .where(Role.organisation_id == org_id, Role.status == "active", CodeSuggestion.status == "pending")
                .order_by(CodeSuggestion.role_id, CodeSuggestion.id),
            )  # fmt: skip
            queue: dict[int, list[Suggestion]] = {}
            for row in rows:
                if row.role_id in queue or len(queue) < limit:
                    queue.setdefault(row.role_id, []).append(_suggestion(connection, row))
            roles = objects(connection, select(Role).where(Role.id.in_(queue)).order_by(Role.id)) if queue else []
            return [(_record(connection, role, caller.organisation), queue[role.id]) for role in roles]

    def approve(self, caller: Caller, role_id: int, suggestion_id: int, reason: str = "") -> dict:
        """Approve a suggestion: the role inherits its code from the next read; says which inherited
        values changed from the previous code."""
        caller.require(Access.ADMIN)
        with self.engine.begin() as connection:
            role = self._locked(connection, caller, [role_id])[0]
            suggestion = self._suggestion(connection, role, suggestion_id)
            if suggestion.status == "approved":
                raise ConflictError(f"suggestion {suggestion_id} is approved already")
            before = {f.attribute: f.value for f in resolve(connection, role.id, role.approved_code)
                      if f.status == "inherited"}  # fmt: skip
            now = _now()
            connection.execute(
                update(CodeSuggestion)
                .where(CodeSuggestion.role_id == role.id, CodeSuggestion.status == "approved")
                .values(status="superseded", decided_at=now)
            )
            connection.execute(
                update(CodeSuggestion).where(CodeSuggestion.id == suggestion.id)
                .values(status="approved", decided_by=caller.actor, decided_at=now, reason=reason)
            )  # fmt: skip
            previous = role.approved_code
            self._touch(connection, [role], approved_code=suggestion.code)
            after = {f.attribute: f.value for f in resolve(connection, role.id, suggestion.code)
                     if f.status == "inherited"}  # fmt: skip
            changed = sorted(name for name in set(before) | set(after) if before.get(name) != after.get(name))
            detail = {"code": suggestion.code, "previous": previous, "suggestion": suggestion.id, "reason": reason,
                      "changed_fields": len(changed), "changed": changed[:50]}  # fmt: skip
            _event(connection, role.organisation_id, role.id, "approved", caller.actor, detail)
            if suggestion.code.startswith("onet:"):  # its data gets enriched where it lacks any (kb.enrich)
                enqueue_enrichment(connection, [ONET.code_of(suggestion.code)], "approved")
        return detail

    def reject(self, caller: Caller, role_id: int, suggestion_id: int, reason: str = "") -> Suggestion:
        caller.require(Access.ADMIN)
        with self.engine.begin() as connection:
            role = self._locked(connection, caller, [role_id])[0]
            suggestion = self._suggestion(connection, role, suggestion_id)
            if suggestion.status != "pending":
                raise ConflictError(f"suggestion {suggestion_id} is {suggestion.status}, not pending")
            connection.execute(
                update(CodeSuggestion).where(CodeSuggestion.id == suggestion.id)
                .values(status="rejected", decided_by=caller.actor, decided_at=_now(), reason=reason)
            )  # fmt: skip
            _event(connection, role.organisation_id, role.id, "rejected", caller.actor,
                   {"code": suggestion.code, "suggestion": suggestion.id, "reason": reason})  # fmt: skip
            return _suggestion(connection, self._suggestion(connection, role, suggestion.id))

    # --- inside -------------------------------------------------------------------------------

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
                raise ConflictError(f"{where} is archived: restore it before editing")
        return [found[role_id] for role_id in wanted]

    @staticmethod
    def _touch(connection: Connection, roles: list[Role], **values) -> None:
        """Record a change of the roles: their version goes up (what an update must name)."""
        ids = [role.id for role in roles]
        for start in range(0, len(ids), 1000):
            connection.execute(
                update(Role).where(Role.id.in_(ids[start : start + 1000]))
                .values(version=Role.version + 1, updated_at=_now(), **values)
            )  # fmt: skip

    @staticmethod
    def _propose(connection: Connection, org_id: int, role_id: int, proposals: list, actor: str) -> None:
        pending = {
            (code, method)
            for code, method in connection.execute(
                select(CodeSuggestion.code, CodeSuggestion.method).where(
                    CodeSuggestion.role_id == role_id, CodeSuggestion.status == "pending"
                )
            )
        }
        fresh = [p for p in proposals if (p[0], p[2]) not in pending]
        now = _now()
        for code, score, method, evidence in fresh:
            connection.execute(
                insert(CodeSuggestion).values(
                    role_id=role_id,
                    code=code,
                    score=score,
                    method=method,
                    evidence=evidence,
                    status="pending",
                    created_at=now,
                )  # fmt: skip
            )
        if fresh:
            _event(connection, org_id, role_id, "suggested", actor,
                   {"codes": [{"code": c, "score": s, "method": m} for c, s, m, _ in fresh]})  # fmt: skip

    @staticmethod
    def _suggestion(connection: Connection, role: Role, suggestion_id: int) -> CodeSuggestion:
        row = _row(connection, suggestion_id)
        if row is None or row.role_id != role.id:
            raise NotFoundError(f"role {role.id} has no suggestion {suggestion_id}")
        return row


def _row(connection: Connection, suggestion_id: int) -> CodeSuggestion | None:
    found = objects(connection, select(CodeSuggestion).where(CodeSuggestion.id == suggestion_id))
    return found[0] if found else None


def _now() -> datetime:
    return datetime.now(UTC)


def _code(code: str, what: str) -> str:
    """An occupation code a role may inherit: O*NET-SOC or NOC unit group."""
    entity = value_entity(code)
    if entity_kind(entity) not in (ONET, NOC):
        raise InputError(f"{what} '{code}' must be an O*NET-SOC code or a NOC unit group")
    return entity


def _event(connection: Connection, org_id: int, role_id: int | None, kind: str, actor: str, detail: dict) -> None:
    connection.execute(
        insert(RoleEvent).values(
            organisation_id=org_id,
            role_id=role_id,
            kind=kind,
            actor=actor,
            occurred_at=_now(),
            detail=json.dumps(detail, ensure_ascii=False, default=str),
        )  # fmt: skip
    )


def _events(connection: Connection, roles: list[Role], kind: str, actor: str, detail: dict) -> None:
    text, now = json.dumps(detail, ensure_ascii=False, default=str), _now()
    rows = [dict(organisation_id=r.organisation_id, role_id=r.id, kind=kind, actor=actor, occurred_at=now, detail=text)
            for r in roles]  # fmt: skip
    for start in range(0, len(rows), 1000):
        connection.execute(insert(RoleEvent), rows[start : start + 1000])


def _record(connection: Connection, role: Role, organisation: str) -> RoleRecord:
    return RoleRecord(
        id=role.id, organisation=organisation, title=role.title, description=role.description, family=role.family,
        unit=role.unit, level=role.level, language=role.language, initial_code=role.initial_code,
        approved_code=role.approved_code, status=role.status, version=role.version, created_at=role.created_at,
        updated_at=role.updated_at,
    )  # fmt: skip


def _suggestion(connection: Connection, row: CodeSuggestion) -> Suggestion:
    return Suggestion(
        id=row.id, role_id=row.role_id, code=row.code, title=_title(connection, row.code), score=row.score,
        method=row.method, evidence=row.evidence, status=row.status, created_at=row.created_at,
        decided_by=row.decided_by, decided_at=row.decided_at, reason=row.reason,
    )  # fmt: skip


def _title(connection: Connection, entity: str) -> str | None:
    kind = entity_kind(entity)
    listed = (t.Occupation.title, t.Occupation.soc_code) if kind is ONET else (n.NocGroup.title, n.NocGroup.code)
    return connection.scalar(select(listed[0]).where(listed[1] == kind.code_of(entity)))


def _evidence(candidate) -> str:
    evidence = getattr(candidate, "evidence", None)
    shown = f"{candidate.title}: matched '{evidence.name}' ({evidence.origin})" if evidence else candidate.title
    return f"title coder score {candidate.score:.2f}; {shown}"
