"""Each error keeps its meaning in every shell: one kind per class, one HTTP status and one CLI exit
code per kind, and Retry-After passed on when a source said when to come back."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import psycopg
import pymysql
import pytest
import typer
from fastapi.testclient import TestClient
from sqlalchemy.exc import OperationalError
from typer.testing import CliRunner

from jobforge import errors as e
from jobforge.api import create_app
from jobforge.cli.context import fail_cleanly
from jobforge.store.failures import explained
from tests.conftest import offline_kb

RAISED = {
    "input": (e.InputError("bad"), 400, 2),
    "row": (e.MalformedRowError("Skills.txt", 12, "Data Value", "'4,5' is not a number"), 400, 2),
    "code": (e.InvalidCodeError("code '1' is not of the form NN-NNNN.NN"), 400, 2),
    "release": (e.ReleaseError("cannot tell which release"), 400, 2),
    "response": (e.MalformedResponseError("https://api.example/x", "not JSON"), 502, 6),
    "page": (e.PageStructureError("https://tbs.example/", "a table with 13 columns"), 502, 6),
    "missing": (e.NotFoundError("no occupation 99-9999.99"), 404, 3),
    "conflict": (e.ConflictError("another load is running"), 409, 4),
    "downgrade": (e.ReleaseConflictError("release 30.1 is live"), 409, 4),
    "unavailable": (e.SourceUnavailableError("https://api.example/x", "HTTP 503", retry_after=12.2), 503, 5),
    "key": (e.ApiKeyRejectedError("rejected the API key"), 502, 6),
    "setting": (e.ConfigurationError("set JOBFORGE_RETAIN_REPLACED_DAYS"), 500, 7),
    "bug": (RuntimeError("a bug"), 500, 1),
}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    kb = offline_kb(f"sqlite:///{tmp_path_factory.mktemp('errors') / 'e.db'}")
    kb.upgrade()
    app = create_app(kb)

    @app.get("/raise/{name}", include_in_schema=False)
    def raise_it(name: str):
        raise RAISED[name][0]

    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client
    kb.engine.dispose()


@pytest.mark.parametrize("name", RAISED)
def test_each_error_class_answers_its_kinds_http_status_in_the_one_shape(client, name):
    error, status, _exit = RAISED[name]
    response = client.get(f"/raise/{name}")
    assert response.status_code == status
    assert response.json()["success"] is False
    if isinstance(error, e.JobForgeError):
        assert response.json()["message"] == str(error)


def test_a_transient_error_passes_retry_after_on_rounded_up(client):
    assert client.get("/raise/unavailable").headers["Retry-After"] == "13"
    assert "Retry-After" not in client.get("/raise/missing").headers


@pytest.mark.parametrize("name", [name for name in RAISED if name != "bug"])
def test_each_error_class_exits_the_cli_with_its_kinds_code_on_one_line(name):
    error, _status, exit_code = RAISED[name]
    app = typer.Typer()

    @app.command()
    @fail_cleanly
    def fail() -> None:
        raise error

    result = CliRunner().invoke(app, [])
    assert result.exit_code == exit_code
    assert "Traceback" not in result.output and str(error).split(":")[0] in result.output


def test_rewording_keeps_the_class_and_so_the_meaning():
    error = e.SourceUnavailableError("https://api.example/x", "HTTP 429", retry_after=3)
    reworded = error.reworded("no skills ratings for 15-1252.00; fetching failed")
    assert isinstance(reworded, e.SourceUnavailableError) and reworded.retry_after == 3
    assert str(reworded).startswith("no skills ratings") and str(reworded).endswith("HTTP 429")


@pytest.mark.parametrize(
    ("url", "kind", "shown"),
    [
        ("postgresql+psycopg://postgres:s3cret@127.0.0.1:1/test", e.ErrorKind.UNAVAILABLE, "postgres:***@127.0.0.1:1"),
        ("mysql+pymysql://root:s3cret@127.0.0.1:1/test", e.ErrorKind.UNAVAILABLE, "root:***@127.0.0.1:1"),
        ("sqlite:////nonexistent-folder/jobforge.db", e.ErrorKind.UNAVAILABLE, "unable to open database file"),
        ("nosuchdb://somewhere/x", e.ErrorKind.MISCONFIGURED, "is not a database URL"),
        (
            "postgresql+pg8000://postgres:s3cret@127.0.0.1/test",
            e.ErrorKind.MISCONFIGURED,
            "driver pg8000, which is not",
        ),
    ],
)
def test_a_database_that_cannot_be_used_is_one_line_naming_it_without_its_password(url, kind, shown):
    from jobforge.cli import app as cli

    result = CliRunner().invoke(cli, ["--db", url, "skill-gap", "11-1011.00", "29-1141.00"])
    assert result.exit_code == kind.exit_code, result.output
    assert shown in result.output and "s3cret" not in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_a_full_disk_and_a_lock_held_too_long_are_recognised_in_each_backends_own_error():
    full = [
        _sqlite_full(),
        psycopg.errors.DiskFull('could not extend file "base/16384/16401": No space left on device'),
        pymysql.err.OperationalError(1114, "The table 'value_row' is full"),
        OperationalError("INSERT …", {}, pymysql.err.OperationalError(1021, "Disk full (/tmp/#sql_1.MAI)")),
    ]
    for error in full:
        said = explained(error, "postgresql+psycopg://postgres:s3cret@db/test")
        assert isinstance(said, e.DatabaseFullError) and "s3cret" not in str(said), error
    assert explained(psycopg.errors.UniqueViolation("duplicate key"), "postgresql+psycopg://db/test") is None
    busy = explained(pymysql.err.OperationalError(1205, "Lock wait timeout exceeded"), "mysql+pymysql://db/t")
    assert isinstance(busy, e.DatabaseUnavailableError) and "is busy" in str(busy)
    assert explained(pymysql.err.IntegrityError(1062, "Duplicate entry"), "mysql+pymysql://db/t") is None
    written = pymysql.err.OperationalError(3, "Error writing file '/tmp/x' (Errcode: 28 \"No space left on device\")")
    assert isinstance(explained(written, "mysql+pymysql://db/t"), e.DatabaseFullError)
    assert explained(OSError(28, "No space left on device"), "sqlite:///x.db") is None  # not the database's own
    too_long = [
        psycopg.errors.StringDataRightTruncation("value too long for type character varying(120)"),
        pymysql.err.DataError(1406, "Data too long for column 'actor' at row 1"),
    ]
    for error in too_long:
        said = explained(error, "postgresql+psycopg://postgres:s3cret@db/test")
        assert isinstance(said, e.InputError) and "is longer than the database" in str(said), error


def _sqlite_full():
    """SQLite's own SQLITE_FULL, from a database capped at the pages it has."""
    connection = sqlite3.connect(":memory:")
    connection.execute("CREATE TABLE t (x)")
    connection.execute(f"PRAGMA max_page_count = {connection.execute('PRAGMA page_count').fetchone()[0]}")
    try:
        connection.execute("INSERT INTO t VALUES (?)", ("x" * 100_000,))
    except sqlite3.OperationalError as error:
        return error
    raise AssertionError("the capped database took the row")


