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
from functools import cached_property

from sqlalchemy import Engine, func, insert, or_, select

from jobforge.careers.profiles import PROFILE_DOMAINS, PROFILE_SCALES, RatingValue, RoleProfile
from jobforge.config import Settings, read_settings
from jobforge.entities import ROLE
from jobforge.errors import ConflictError, InputError, UnauthenticatedError
from jobforge.provenance.attributes import AttributeKey
from jobforge.roles import overrides
from jobforge.roles.access import Access, Caller, Tokens, check_actor, organisation_id
from jobforge.roles.making import RoleMaking
from jobforge.roles.models import (
    BulkReport,
    DiffEntry,
    ResolvedRole,
    RoleEventOut,
    RolePage,
    RoleRecord,
    RoleUpdate,
    Text,
)
from jobforge.roles.records import (
    record_event,
    record_events,
    role_record,
    utcnow,
)
from jobforge.roles.resolve import resolve
from jobforge.roles.tables import (
    ORGANISATION_NAME_LENGTH,
    Organisation,
    Role,
    RoleEvent,
    RoleOverride,
    objects,
)
from jobforge.store.case_folding import lowered

SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,59}")
MAX_PAGE = 500


class Roles(RoleMaking):
    def __init__(self, engine: Engine, classify: Callable, settings: Settings | None = None) -> None:
        self.engine = engine
        self._classify = classify  # kb.classify, asked lazily: building its index takes seconds
        self.settings = settings or read_settings()

    @cached_property
    def tokens(self) -> Tokens:
        return Tokens(self.engine)

    # --- organisations ------------------------------------------------------------------------

    def create_organisation(self, slug: str, name: str) -> str:
        if not SLUG.fullmatch(slug):
            raise InputError(f"organisation '{slug}' must be lower-case letters, digits and hyphens (1–60)")
        if len(name.strip()) > ORGANISATION_NAME_LENGTH:
            raise InputError(
                f"organisation '{slug}': its name is {len(name.strip()):,} characters; at most {ORGANISATION_NAME_LENGTH}"
            )
        with self.engine.begin() as connection:
            if connection.scalar(select(Organisation.id).where(Organisation.slug == slug)) is not None:
                raise ConflictError(f"organisation '{slug}' exists already")
            connection.execute(insert(Organisation).values(slug=slug, name=name.strip() or slug, created_at=utcnow()))
        return slug

    def organisations(self) -> list[dict]:
        with self.engine.connect() as connection:
            rows = connection.execute(select(Organisation.slug, Organisation.name).order_by(Organisation.slug))
            return [{"slug": slug, "name": name} for slug, name in rows]

    def local_admin(self, organisation: str, actor: str) -> Caller:
        """The CLI's caller: whoever can open the database administers it."""
        check_actor(actor)
        with self.engine.connect() as connection:
            organisation_id(connection, organisation)
        return Caller(organisation, Access.ADMIN, actor)

    # --- roles --------------------------------------------------------------------------------

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
                if wanted is None:
                    continue
                wanted = wanted.strip()  # as stored; MariaDB alone matched 'Finance ' to Finance
                if not wanted:  # no role has a blank one: it would find none, silently
                    raise InputError(f"{column.key}: an empty filter; leave it out to have every role")
                query = query.where(column == wanted)
            if approved is not None:
                query = query.where(Role.approved_code.is_not(None) if approved else Role.approved_code.is_(None))
            for word in (q or "").split():  # a word, not a pattern: '_' and '%' are themselves
                word = word.lower()
                query = query.where(
                    or_(
                        lowered(Role.title).contains(word, autoescape=True),
                        lowered(Role.description).contains(word, autoescape=True),
                    )
                )
            total = connection.scalar(select(func.count()).select_from(query.subquery()))
            rows = objects(connection, query.order_by(Role.id).limit(limit).offset(offset))
            return RolePage(
                total=total or 0, limit=limit, offset=offset,
                roles=[role_record(row, caller.organisation) for row in rows],
            )  # fmt: skip

    def every(self, caller: Caller, status: str | None = "active") -> list[RoleRecord]:
        """Every role of the organisation (of one status, or all), by id: what an export writes."""
        with self.engine.connect() as connection:
            query = select(Role).where(Role.organisation_id == organisation_id(connection, caller.organisation))
            if status is not None:
                query = query.where(Role.status == status)
            return [role_record(row, caller.organisation) for row in objects(connection, query.order_by(Role.id))]

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
            # a field sent as it is changes nothing: no new version that another editor's save would
            # conflict with, no event (a form sends every field, the ones left alone too)
            fields = {name: value for name, value in fields.items() if getattr(role, name) != value}
            if fields:
                self._touch(connection, [role], **fields)
                record_event(connection, role.organisation_id, role_id, "updated", caller.actor, fields)
            return role_record(self._role(connection, caller, role_id), caller.organisation)

    def archive(self, caller: Caller, role_id: int, reason: str = "") -> RoleRecord:
        """Archived roles leave the default listing and refuse edits; nothing of them is deleted."""
        return self._set_status(caller, role_id, "archived", reason)

    def unarchive(self, caller: Caller, role_id: int, reason: str = "") -> RoleRecord:
        """An archived role back in the listing and open to edits, as it was: an archive undone."""
        return self._set_status(caller, role_id, "active", reason)

    def _set_status(self, caller: Caller, role_id: int, status: str, reason: str) -> RoleRecord:
        caller.require(Access.ADMIN)
        with self.engine.begin() as connection:
            role = self._locked(connection, caller, [role_id], active=False)[0]
            if role.status == status:
                raise ConflictError(f"role {role_id} is archived already" if status == "archived"
                                    else f"role {role_id} is not archived")  # fmt: skip
            self._touch(connection, [role], status=status)
            kind = "archived" if status == "archived" else "unarchived"
            record_event(connection, role.organisation_id, role_id, kind, caller.actor, {"reason": reason})
            return role_record(self._role(connection, caller, role_id), caller.organisation)

    def resolved(self, caller: Caller, role_id: int) -> ResolvedRole:
        """The role and every field it shows, custom or inherited, with provenance."""
        with self.engine.connect() as connection:
            role = self._role(connection, caller, role_id)
            return ResolvedRole(
                role=role_record(role, caller.organisation),
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
            now = utcnow()
            changes = [overrides.Change(role, attribute, value) for role in roles]
            report = overrides.apply(connection, changes, reason, caller.actor, now)
            self._touch(connection, roles)
            record_events(connection, roles, "overridden", caller.actor, {"attribute": attribute, "reason": reason,
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
                connection, changes, reason or f"copied from role {from_role}", caller.actor, utcnow()
            )
            self._touch(connection, roles)
            record_events(connection, roles, "copied", caller.actor, {"from": from_role, "attributes": sorted(chosen)})
        return BulkReport(roles=len(roles), values_written=report.added + report.overrides, unchanged=report.unchanged)

    def restore(self, caller: Caller, role_id: int, attribute: str, *, kind: str = "restored") -> ResolvedRole:
        """Remove an override: the inherited value shows again (an event keeps what was removed)."""
        caller.require(Access.EDITOR)
        with self.engine.begin() as connection:
            role = self._locked(connection, caller, [role_id])[0]
            removed = overrides.withdraw(connection, role, attribute, caller.actor, utcnow())
            self._touch(connection, [role])
            record_event(connection, role.organisation_id, role.id, kind, caller.actor,
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
            record_event(connection, role.organisation_id, role.id, "upstream dismissed", caller.actor,
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
