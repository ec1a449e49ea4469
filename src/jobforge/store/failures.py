"""A database that cannot be used, said in one line that names it (without its password).

SQLAlchemy raises the driver's own errors, many lines long and different per backend; the bulk
paths raise them bare. Those that mean the database itself cannot serve the command become
DatabaseUnavailableError: out of reach (refused, unknown host, wrong credentials, a file that cannot
be opened), not a database or damaged (SQLite), or busy (another writer held its lock past the wait).
A full disk becomes DatabaseFullError, and a URL no backend understands a ConfigurationError.
A text longer than its column (which PostgreSQL and MariaDB refuse, and SQLite keeps) is an
InputError: the checks of what is written should have said so first, and this says it when one
did not. Anything else is left to surface as the bug it is.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy import exc
from sqlalchemy.engine import URL

from jobforge.errors import (
    ConfigurationError,
    DatabaseFullError,
    DatabaseUnavailableError,
    InputError,
    JobForgeError,
)
from jobforge.store.engine import BUSY_TIMEOUT_MS, parsed_url

_DISK_FULL_SQLSTATE = "53100"  # PostgreSQL: disk_full ("could not extend file …")
_MYSQL_FULL = {1021, 1114}  # MariaDB/MySQL: ER_DISK_FULL, ER_RECORD_FILE_FULL ("The table … is full")
_MYSQL_LOCK_WAIT = 1205  # MariaDB/MySQL: ER_LOCK_WAIT_TIMEOUT (innodb_lock_wait_timeout, 50 s by default)
_TOO_LONG_SQLSTATE = "22001"  # PostgreSQL: string_data_right_truncation ("value too long for type …")
_MYSQL_TOO_LONG = 1406  # MariaDB/MySQL: ER_DATA_TOO_LONG ("Data too long for column …")
_LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL, once a lock_timeout the server sets has passed
_SQLITE_BUSY = {sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}  # after the busy timeout: a writer holds on
_SQLITE_UNUSABLE = {  # the file itself, whatever the statement: said with what to do about it
    sqlite3.SQLITE_NOTADB: "is --db (or JOBFORGE_DATABASE_URL) the right file?",
    sqlite3.SQLITE_CORRUPT: "the file is damaged: restore it from a backup (sqlite3's .recover saves what it can)",
}


def explained(error: BaseException, url: str | URL) -> JobForgeError | None:
    """The one-line JobForgeError that `error` means for the database at `url`, or None."""
    shown = _shown(url)
    driver_error = error.orig if isinstance(error, exc.DBAPIError) and error.orig is not None else error
    if _out_of_space(driver_error):
        return DatabaseFullError(
            f"the database {shown} has no room left ({_first_line(driver_error)}): "
            "free disk space (or raise its quota), then run it again"
        )
    if getattr(driver_error, "sqlstate", None) == _TOO_LONG_SQLSTATE or _code(driver_error) == _MYSQL_TOO_LONG:
        return InputError(
            f"a value is longer than the database {shown} keeps ({_first_line(driver_error)}); nothing written"
        )
    if isinstance(driver_error, sqlite3.OperationalError) and driver_error.sqlite_errorcode in _SQLITE_BUSY:
        return DatabaseUnavailableError(
            f"the database {shown} is busy: another process has held its write lock for longer than "
            f"{BUSY_TIMEOUT_MS // 1000} s ({_first_line(driver_error)}); run it again once that one has finished"
        )
    if _code(driver_error) == _MYSQL_LOCK_WAIT or getattr(driver_error, "sqlstate", None) == _LOCK_NOT_AVAILABLE:
        return DatabaseUnavailableError(
            f"the database {shown} is busy: another transaction held a lock this one needs for longer than the "
            f"server waits ({_first_line(driver_error)}); run it again once that one has finished"
        )
    if isinstance(driver_error, sqlite3.DatabaseError) and driver_error.sqlite_errorcode in _SQLITE_UNUSABLE:
        what_to_do = _SQLITE_UNUSABLE[driver_error.sqlite_errorcode]
        return DatabaseUnavailableError(f"cannot use the database {shown}: {_first_line(driver_error)}; {what_to_do}")
    if isinstance(error, (exc.OperationalError, exc.InterfaceError)) and (
        error.connection_invalidated or _at_connect(error)
    ):
        return DatabaseUnavailableError(f"cannot use the database {shown}: {_first_line(error.orig or error)}")
    if isinstance(error, (exc.ArgumentError, exc.NoSuchModuleError)):
        return ConfigurationError(
            f"--db / JOBFORGE_DATABASE_URL {shown!r} is not a database URL JobForge can use ({_first_line(error)}); "
            "e.g. sqlite:///jobforge.db or postgresql+psycopg://user@host:5432/db"
        )
    return None


def _out_of_space(driver_error: BaseException) -> bool:
    if isinstance(driver_error, sqlite3.Error):
        return getattr(driver_error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
    if getattr(driver_error, "sqlstate", None) == _DISK_FULL_SQLSTATE:
        return True
    code = _code(driver_error)  # MariaDB also says it as "Error writing file … (Errcode: 28 "No space left …")"
    return code in _MYSQL_FULL or (code is not None and "No space left on device" in str(driver_error))


def _code(driver_error: BaseException) -> int | None:
    """A MariaDB/MySQL error's number (PyMySQL's first argument)."""
    if type(driver_error).__module__.startswith("pymysql") and driver_error.args:
        code = driver_error.args[0]
        return code if isinstance(code, int) else None
    return None


def _at_connect(error: exc.DBAPIError) -> bool:
    """Raised while connecting (no statement ran): the database is out of reach, not the query wrong."""
    return error.statement is None


def _shown(url: str | URL) -> str:
    try:
        return parsed_url(url).render_as_string(hide_password=True)
    except exc.ArgumentError:
        return str(url).split("@")[-1] if "@" in str(url) else str(url)


def _first_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__
