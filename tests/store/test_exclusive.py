"""One load at a time per database, and schema creation that two processes can race, on every backend."""

from __future__ import annotations

import threading

import pytest
from typer.testing import CliRunner

from jobforge.cli import app
from jobforge.errors import ConflictError, ErrorKind
from jobforge.store import migrate
from jobforge.store.exclusive import exclusive
from tests.conftest import NOC_DATA, offline_kb


def test_a_load_beside_a_running_load_is_refused_saying_since_when(kb, sample_zip):
    with kb.engine.connect() as holder, holder.begin(), exclusive(holder, "load"):
        with pytest.raises(ConflictError, match="another load of this database is running"):
            kb.onet.load(sample_zip)
        with pytest.raises(ConflictError, match="another load"):
            kb.canada.load_noc(NOC_DATA)
        refused = CliRunner().invoke(app, ["--db", kb.database_url, "onet", "load", str(sample_zip)])
    assert refused.exit_code == ErrorKind.CONFLICT.exit_code and "another load" in refused.output
    assert "Traceback" not in refused.output
    assert kb.onet.live_release() is None
    assert kb.onet.load(sample_zip).status == "loaded"  # the lock went with the holder's transaction


def test_the_sqlite_lock_names_its_holder(tmp_path, sample_zip):
    kb = offline_kb(f"sqlite:///{tmp_path / 'held.db'}")
    kb.upgrade()
    with kb.engine.connect() as holder, holder.begin(), exclusive(holder, "load"):
        with pytest.raises(ConflictError, match=r"since \d{4}-\d\d-\d\dT.* \(process \d+\)"):
            kb.onet.load(sample_zip)


def test_two_processes_creating_the_schema_at_once_both_succeed(database_url):
    errors: list[BaseException] = []

    def upgrade() -> None:
        kb = offline_kb(database_url)
        try:
            kb.upgrade()
        except BaseException as error:
            errors.append(error)
        finally:
            kb.engine.dispose()

    racers = [threading.Thread(target=upgrade) for _ in range(3)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()
    assert errors == []
    checking = offline_kb(database_url)
    assert migrate.current_revision(checking.engine) == migrate.head_revision()
    checking.engine.dispose()
