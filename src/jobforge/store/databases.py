"""Creating and dropping whole databases on a server, for fresh test and benchmark databases."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url


def scratch_database_url(server_url: str | None, folder: Path, prefix: str) -> str:
    """A URL for a new, uniquely named database: a SQLite file in `folder` when `server_url` is
    None, else a database named `prefix_<random>` on that server (create it with create_database)."""
    if server_url is None:
        return f"sqlite:///{folder / f'{prefix}.db'}"
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def _server_engine(url: URL):
    backend = url.get_backend_name()
    maintenance = "postgres" if backend == "postgresql" else None
    return create_engine(url._replace(database=maintenance), isolation_level="AUTOCOMMIT")


def create_database(database_url: str | URL) -> None:
    """Create the (empty) database named in `database_url` on its server; SQLite needs nothing."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return
    engine = _server_engine(url)
    quote = engine.dialect.identifier_preparer.quote
    charset = " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin" if url.get_backend_name() in ("mysql", "mariadb") else ""
    with engine.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {quote(url.database)}{charset}"))
    engine.dispose()


def drop_database(database_url: str | URL) -> None:
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return
    engine = _server_engine(url)
    quote = engine.dialect.identifier_preparer.quote
    force = " WITH (FORCE)" if url.get_backend_name() == "postgresql" else ""
    with engine.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {quote(url.database)}{force}"))
    engine.dispose()
