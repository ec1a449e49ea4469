"""Schema migrations (Alembic), run from the library so the CLI and tests share one path."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

from jobforge import __version__
from jobforge.errors import ConflictError, NotFoundError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database schema to `revision` (the newest by default). A database already at the
    newest revision is recognised without loading Alembic (about 0.2 s a command)."""
    current = current_revision(engine)
    if revision == "head" and current == head_revision():
        return
    if current is not None and current not in _revisions()[0]:
        raise _written_by_newer(current)
    from alembic import command

    from jobforge.store.exclusive import exclusive

    # Two processes creating the schema at once would collide on its first table: the second waits
    # for the first, then finds the schema current and has nothing to do.
    with engine.begin() as connection, exclusive(connection, "schema", wait=True):
        command.upgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.scalar(text("SELECT version_num FROM alembic_version"))


def schema_behind(engine: Engine) -> NotFoundError | ConflictError | None:
    """Why a statement found no table, when the cause is a database without this JobForge's schema
    (a new file, a mistyped --db, or one an older or newer JobForge made): said with what fixes it."""
    current, head = current_revision(engine), head_revision()
    if current == head:
        return None
    shown = engine.url.render_as_string(hide_password=True)
    if current is None:
        return NotFoundError(
            f"the database {shown} has no JobForge schema (is --db / JOBFORGE_DATABASE_URL the right one?): "
            "load data into it (`jobforge quickstart`, `jobforge onet load …`) or create it with `jobforge db upgrade`"
        )
    if current not in _revisions()[0]:
        return _written_by_newer(current)
    return NotFoundError(
        f"the database {shown} has an older JobForge schema (revision {current}, newest {head}): "
        "bring it up to date with `jobforge db upgrade`"
    )


def _written_by_newer(current: str) -> ConflictError:
    return ConflictError(
        f"the database's schema is at revision {current}, which JobForge {__version__} does not know: a newer "
        "JobForge wrote it; use that version (or a later one) with this database, not this one"
    )


def head_revision() -> str | None:
    """The newest revision: the one no other revision names as its parent (read from the files)."""
    revisions, parents = _revisions()
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _revisions() -> tuple[set[str], set[str | None]]:
    """The revisions of this JobForge's migration files, and the parents they name."""
    revisions, parents = set(), set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        source = script.read_text(encoding="utf-8")
        revision = _assigned(source, "revision")
        if revision:
            revisions.add(revision)
            parents.add(_assigned(source, "down_revision"))
    return revisions, parents


def _assigned(source: str, name: str) -> str | None:
    match = re.search(rf"^{name}(?:: [^=]+)? = ['\"]([^'\"]+)['\"]", source, flags=re.M)
    return match.group(1) if match else None
