"""Engines for the three supported backends, each tuned the same way wherever it runs."""

from __future__ import annotations

import sqlite3

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from jobforge.errors import ConfigurationError
from jobforge.store.case_folding import give_sqlite_connection


def make_engine(database_url: str) -> Engine:
    """An engine whose connections behave alike on SQLite, PostgreSQL and MariaDB.

    SQLite gets foreign keys switched on (they are off by default, per connection), write-ahead
    logging (readers keep reading the last committed state while a load writes, instead of failing
    with "database is locked") and a busy timeout (a second writer waits its turn for up to
    BUSY_TIMEOUT_MS before failing). MariaDB connections allow `LOAD DATA LOCAL INFILE`, the
    bulk path the loader uses there, and use utf8mb4 so every character O*NET publishes fits.
    MariaDB also runs READ COMMITTED, as PostgreSQL does by default: a value writer that waited
    for another's lock must then read what that one committed, which InnoDB's default
    REPEATABLE READ snapshot would hide. A URL naming a driver this install lacks is a
    ConfigurationError naming it, not the ImportError SQLAlchemy raises.
    """
    url = parsed_url(database_url)
    try:
        return _engine(url)
    except ImportError as error:  # a driver SQLAlchemy knows but that is not installed (postgresql+asyncpg)
        raise ConfigurationError(
            f"--db / JOBFORGE_DATABASE_URL {url.render_as_string(hide_password=True)!r} names the driver "
            f"{url.get_driver_name()}, which is not installed ({error}); JobForge installs the drivers of "
            "sqlite:///jobforge.db, postgresql+psycopg://user@host:5432/db and mysql+pymysql://user@host:3306/db"
        ) from None


def parsed_url(database_url: str | URL) -> URL:
    """`make_url`, with a host or port it cannot read ("postgresql+psycopg://u@[::1/db") the
    ArgumentError of any unreadable URL, not the ValueError of Python's URL parsing underneath."""
    try:
        return make_url(database_url)
    except ValueError as error:
        raise ArgumentError(f"Could not parse SQLAlchemy URL from given URL string ({error})") from None


def _engine(url: URL) -> Engine:
    backend = url.get_backend_name()
    if backend == "sqlite":
        engine = create_engine(url)
        event.listen(engine, "connect", _configure_sqlite_connection)
        return engine
    if backend in ("mysql", "mariadb"):
        return create_engine(
            url,
            connect_args={"local_infile": True, "charset": "utf8mb4"},
            pool_pre_ping=True,
            isolation_level="READ COMMITTED",
        )
    return create_engine(url, pool_pre_ping=True)


BUSY_TIMEOUT_MS = 30_000


def _configure_sqlite_connection(dbapi_connection, _record) -> None:
    give_sqlite_connection(dbapi_connection)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    if cursor.execute("PRAGMA journal_mode").fetchone()[0] not in ("wal", "memory"):
        _switch_to_wal(cursor)
    cursor.close()


def _switch_to_wal(cursor) -> None:
    """Switch a new database file to write-ahead logging (the file keeps the mode, so this happens once).

    Unlike other statements, the switch does not wait through the busy timeout: while another
    connection holds the write lock of a file not yet in WAL mode (a second process connecting while
    the first creates the schema) it fails at once with "database is locked". It is retried instead,
    for as long as the busy timeout would have waited; then the last error is raised as it was.
    """
    from tenacity import Retrying, retry_if_exception, stop_after_delay, wait_fixed  # only for a new file

    for attempt in Retrying(
        retry=retry_if_exception(lambda error: isinstance(error, sqlite3.OperationalError) and "locked" in str(error)),
        stop=stop_after_delay(BUSY_TIMEOUT_MS / 1000),
        wait=wait_fixed(0.02),
        reraise=True,
    ):
        with attempt:
            cursor.execute("PRAGMA journal_mode=WAL")
