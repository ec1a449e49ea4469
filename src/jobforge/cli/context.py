"""Turning settings into a knowledge base, and library errors into one-line exits whose code says
what kind of error it was (jobforge.errors.ErrorKind; the table is in the README)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, NoReturn

import rich.markup
import typer
from rich.console import Console

from jobforge.errors import ConfigurationError, JobForgeError

if TYPE_CHECKING:
    from jobforge.config import Settings
    from jobforge.knowledge_base import KnowledgeBase

console = Console()
errors = Console(stderr=True, soft_wrap=True)  # an error stays one line, however narrow the terminal


class KnowledgeBaseOpener:
    """Reads the settings and opens the knowledge base on first use, so `--help` and argument errors
    never touch the database, and a malformed variable is reported by the command, as one line."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url

    @functools.cached_property
    def settings(self) -> Settings:
        from jobforge.config import read_settings

        return read_settings(database_url=self.database_url)

    @functools.cached_property
    def opened(self) -> KnowledgeBase:
        from jobforge.knowledge_base import KnowledgeBase

        url = self.settings.resolved_database_url()
        _refuse_memory(url)
        return KnowledgeBase(url, settings=self.settings)


def _refuse_memory(url: str) -> None:
    """An in-memory SQLite database ends with the command: a load into it would report success
    and keep nothing, so the CLI asks for a file instead."""
    from sqlalchemy.exc import ArgumentError

    from jobforge.store.engine import parsed_url

    try:
        parsed = parsed_url(url)
    except ArgumentError:
        return  # said by the engine, as any URL it cannot read
    if parsed.get_backend_name() == "sqlite" and (
        parsed.database in (None, "", ":memory:") or parsed.query.get("mode") == "memory"
    ):
        raise ConfigurationError(
            f"--db / JOBFORGE_DATABASE_URL {url!r} is an in-memory database, gone when the command ends: "
            "name a file, e.g. sqlite:///jobforge.db"
        )


def knowledge_base(ctx: typer.Context) -> KnowledgeBase:
    return ctx.obj.opened


def fail_cleanly(command: Callable) -> Callable:
    """Print a JobForgeError as one red line and exit with its kind's code instead of a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except JobForgeError as error:
            _exit_with(error)
        except Exception as error:
            context = kwargs.get("ctx") or next((arg for arg in args if isinstance(arg, typer.Context)), None)
            explained = _database_failure(error, context)
            if explained is None:
                raise
            _exit_with(explained)

    return wrapper


def _exit_with(error: JobForgeError) -> NoReturn:
    errors.print(f"[bold red]error:[/] {rich.markup.escape(str(error))}", highlight=False, markup=True)
    if error.retry_after is not None:
        errors.print(f"try again in {error.retry_after:.0f} s", highlight=False)
    raise typer.Exit(error.kind.exit_code) from None


def _database_failure(error: Exception, context: typer.Context | None) -> JobForgeError | None:
    """A database that could not be used (or has not the schema this JobForge reads), as one line naming it."""
    from sqlalchemy.exc import DBAPIError

    from jobforge.store.failures import explained
    from jobforge.store.migrate import schema_behind

    opener = getattr(context, "obj", None)
    if not isinstance(opener, KnowledgeBaseOpener):
        return explained(error, "(unknown)")
    said = explained(error, opener.settings.resolved_database_url())
    if said is None and isinstance(error, DBAPIError) and "opened" in vars(opener):
        try:
            return schema_behind(opener.opened.engine)
        except DBAPIError:
            return None  # the database cannot even say its revision: the first error is the one to show
    return said
