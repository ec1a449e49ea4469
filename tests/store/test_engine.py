"""SQLite connections that wait their turn, including the first one to a new database file."""

from __future__ import annotations

import sqlite3
import threading

from sqlalchemy import text

from jobforge.store.engine import make_engine


def test_connecting_while_another_writes_a_new_file_waits_and_still_gets_write_ahead_logging(tmp_path):
    path = tmp_path / "new.db"
    # A new file is in rollback-journal mode; a first schema creation holds its write lock a while.
    writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("CREATE TABLE first_table (id INTEGER)")
    threading.Timer(0.5, writer.execute, ["COMMIT"]).start()

    engine = make_engine(f"sqlite:///{path}")
    with engine.connect() as connection:
        assert connection.scalar(text("PRAGMA journal_mode")) == "wal"
        assert connection.scalar(text("SELECT count(*) FROM first_table")) == 0
    engine.dispose()
    writer.close()
