"""The value store as one object: writes through the precedence path, reads, history, audit,
retention and export, each in its own transaction. The CLI, the API and the loaders' callers
use this; the loaders themselves call jobforge.provenance.write inside their own transaction."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import Engine, column, exists, or_, select, table

from jobforge.entities import ONET, entity_kind, value_entity
from jobforge.errors import InputError, NotFoundError
from jobforge.provenance import export, read, retention
from jobforge.provenance.attributes import AttributeKey
from jobforge.provenance.bounds import check_value
from jobforge.provenance.read import OverrideRecord, StoredValue, ValueFilter
from jobforge.provenance.sources import SourceKind
from jobforge.provenance.statements import Assertion, Source, WriteReport
from jobforge.provenance.value_tables import AttributeValue, OverrideEvent, ValueEntity
from jobforge.provenance.write import write_values

MANUAL_EDIT = "manual edit"
# The kinds whose attributes a kind's entity takes: a unit group's value stands before its OaSIS
# profiles' for a role that inherits the group (roles.resolve.upstream_scope).
_NAMED_LIKE = {"noc": ("noc", "oasis")}

# What an O*NET rating attribute names must be loaded: (table, key column, what a person calls it),
# by name because the O*NET tables sit above this package.
_RATING_PARTS = {
    "element": ("content_element", "element_id", "content model"),
    "scale": ("scale", "scale_id", "scales"),
}


def _key_text(attribute: str) -> str:
    """An attribute key as typed, without the spaces around it that no key holds: MariaDB's
    padded comparison ignored trailing ones where PostgreSQL and SQLite found nothing."""
    return attribute.strip()


class ValueStore:
    def __init__(self, engine: Engine, policy: retention.RetentionPolicy | None = None) -> None:
        self.engine = engine
        self.policy = policy or retention.RetentionPolicy()

    def write(self, source: Source, assertions: Iterable[Assertion]) -> WriteReport:
        """Apply `assertions` in one transaction: all of them or, on any error, none."""
        with self.engine.begin() as connection:
            return write_values(connection, source, assertions)

    def set_value(
        self,
        code: str,
        attribute: str,
        value: float | str,
        *,
        kind: SourceKind,
        confidence: float,
        actor: str,
        method: str = MANUAL_EDIT,
        rationale: str | None = None,
        model: str | None = None,
        prompt_hash: str | None = None,
        url: str | None = None,
    ) -> WriteReport:
        """Record one value (a person's edit, an imputation) for an entity the store knows."""
        entity = value_entity(code)
        self._check_known(entity, attribute, value)
        source = Source(
            kind,
            method,
            actor,
            model=model,
            prompt_hash=prompt_hash,
            url=url,
            retrieved_at=datetime.now(UTC) if url else None,
        )
        return self.write(source, [Assertion(entity, attribute, value, confidence, rationale=rationale)])

    def served(
        self, code: str, value_filter: ValueFilter | None = None, attribute_prefix: str | None = None
    ) -> list[StoredValue]:
        """The values served for an entity under `value_filter`, by attribute."""
        entity = value_entity(code)
        if attribute_prefix is not None:
            attribute_prefix = _key_text(attribute_prefix)
            if not attribute_prefix:
                raise InputError("attribute: an empty prefix; leave it out to have every attribute")
        with self.engine.connect() as connection:
            values = read.served_values(connection, [entity], value_filter, attribute_prefix)
            if not values:  # only an empty answer needs telling "nothing passes" from "unknown"
                self._check_entity(connection, entity)
                if attribute_prefix is not None:
                    self._check_attribute_prefix(connection, attribute_prefix)
        return [values[key] for key in sorted(values)]

    def history(self, code: str, attribute: str) -> list[StoredValue]:
        entity, attribute = value_entity(code), _key_text(attribute)
        with self.engine.connect() as connection:
            entries = read.attribute_history(connection, entity, attribute)
        if not entries:
            raise NotFoundError(f"no value was ever recorded for {entity} {attribute}")
        return entries

    def audit(self, since: datetime | None = None, code: str | None = None, limit: int = 1000) -> list[OverrideRecord]:
        with self.engine.connect() as connection:
            return read.override_events(connection, since, value_entity(code) if code else None, limit)

    def purge(self, actor: str, *, dry_run: bool = False) -> retention.DisposalReport:
        with self.engine.begin() as connection:
            return retention.purge(connection, self.policy, actor, dry_run=dry_run)

    def disposals(self) -> list[dict]:
        with self.engine.connect() as connection:
            return retention.disposals(connection)

    def prov_json(self, code: str, value_filter: ValueFilter | None = None) -> dict:
        """PROV-JSON of the served values, with the values they revised (replaced within the
        same source kind) so each revision points at something in the document."""
        values = self.served(code, value_filter)
        revisions = self._revisions([value.id for value in values])
        with self.engine.connect() as connection:
            earlier = read.values_by_id(connection, set(revisions.values()))
        return export.prov_json(values + earlier, revisions)

    def csv(self, code: str, value_filter: ValueFilter | None = None) -> str:
        return export.provenance_csv(self.served(code, value_filter))

    def _revisions(self, value_ids: list[int]) -> dict[int, int]:
        """Served value → the value of the same source kind it replaced (an override by a
        higher source is not a revision: the new value was not derived from the old)."""
        e = OverrideEvent
        with self.engine.connect() as connection:
            return {
                new: old
                for new, old in connection.execute(
                    select(e.new_value_id, e.old_value_id).where(
                        e.new_value_id.in_(value_ids),
                        e.old_value_id.is_not(None),
                        e.old_source_kind == e.new_source_kind,
                    )
                )
            }

    def _check_known(self, entity: str, attribute: str, value: float | str) -> None:
        kind = entity_kind(entity)
        if not kind.public:  # written here, it would skip the organisation's check, the event and the baseline
            raise InputError(f"{entity}: a company role's fields change through `jobforge roles override` or the API")
        with self.engine.connect() as connection:
            self._check_entity(connection, entity)
            key = AttributeKey.parse(attribute)
            rating = key.scale is not None and kind is ONET
            self._check_attribute_name(connection, kind.prefix, attribute, rating=rating)
            if rating:
                for part, named in (("element", key.element), ("scale", key.scale)):
                    name, key_column, listing = _RATING_PARTS[part]
                    listed = table(name, column(key_column))
                    if not connection.scalar(select(exists().where(listed.c[key_column] == named))):
                        raise InputError(f"attribute '{attribute}': {part} '{named}' is not in the loaded {listing}")
            check_value(connection, attribute, value, entity)

    @staticmethod
    def _check_attribute_name(connection, prefix: str, attribute: str, *, rating: bool) -> None:
        """A value set by hand names an attribute its entity's kind holds ('title', not 'Title',
        ' title' or 'tittle', each of which became an attribute of its own, served beside the
        real one), or a rating of a domain the kind holds, written as its ratings are (its element
        and scale are checked next)."""
        if attribute != attribute.strip() or not attribute:
            raise InputError(f"attribute '{attribute}': a key has no spaces around it")
        v = AttributeValue
        kinds = _NAMED_LIKE.get(prefix, (prefix,))
        kind_holds = or_(*(v.entity.startswith(f"{named}:") for named in kinds))
        if connection.scalar(select(exists().where(kind_holds, v.attribute == attribute))):
            return
        held = sorted(connection.scalars(select(v.attribute).where(kind_holds).distinct()))
        domain = AttributeKey.parse(attribute).domain
        shapes = {a.count("/") for a in held if a.startswith(f"{domain}/")}  # skills/E/S; …/RL/3 in education
        if rating and attribute.count("/") in shapes:
            return
        guess = difflib.get_close_matches(attribute, held, n=1)
        meant = f"; did you mean '{guess[0]}'?" if guess else ""
        raise InputError(
            f"attribute '{attribute}' is none that {' or '.join(k + ':' for k in kinds)} entities hold{meant}"
        )

    @staticmethod
    def _check_attribute_prefix(connection, prefix: str) -> None:
        """A prefix that no entity's attribute starts with is a misspelling ('skils'), which an
        empty answer would pass off as the entity having none: not found, as an attribute whose
        history is asked, with the domains held named."""
        if connection.scalar(select(exists().where(read.key_starts_with(prefix)))):
            return
        attributes = sorted(connection.scalars(select(AttributeValue.attribute).distinct()))
        said = f"attribute '{prefix}': no attribute of any entity starts with it"
        domain = prefix.partition("/")[0]
        alike = [a for a in attributes if a.startswith(f"{domain}/")]
        if alike:
            raise NotFoundError(f"{said}; those of {domain} are written like {alike[0]}")
        held = sorted({a.partition("/")[0] for a in attributes})
        guess = difflib.get_close_matches(domain, held, n=1)
        meant = f" (did you mean '{guess[0]}'?)" if guess else ""
        raise NotFoundError(f"{said}{meant}; they start with {', '.join(held)}")

    @staticmethod
    def _check_entity(connection, entity: str) -> None:
        """An entity is known when it has values or its kind's table lists it."""
        if not connection.scalar(select(exists().where(ValueEntity.entity == entity))):
            kind = entity_kind(entity)
            kind.require(connection, kind.code_of(entity))
