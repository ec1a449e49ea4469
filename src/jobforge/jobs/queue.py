"""Enqueue, claim, finish: the queue's rules, over one table, on every backend.

- **Enqueue** inside the caller's transaction (`enqueue(connection, ...)`), so the job exists
  exactly when the change that needs it does. A key already queued or running is left alone (asking
  twice enqueues once); a finished one is queued again only when `again=True`.
- **Claim** takes queued jobs that are due, and running jobs whose lease has passed (their worker
  died), marks them running under this worker with a new lease, and counts the attempt. On
  PostgreSQL and MariaDB the candidates are read `FOR UPDATE SKIP LOCKED`, so concurrent workers
  never block on nor take the same row; on SQLite a claim is one UPDATE, run under its single
  write lock.
- **Finish** only while holding the lease (`worker` and `running` still ours): a worker that lost
  its lease (it stalled, another took the job over) cannot mark the job done twice. A failure
  waits `backoff(attempt)` and is parked as `failed`, with its error, after `max_attempts`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection, Engine, and_, func, insert, or_, select, update

from jobforge.errors import InputError, NotFoundError
from jobforge.jobs.tables import Job

LEASE_SECONDS = 300.0
MAX_ATTEMPTS = 5
STATUSES = ("queued", "running", "done", "failed")


@dataclass(frozen=True)
class Claimed:
    id: int
    kind: str
    key: str
    payload: dict
    attempt: int


def now() -> datetime:
    return datetime.now(UTC)


def backoff(attempt: int) -> float:
    """Seconds before attempt `attempt + 1`: 2, 4, 8 … up to 10 minutes."""
    return min(600.0, 2.0**attempt)


def enqueue(
    connection: Connection, kind: str, key: str, payload: dict | None = None, *, again: bool = False,
    retry_failed: bool = False, at_once: bool = False, max_attempts: int = MAX_ATTEMPTS,
) -> bool:  # fmt: skip
    """Queue `key` unless it is queued or running, or finished (done or failed) and not `again`
    (`retry_failed`: a failed one is queued again, a done one is not); True when queued.
    `at_once`: one queued and waiting out its backoff is due now, since someone asked for it."""
    moment = now()
    existing = connection.execute(select(Job.id, Job.status).where(Job.key == key)).first()
    body = json.dumps(payload or {}, sort_keys=True)
    if existing is None:
        connection.execute(
            insert(Job).values(
                kind=kind,
                key=key,
                payload=body,
                status="queued",
                attempts=0,
                max_attempts=max_attempts,
                run_after=moment,
                created_at=moment,
            )  # fmt: skip
        )
        return True
    if existing.status == "queued" and at_once:
        connection.execute(update(Job).where(Job.id == existing.id, Job.run_after > moment).values(run_after=moment))
    if existing.status in ("queued", "running") or not (again or (retry_failed and existing.status == "failed")):
        return False
    connection.execute(
        update(Job)
        .where(Job.id == existing.id)
        .values(
            status="queued",
            attempts=0,
            payload=body,
            run_after=moment,
            lease_until=None,
            worker=None,
            last_error=None,
            finished_at=None,
        )  # fmt: skip
    )
    return True


def _claimable(moment: datetime):
    return or_(
        and_(Job.status == "queued", Job.run_after <= moment),
        and_(Job.status == "running", Job.lease_until < moment),
    )


def claim(
    engine: Engine, worker: str, limit: int = 1, lease: float = LEASE_SECONDS, keys: list[str] | None = None
) -> list[Claimed]:
    """Up to `limit` due jobs (among `keys`, when given), now running under `worker` (unique to
    one thread of one process) until the lease passes."""
    moment = now()
    until = moment + timedelta(seconds=lease)
    taking = {"status": "running", "worker": worker, "lease_until": until, "attempts": Job.attempts + 1}
    due = select(Job.id).where(_claimable(moment)).order_by(Job.id).limit(limit)
    if keys is not None:
        due = due.where(Job.key.in_(keys))
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            # One statement: SQLite runs it under its single write lock, so no two workers take a row.
            connection.execute(update(Job).where(Job.id.in_(due.scalar_subquery())).values(**taking))
            ids = connection.scalars(
                select(Job.id).where(Job.worker == worker, Job.status == "running", Job.lease_until == until)
            ).all()
        else:
            ids = connection.scalars(due.with_for_update(skip_locked=True)).all()
            if ids:
                connection.execute(update(Job).where(Job.id.in_(ids)).values(**taking))
        rows = connection.execute(
            select(Job.id, Job.kind, Job.key, Job.payload, Job.attempts).where(Job.id.in_(ids)).order_by(Job.id)
        ).all() if ids else []  # fmt: skip
    return [Claimed(row.id, row.kind, row.key, json.loads(row.payload), row.attempts) for row in rows]


def _ours(job_id: int, worker: str):
    return and_(Job.id == job_id, Job.worker == worker, Job.status == "running")


def complete(connection: Connection, job_id: int, worker: str, result: dict | None = None) -> bool:
    """Mark done in the caller's transaction (the one holding the job's effect, where it can);
    False when the lease was lost, and the caller should roll its effect back."""
    return bool(
        connection.execute(
            update(Job)
            .where(_ours(job_id, worker))
            .values(
                status="done",
                finished_at=now(),
                lease_until=None,
                result=json.dumps(result or {}, default=str),
            )  # fmt: skip
        ).rowcount
    )


def fail(engine: Engine, job_id: int, worker: str, error: str) -> str:
    """Record a failed attempt: queued again after its backoff, or parked as failed at the last."""
    with engine.begin() as connection:
        row = connection.execute(select(Job.attempts, Job.max_attempts).where(_ours(job_id, worker))).first()
        if row is None:
            return "lost"
        parked = row.attempts >= row.max_attempts
        connection.execute(
            update(Job)
            .where(_ours(job_id, worker))
            .values(
                status="failed" if parked else "queued",
                last_error=error[:4000],
                lease_until=None,
                run_after=now() + timedelta(seconds=backoff(row.attempts)),
                finished_at=now() if parked else None,
            )  # fmt: skip
        )
    return "failed" if parked else "queued"


def retry(engine: Engine, job_id: int) -> None:
    """A parked job queued again, with its attempts counted from zero."""
    with engine.begin() as connection:
        status = connection.scalar(select(Job.status).where(Job.id == job_id))
        if status is None:
            raise NotFoundError(f"no job {job_id}")
        if status != "failed":
            raise InputError(f"job {job_id} is {status}: only a failed job is retried")
        connection.execute(
            update(Job).where(Job.id == job_id).values(status="queued", attempts=0, run_after=now(), finished_at=None)
        )


@dataclass(frozen=True)
class JobView:
    id: int
    kind: str
    key: str
    status: str
    attempts: int
    max_attempts: int
    last_error: str | None
    result: dict | None
    created_at: datetime
    finished_at: datetime | None


def listed(engine: Engine, status: str | None = None, limit: int = 100) -> list[JobView]:
    if status is not None and status not in STATUSES:
        raise InputError(f"status '{status}' is not one of {', '.join(STATUSES)}")
    query = select(
        Job.id, Job.kind, Job.key, Job.status, Job.attempts, Job.max_attempts, Job.last_error, Job.result,
        Job.created_at, Job.finished_at,
    ).order_by(Job.id.desc()).limit(limit)  # fmt: skip
    if status is not None:
        query = query.where(Job.status == status)
    with engine.connect() as connection:
        return [
            JobView(*row[:7], json.loads(row.result) if row.result else None, row.created_at, row.finished_at)
            for row in connection.execute(query)
        ]


def counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        found = {row[0]: row[1] for row in connection.execute(select(Job.status, func.count()).group_by(Job.status))}
    return {status: found.get(status, 0) for status in STATUSES}
