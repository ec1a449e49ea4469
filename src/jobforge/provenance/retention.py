"""Retention: nothing is disposed of unless a policy says so, and every disposal is recorded.

Under Government of Canada information-management rules, disposing of records needs an
explicit, approved disposition authority; a tool that quietly pruned history would put its
users in breach. So the default policy keeps everything, `purge` refuses to run without a
policy, and what it disposes of (each value and event, in full) is written to `disposal` in the
same transaction as the deletions. Only replaced values and override events are ever disposed
of: a live value (served or candidate) is never touched. After a purge, `as_of=` answers for
moments before the cut-off may lack the values disposed of; the disposal record says which.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, delete, insert, select, update

from jobforge.errors import ConfigurationError
from jobforge.provenance.value_tables import AttributeValue, Disposal, OverrideEvent


@dataclass(frozen=True)
class RetentionPolicy:
    """Days to keep replaced values and override events; None keeps them for ever."""

    replaced_values_days: float | None = None
    events_days: float | None = None

    @property
    def keeps_everything(self) -> bool:
        return self.replaced_values_days is None and self.events_days is None

    def describe(self) -> str:
        def part(days: float | None, what: str) -> str:
            return f"{what} kept for ever" if days is None else f"{what} kept {days:g} days"

        return "; ".join(
            (part(self.replaced_values_days, "replaced values"), part(self.events_days, "override events"))
        )


@dataclass
class DisposalReport:
    disposal_id: int | None
    policy: str
    values_disposed: int
    events_disposed: int
    dry_run: bool


def purge(
    connection: Connection, policy: RetentionPolicy, actor: str, *, dry_run: bool = False, now: datetime | None = None
) -> DisposalReport:
    """Dispose of what `policy` no longer retains, in the caller's transaction."""
    if policy.keeps_everything:
        raise ConfigurationError(
            "no retention policy is set, so nothing may be disposed of: set JOBFORGE_RETAIN_REPLACED_DAYS "
            "and/or JOBFORGE_RETAIN_EVENTS_DAYS to the periods your disposition authority approves"
        )
    now = now or datetime.now(UTC)
    v, e = AttributeValue, OverrideEvent
    values = []
    if policy.replaced_values_days is not None:
        cutoff = now - timedelta(days=policy.replaced_values_days)
        values = connection.execute(
            select(
                v.id,
                v.entity,
                v.attribute,
                v.value_number,
                v.value_text,
                v.source_kind,
                v.confidence,
                v.value_source_id,
                v.recorded_at,
                v.replaced_at,
            )
            .where(v.replaced_at.is_not(None), v.replaced_at < cutoff)
            .order_by(v.id)
        ).all()
    events = []
    if policy.events_days is not None:
        cutoff = now - timedelta(days=policy.events_days)
        events = connection.execute(select(*e.__table__.columns).where(e.occurred_at < cutoff).order_by(e.id)).all()
    report = DisposalReport(None, policy.describe(), len(values), len(events), dry_run)
    if dry_run or not (values or events):
        return report
    value_ids = [row.id for row in values]
    for start in range(0, len(value_ids), 1000):
        part = value_ids[start : start + 1000]
        connection.execute(update(e).where(e.old_value_id.in_(part)).values(old_value_id=None))
        connection.execute(update(e).where(e.new_value_id.in_(part)).values(new_value_id=None))
        connection.execute(delete(v).where(v.id.in_(part)))
    event_ids = [event.id for event in events]
    for start in range(0, len(event_ids), 1000):
        connection.execute(delete(e).where(e.id.in_(event_ids[start : start + 1000])))
    detail = {
        "values": [
            {
                "id": row.id,
                "entity": row.entity,
                "attribute": row.attribute,
                "value": row.value_text if row.value_text is not None else row.value_number,
                "source_kind": row.source_kind,
                "confidence": row.confidence,
                "value_source_id": row.value_source_id,
                "recorded_at": row.recorded_at.isoformat(),
                "replaced_at": row.replaced_at.isoformat(),
            }
            for row in values
        ],
        "events": [
            {
                "id": event.id,
                "entity": event.entity,
                "attribute": event.attribute,
                "old_value": event.old_value,
                "new_value": event.new_value,
                "occurred_at": event.occurred_at.isoformat(),
                "actor": event.actor,
            }
            for event in events
        ],
    }
    report.disposal_id = connection.execute(
        insert(Disposal).values(
            policy=policy.describe(),
            performed_at=now,
            actor=actor,
            values_disposed=len(values),
            events_disposed=len(events),
            detail=json.dumps(detail),
        )
    ).inserted_primary_key[0]
    return report


def disposals(connection: Connection) -> list[dict]:
    """The disposal records, newest first (without their detail)."""
    d = Disposal
    return [
        dict(row._mapping)
        for row in connection.execute(
            select(d.id, d.policy, d.performed_at, d.actor, d.values_disposed, d.events_disposed).order_by(d.id.desc())
        )
    ]
