"""GET /coverage and GET /jobs: how complete the data is, and the queue that fills it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel

from jobforge.api.deps import Kb
from jobforge.api.errors import error_responses
from jobforge.jobs.queue import JobView

router = APIRouter(tags=["enrichment"])


class FieldCoverageOut(BaseModel):
    covered: int
    share: float
    by_source: dict[str, int]
    by_band: dict[str, int]


class KindCoverageOut(BaseModel):
    total: int
    fields: dict[str, FieldCoverageOut]


class JobsOut(BaseModel):
    counts: dict[str, int]
    jobs: list[JobView]


@router.get("/coverage", response_model=dict[str, KindCoverageOut], responses=error_responses())
def coverage(kb: Kb) -> dict:
    """For occupations, NOC unit groups and company roles (all organisations, counted only): the
    share that has each field, by the source kind serving it and by confidence band (high ≥ 0.8,
    medium ≥ 0.5, low)."""
    return kb.enrich.coverage().to_json()


@router.get("/jobs", response_model=JobsOut, responses=error_responses(400))
def jobs(
    kb: Kb,
    status: Literal["queued", "running", "done", "failed"] | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> JobsOut:
    """The job queue: counts by status, and the newest jobs (with their error when failed)."""
    return JobsOut(
        counts=kb.enrich.counts(),
        jobs=kb.enrich.jobs(status, limit),
    )


class LastRunOut(BaseModel):
    key: str
    status: str
    enqueued_at: datetime
    finished_at: datetime | None
    error: str | None


class ScheduleOut(BaseModel):
    name: str
    cron: str
    what: str
    next_run: datetime | None
    last_run: LastRunOut | None


@router.get("/schedule", response_model=list[ScheduleOut], responses=error_responses())
def schedule(kb: Kb) -> list[dict]:
    """The scheduled refreshes (`jobforge schedule`): when each runs next (UTC), and how its last run ended."""
    return kb.enrich.schedules()
