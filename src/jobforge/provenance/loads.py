"""Load records: opening a run, recording its files, retiring the run it replaces.

Every source loader writes through these, so that any stored row leads, through its
`load_file_id`, to the file (name, SHA-256, rows) and run (source, release, origin, JobForge
version, time) that produced it, and a replaced run stays on record as `superseded`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import Connection, delete, insert, select, update

import jobforge
from jobforge.provenance.tables import LoadFile, LoadRun

# What a step that needs the ratings says on a database that has none, so the user knows the fix.
NO_ONET_RELEASE = "no O*NET release is loaded: `jobforge onet load` (or `jobforge quickstart`) first"


def live_run(connection: Connection, source: str):
    """The live run of `source` (a Row with id, release, ...), or None."""
    return connection.execute(select(LoadRun).where(LoadRun.source == source, LoadRun.status == "live")).first()


def live_checksums(connection: Connection, run_id: int) -> dict[str, str]:
    return dict(
        connection.execute(
            select(LoadFile.file_name, LoadFile.sha256).where(
                LoadFile.load_run_id == run_id, LoadFile.status == "loaded"
            )
        ).all()
    )


def retire(connection: Connection, run_id: int, tables: Sequence[type]) -> None:
    """Delete the rows of `tables` (children last in `tables`, so deleted first) and mark the run superseded.

    DELETE, not TRUNCATE, even on PostgreSQL where TRUNCATE is faster: TRUNCATE locks each table
    against every reader until the commit, and readers must keep reading the previous release
    while the new one loads."""
    for table in reversed(tables):
        connection.execute(delete(table))
    connection.execute(update(LoadRun).where(LoadRun.id == run_id).values(status="superseded"))


def start_run(connection: Connection, source: str, release: str, origin: str) -> int:
    now = datetime.now(UTC)
    result = connection.execute(
        insert(LoadRun).values(
            source=source,
            release=release,
            origin=origin[-500:],
            jobforge_version=jobforge.__version__,
            started_at=now,
            finished_at=now,
            status="live",
        )
    )
    return result.inserted_primary_key[0]


def finish_run(connection: Connection, run_id: int) -> None:
    connection.execute(update(LoadRun).where(LoadRun.id == run_id).values(finished_at=datetime.now(UTC)))


def record_file(
    connection: Connection,
    run_id: int,
    file_name: str,
    sha256: str | None,
    rows_read: int = 0,
    rows_stored: int = 0,
    seconds: float = 0.0,
) -> int:
    result = connection.execute(
        insert(LoadFile).values(
            load_run_id=run_id,
            file_name=file_name,
            sha256=sha256,
            rows_read=rows_read,
            rows_stored=rows_stored,
            seconds=seconds,
            status="loaded",
        )
    )
    return result.inserted_primary_key[0]


def update_file(connection: Connection, file_id: int, rows_read: int, rows_stored: int, seconds: float) -> None:
    connection.execute(
        update(LoadFile)
        .where(LoadFile.id == file_id)
        .values(rows_read=rows_read, rows_stored=rows_stored, seconds=seconds)
    )


def supersede_all(connection: Connection, source: str) -> None:
    """Mark every live run of `source` superseded (its rows were removed with what they completed)."""
    connection.execute(
        update(LoadRun).where(LoadRun.source == source, LoadRun.status == "live").values(status="superseded")
    )
