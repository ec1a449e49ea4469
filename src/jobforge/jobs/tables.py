"""The `job` table: one row per piece of deferred work, keyed so that asking twice enqueues once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from jobforge.store.base import Base
from jobforge.store.types import LONG_TEXT, UtcDateTime


class Job(Base):
    __tablename__ = "job"
    __table_args__ = (Index(None, "status", "run_after"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(40))  # the handler: "enrich", "noop", ...
    key: Mapped[str] = mapped_column(String(200), unique=True)  # e.g. "enrich:onet:15-1252.00"
    payload: Mapped[str] = mapped_column(LONG_TEXT)  # JSON
    status: Mapped[str] = mapped_column(String(10))  # queued, running, done, failed
    attempts: Mapped[int] = mapped_column(Integer)
    max_attempts: Mapped[int] = mapped_column(Integer)
    run_after: Mapped[datetime] = mapped_column(UtcDateTime)  # not claimed before (backoff)
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime)  # a running job whose lease passed is claimable
    worker: Mapped[str | None] = mapped_column(String(120))
    last_error: Mapped[str | None] = mapped_column(LONG_TEXT)
    result: Mapped[str | None] = mapped_column(LONG_TEXT)  # JSON summary of what the job did
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
