"""One writer of a kind at a time per database: loads refuse to run beside another load, and schema
migrations wait for one another, with a one-line answer instead of a deadlock or a duplicate key.

PostgreSQL uses a transaction-scoped advisory lock (released by the commit or rollback that ends
the work, whatever kills the process); MariaDB a named lock of the connection (released at the
end, or when the connection dies); SQLite, whose writers already take turns on the database lock,
a lock on a file beside the database (released when the process ends, however it ends), which
lets the second load say who holds it instead of waiting.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, text

from jobforge.errors import ConflictError

_PG_CLASS = 0x4A46  # 'JF': the advisory lock keys of JobForge are (this, purpose)
PURPOSES = {"load": 1, "schema": 2}


@contextmanager
def exclusive(connection: Connection, purpose: str, *, wait: bool = False) -> Iterator[None]:
    """Hold `purpose`'s lock on this database for the block (inside the connection's transaction on
    PostgreSQL). Without `wait`, a lock another process holds is a ConflictError saying since when."""
    backend = connection.dialect.name
    if backend == "postgresql":
        _postgresql(connection, purpose, wait)
        yield
    elif backend in ("mysql", "mariadb"):
        with _mariadb(connection, purpose, wait):
            yield
    else:
        with _sqlite(connection, purpose, wait):
            yield


def _postgresql(connection: Connection, purpose: str, wait: bool) -> None:
    key = {"kind": _PG_CLASS, "purpose": PURPOSES[purpose]}
    if wait:
        connection.execute(text("SELECT pg_advisory_xact_lock(:kind, :purpose)"), key)
        return
    if connection.scalar(text("SELECT pg_try_advisory_xact_lock(:kind, :purpose)"), key):
        return
    holder = connection.execute(
        text(
            "SELECT a.pid, a.xact_start FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = :kind AND l.objid = :purpose "
            "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        ),
        key,
    ).first()
    since = f" since {holder.xact_start:%Y-%m-%d %H:%M:%S %Z}" if holder and holder.xact_start else ""
    who = f" (PostgreSQL backend {holder.pid})" if holder else ""
    raise ConflictError(f"another {purpose} of this database is running{since}{who}; try again when it is done")


@contextmanager
def _mariadb(connection: Connection, purpose: str, wait: bool) -> Iterator[None]:
    name = f"jobforge:{connection.scalar(text('SELECT DATABASE()'))}:{purpose}"
    if not connection.scalar(text("SELECT GET_LOCK(:name, :seconds)"), {"name": name, "seconds": 600 if wait else 0}):
        holder = connection.scalar(text("SELECT IS_USED_LOCK(:name)"), {"name": name})
        raise ConflictError(
            f"another {purpose} of this database is running (MariaDB connection {holder}); try again when it is done"
        )
    try:
        yield
    finally:
        connection.execute(text("SELECT RELEASE_LOCK(:name)"), {"name": name})


@contextmanager
def _sqlite(connection: Connection, purpose: str, wait: bool) -> Iterator[None]:
    database = connection.engine.url.database
    if not database or database == ":memory:":  # one process: nothing to share with
        yield
        return
    path = Path(f"{database}.{purpose}.lock")
    with open(path, "a+", encoding="utf-8") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            raise ConflictError(
                f"another {purpose} of this database is running{_holder(handle.read())}; try again when it is done"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"pid": os.getpid(), "since": datetime.now(UTC).isoformat(timespec="seconds")}))
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _holder(recorded: str) -> str:
    try:
        holder = json.loads(recorded)
        return f" since {holder['since']} (process {holder['pid']})"
    except (ValueError, KeyError, TypeError):
        return ""
