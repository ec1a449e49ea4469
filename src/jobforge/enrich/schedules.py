"""Scheduled refreshes, as jobs of the queue: a schedule enqueues one job per period, keyed by the
period, so that two schedulers (or a restart) never run it twice, and whichever worker is free
runs it. The outcome of a run is its job's (done, or failed with its error after its retries).

| schedule | when (cron) | job |
|---|---|---|
| tbs | `0 3 1 * *` | scrape the TBS occupational groups, English and French |
| onet-refresh | `0 4 * * 0` | fetch again the occupations whose Web Services answers are older than the cache TTL |
| reimpute | `0 5 * * *` | once per imputer version and model: estimate again what was imputed |
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, select

from jobforge.config import Settings
from jobforge.jobs import queue
from jobforge.jobs.tables import Job

IMPUTER_VERSION = "2"  # bump when the imputers change what they estimate: the reimpute schedule then redoes it


@dataclass(frozen=True)
class Schedule:
    name: str
    cron: str
    kind: str
    what: str

    def key(self, when: datetime, settings: Settings) -> str:
        if self.kind == "tbs-scrape":
            return f"tbs-scrape:{when:%Y-%m}"
        if self.kind == "onet-refresh":
            return f"onet-refresh:{when:%G-W%V}"
        provider = "llm" if settings.llm_model else "neighbours"
        return f"reimpute:{provider}:v{IMPUTER_VERSION}:{settings.llm_model or '-'}"[:200]

    def next_run(self, after: datetime) -> datetime | None:
        from apscheduler.triggers.cron import CronTrigger

        return CronTrigger.from_crontab(self.cron, timezone=UTC).get_next_fire_time(None, after)


SCHEDULES = (
    Schedule("tbs", "0 3 1 * *", "tbs-scrape", "scrape the TBS occupational groups (English and French)"),
    Schedule(
        "onet-refresh", "0 4 * * 0", "onet-refresh", "refresh O*NET Web Services answers older than the cache TTL"
    ),
    Schedule(
        "reimpute", "0 5 * * *", "reimpute", "estimate again what was imputed, once per imputer version and model"
    ),
)


def enqueue(engine: Engine, settings: Settings, schedule: Schedule, when: datetime | None = None) -> bool:
    """This period's job of `schedule`, unless it is already queued, running or done."""
    with engine.begin() as connection:
        return queue.enqueue(connection, schedule.kind, schedule.key(when or datetime.now(UTC), settings))


def status(engine: Engine, now: datetime | None = None) -> list[dict]:
    """Each schedule with its next run and its last run's outcome."""
    now = now or datetime.now(UTC)
    shown = []
    with engine.connect() as connection:
        for schedule in SCHEDULES:
            last = connection.execute(
                select(Job.key, Job.status, Job.created_at, Job.finished_at, Job.last_error, Job.result)
                .where(Job.kind == schedule.kind)
                .order_by(Job.id.desc())
                .limit(1)
            ).first()
            shown.append({
                "name": schedule.name, "cron": schedule.cron, "what": schedule.what,
                "next_run": schedule.next_run(now),
                "last_run": None if last is None else {
                    "key": last.key, "status": last.status, "enqueued_at": last.created_at,
                    "finished_at": last.finished_at, "error": last.last_error,
                },
            })  # fmt: skip
    return shown


def stale_fetched(engine: Engine, days: float) -> list[str]:
    """Occupations served from Web Services whose cached summary answer is older than `days`
    (a refresh that finds the same values leaves them, and their provenance, as they were; the
    cache records that they were asked again)."""
    from jobforge.provenance.value_tables import AttributeValue, ValueSource
    from jobforge.sources.onet.web_cache import OnetApiResponse

    before = datetime.now(UTC) - timedelta(days=days)
    with engine.connect() as connection:
        fetched = connection.scalars(
            select(AttributeValue.entity).distinct()
            .join(ValueSource, ValueSource.id == AttributeValue.value_source_id)
            .where(AttributeValue.replaced_at.is_(None), AttributeValue.entity.like("onet:%"),
                   ValueSource.url.is_not(None))
        ).all()  # fmt: skip
        asked = {
            url: at
            for url, at in connection.execute(
                select(OnetApiResponse.url, OnetApiResponse.fetched_at).where(
                    OnetApiResponse.url.like("%online/occupations/%")
                )
            )
        }
    stale = []
    for entity in fetched:
        code = entity.split(":", 1)[1]
        times = [at for url, at in asked.items() if f"online/occupations/{code}/" in url]
        if not times or min(_aware(at) for at in times) < before:
            stale.append(code)
    return sorted(stale)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
