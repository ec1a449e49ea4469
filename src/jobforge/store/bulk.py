"""Bulk inserts through each backend's own fast path, inside the caller's transaction.

ORM objects cost far more than the data they carry, so loads go through the raw driver:
`executemany` on SQLite, `COPY ... FROM STDIN` on PostgreSQL and `LOAD DATA LOCAL INFILE` on
MariaDB/MySQL (its COPY). Batches arrive column-major (one list per column), which is how the
loader validates them; each path turns them into what its driver wants.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Connection, Table
from sqlalchemy.schema import AddConstraint, DropConstraint

NULL = "\\N"
_SPECIAL = ("\\", "\t", "\n", "\r")
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


@dataclass(frozen=True)
class PreparedBatch:
    """A batch already in the form its backend's bulk path consumes; building it needs no
    database, so it can be done on another thread while the previous batch is being written."""

    table: Table
    columns: tuple[str, ...]
    payload: object
    rows: int
    constants: tuple[tuple[str, int | str], ...] = ()


def prepare_batch(
    backend: str, table: Table, data: Mapping[str, Sequence], constants: Mapping[str, object] | None = None
) -> PreparedBatch:
    """Turn a column-major batch (column name → values) into a PreparedBatch.

    `constants` are columns with one value for the whole batch (the load record, the source
    kind); where the bulk path allows it they travel once in the statement, not once per row.
    """
    constants = dict(constants or {})
    rows = len(next(iter(data.values()))) if data else 0
    if backend == "sqlite":
        return PreparedBatch(table, tuple(data), list(zip(*data.values())), rows, tuple(constants.items()))
    if backend in ("mysql", "mariadb"):
        return PreparedBatch(table, tuple(data), copy_text(list(data.values())), rows, tuple(constants.items()))
    if backend == "postgresql":  # COPY takes no expressions: constants become ordinary columns
        full = {**data, **{name: [value] * rows for name, value in constants.items()}}
        return PreparedBatch(table, tuple(full), copy_text(list(full.values())), rows)
    raise NotImplementedError(f"no bulk path for the {backend} backend")


def _literal(value: int | str) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise TypeError(f"unsupported constant {value!r}")
    return str(value) if isinstance(value, int) else "'" + value.replace("'", "''") + "'"


def write_batch(connection: Connection, batch: PreparedBatch) -> int:
    """Write a prepared batch in the caller's transaction; returns rows inserted."""
    if not batch.rows:
        return 0
    backend = connection.dialect.name
    raw = connection.connection.driver_connection
    if backend == "sqlite":
        return _sqlite_executemany(raw, batch)
    if backend == "postgresql":
        return _postgresql_copy(raw, batch)
    return _mysql_load_data(raw, batch)


def _sqlite_executemany(raw, batch: PreparedBatch) -> int:
    names = ", ".join(f'"{c}"' for c in (*batch.columns, *(name for name, _ in batch.constants)))
    marks = ", ".join(["?"] * len(batch.columns) + [_literal(value) for _, value in batch.constants])
    cursor = raw.cursor()
    try:
        cursor.executemany(f'INSERT INTO "{batch.table.name}" ({names}) VALUES ({marks})', batch.payload)
    finally:
        cursor.close()
    return batch.rows


def _postgresql_copy(raw, batch: PreparedBatch) -> int:
    names = ", ".join(f'"{c}"' for c in batch.columns)
    with raw.cursor() as cursor, cursor.copy(f'COPY "{batch.table.name}" ({names}) FROM STDIN') as copy:
        copy.write(batch.payload)
    return batch.rows