def test_a_file_that_is_not_a_database_or_is_damaged_is_one_line_saying_what_to_do(tmp_path):
    from jobforge.cli import app as cli

    (tmp_path / "notes.db").write_text("shopping list\n" * 1000)
    damaged = tmp_path / "damaged.db"
    assert CliRunner().invoke(cli, ["--db", f"sqlite:///{damaged}", "db", "upgrade"]).exit_code == 0
    with closing(sqlite3.connect(damaged)) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the schema in the file itself, not in its log
    image = bytearray(damaged.read_bytes())
    image[100:4096] = b"\xff" * 3996  # the schema's page, past the file header
    damaged.write_bytes(image)
    for name, said in (("notes.db", "file is not a database; is --db"), ("damaged.db", "restore it from a backup")):
        result = CliRunner().invoke(
            cli, ["--db", f"sqlite:///{tmp_path / name}", "skill-gap", "11-1011.00", "29-1141.00"]
        )
        assert result.exit_code == e.ErrorKind.UNAVAILABLE.exit_code, result.output
        assert said in " ".join(result.output.split()) and "Traceback" not in result.output


def test_a_sqlite_file_another_process_keeps_locked_is_said_to_be_busy(tmp_path):
    """What a writer gets once the busy timeout has passed (here at once) while another holds the lock."""
    path = tmp_path / "busy.db"
    with (
        closing(sqlite3.connect(path, isolation_level=None)) as holder,
        closing(sqlite3.connect(path, timeout=0)) as late,
    ):
        holder.execute("CREATE TABLE t (x)")
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(sqlite3.OperationalError) as raised:
            late.execute("INSERT INTO t VALUES (1)")
    said = explained(raised.value, f"sqlite:///{path}")
    assert isinstance(said, e.DatabaseUnavailableError) and said.kind is e.ErrorKind.UNAVAILABLE
    assert "is busy: another process has held its write lock for longer than 30 s (database is locked)" in str(said)


def test_a_database_without_the_schema_or_with_an_older_one_is_said_with_the_command_that_fixes_it(database_url):
    """A new file, a mistyped --db or a database an older JobForge made: reading commands name it and
    what to run, instead of the driver's "no such table" traceback, and change nothing."""
    from sqlalchemy import create_engine, inspect, text

    from jobforge.cli import app as cli
    from jobforge.store import migrate

    for command in (["skill-gap", "11-1011.00", "29-1141.00"], ["classify", "Nurse"], ["roles", "list", "--org", "a"]):
        result = CliRunner().invoke(cli, ["--db", database_url, *command])
        assert result.exit_code == e.ErrorKind.NOT_FOUND.exit_code, result.output
        assert "has no JobForge schema" in result.output and "`jobforge db upgrade`" in result.output
        assert "Traceback" not in result.output
    engine = create_engine(database_url)
    assert inspect(engine).get_table_names() == []  # asked nothing to be made, so nothing was
    migrate.upgrade(engine, "0007")  # before company roles
    engine.dispose()
    result = CliRunner().invoke(cli, ["--db", database_url, "roles", "list", "--org", "a"])
    assert result.exit_code == e.ErrorKind.NOT_FOUND.exit_code, result.output
    assert "older JobForge schema (revision 0007, newest" in " ".join(result.output.split())
    with engine.begin() as connection:  # as a later JobForge would leave it: not called older
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    result = CliRunner().invoke(cli, ["--db", database_url, "roles", "list", "--org", "a"])
    assert result.exit_code == e.ErrorKind.CONFLICT.exit_code, result.output
    assert "revision 9999, which JobForge" in " ".join(result.output.split()) and "older" not in result.output
