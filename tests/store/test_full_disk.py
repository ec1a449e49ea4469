"""A database with no room left is said in one line naming it, on the command line and over HTTP,
and what was being written is not kept. SQLite's own limit on a file's pages gives the very error a
full disk does (SQLITE_FULL), so the tests fill a database without filling the machine's disk."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from jobforge.api import create_app
from jobforge.cli import app
from jobforge.errors import ErrorKind
from tests.conftest import offline_kb


@contextmanager
def no_room_beyond(extra_pages: int) -> Iterator[None]:
    """Every SQLite connection opened meanwhile may grow its file by at most `extra_pages` pages."""

    def cap(connection, _record) -> None:
        if isinstance(connection, sqlite3.Connection):
            pages = connection.execute("PRAGMA page_count").fetchone()[0]
            connection.execute(f"PRAGMA max_page_count = {pages + extra_pages}")

    event.listen(Engine, "connect", cap)
    try:
        yield
    finally:
        event.remove(Engine, "connect", cap)


def test_a_load_into_a_full_database_is_one_line_and_leaves_it_as_it_was(tmp_path, sample_zip):
    url = f"sqlite:///{tmp_path / 'full.db'}"
    assert CliRunner().invoke(app, ["--db", url, "db", "upgrade"]).exit_code == 0
    with no_room_beyond(16):
        result = CliRunner().invoke(app, ["--db", url, "onet", "load", str(sample_zip)])
    assert result.exit_code == ErrorKind.UNAVAILABLE.exit_code, result.output
    assert "has no room left (database or disk is full)" in result.output and url in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    kb = offline_kb(url)
    assert kb.onet.live_release() is None  # nothing of the load was kept
    assert kb.onet.load(sample_zip).status == "loaded"  # and with room, it loads


def test_a_write_over_http_to_a_full_database_answers_503_and_keeps_nothing(tmp_path, sample_zip):
    kb = offline_kb(f"sqlite:///{tmp_path / 'full.db'}")
    kb.upgrade()
    kb.onet.load(sample_zip)
    kb.roles.create_organisation("acme", "Acme")
    token = kb.roles.tokens.create("acme", "editor", "editor", "test")[0]
    headers = {"Authorization": f"Bearer {token}"}
    role = {"title": "Charge Nurse", "initial_code": "29-1141.00", "description": "Leads a ward's shift. " * 800}
    with TestClient(create_app(kb)) as client:
        with kb.engine.connect() as connection:
            connection.exec_driver_sql("VACUUM")  # no free page left: the long description needs new ones
        with no_room_beyond(0):
            kb.engine.dispose()  # connections opened from here on are capped
            answer = client.post("/roles?suggest=false", json=role, headers=headers)
        kb.engine.dispose()
        assert answer.status_code == 503 and "has no room left" in answer.json()["message"]
        assert client.get("/roles", headers=headers).json()["total"] == 0
        assert client.post("/roles?suggest=false", json=role, headers=headers).status_code == 201