def _mysql_load_data(raw, batch: PreparedBatch) -> int:
    names = ", ".join(f"`{c}`" for c in batch.columns)
    assignments = ", ".join(f"`{name}` = {_literal(value)}" for name, value in batch.constants).replace("%", "%%")
    handle, path = tempfile.mkstemp(prefix="jobforge-", suffix=".tsv")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(batch.payload)
        with raw.cursor() as cursor:
            cursor.execute(
                f"LOAD DATA LOCAL INFILE %s INTO TABLE `{batch.table.name}` CHARACTER SET utf8mb4 "
                f"FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' ({names})"
                + (f" SET {assignments}" if assignments else ""),
                (path,),
            )
            inserted = cursor.rowcount
            # LOCAL turns data errors into warnings (the server cannot stop the upload), so a
            # silent coercion is caught here and the caller's transaction is rolled back.
            cursor.execute("SHOW WARNINGS LIMIT 3")
            warnings = cursor.fetchall()
    finally:
        os.unlink(path)
    if inserted != batch.rows or warnings:
        raise RuntimeError(
            f"LOAD DATA into {batch.table.name} stored {inserted} of {batch.rows} rows; warnings: {warnings}"
        )
    return inserted


def copy_text(data: Sequence[Sequence]) -> str:
    """The batch as tab-separated text in the escaping both COPY and LOAD DATA read."""
    formatted = [_format_column(values) for values in data]
    return "\n".join(map("\t".join, zip(*formatted))) + "\n"


def _format_column(values: Sequence) -> list[str]:
    sample = next((v for v in values if v is not None), None)
    if sample is None:
        return [NULL] * len(values)
    has_null = None in values
    if isinstance(sample, bool):
        return [NULL if v is None else ("1" if v else "0") for v in values]
    if isinstance(sample, str):
        joined = "\x00".join(filter(None, values)) if has_null else "\x00".join(values)
        if any(ch in joined for ch in _SPECIAL):
            return [NULL if v is None else v.translate(_ESCAPES) for v in values]
        return [NULL if v is None else v for v in values] if has_null else list(values)
    return [NULL if v is None else str(v) for v in values] if has_null else list(map(str, values))


@contextmanager
def deferred_indexes(connection: Connection, tables: Sequence[Table], *, while_read: bool = False) -> Iterator[None]:
    """Drop the secondary indexes (and, on PostgreSQL, the foreign keys) of `tables` for the
    duration of a bulk load and rebuild them after, inside the same transaction.

    One sorted index build is cheaper than growing B-trees row by row, and PostgreSQL checks a
    foreign key with a trigger per row but re-adds one with a single set-based query, which
    still validates every row before commit. Only where DDL is transactional (SQLite,
    PostgreSQL); on MariaDB DDL would commit halfway, so there everything stays in place.
    `while_read`: the tables hold what readers are reading now (a release being replaced). On
    PostgreSQL a dropped index locks its table against every reader until the commit, so then
    nothing is dropped: the load is slower, and readers keep the previous release meanwhile.
    (SQLite's readers read the last committed state, schema included, whatever the writer does.)
    """
    backend = connection.dialect.name
    if backend not in ("sqlite", "postgresql") or (while_read and backend == "postgresql"):
        yield
        return
    indexes = [index for table in tables for index in table.indexes]
    foreign_keys = [fk for table in tables for fk in table.foreign_key_constraints] if backend == "postgresql" else []
    for foreign_key in foreign_keys:
        connection.execute(DropConstraint(foreign_key))
    for index in indexes:
        index.drop(connection)
    yield
    for index in indexes:
        index.create(connection)
    for foreign_key in foreign_keys:
        connection.execute(AddConstraint(foreign_key))


@contextmanager
def references_checked_by_loader(connection: Connection) -> Iterator[None]:
    """Suspend per-row foreign-key enforcement on SQLite and MariaDB for a load whose loader has
    already checked every reference against the keys it loaded (and names the offending line,
    which the database cannot). SQLite only honours the switch outside a transaction, so enter
    this before beginning one. PostgreSQL is handled by `deferred_indexes`, which re-validates."""
    backend = connection.dialect.name
    switch = {
        "sqlite": "PRAGMA foreign_keys={}",
        "mysql": "SET SESSION foreign_key_checks={}",
        "mariadb": "SET SESSION foreign_key_checks={}",
    }.get(backend)
    if switch is None:
        yield
        return
    connection.exec_driver_sql(switch.format(0))
    connection.commit()
    try:
        yield
    finally:
        connection.exec_driver_sql(switch.format(1))
        connection.commit()
