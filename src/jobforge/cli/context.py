"""Turning settings into a knowledge base, and library errors into one-line exits whose code says
what kind of error it was (jobforge.errors.ErrorKind; the table is in the README)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

import rich.markup
import typer
from rich.console import Console

from jobforge.errors import JobForgeError

if TYPE_CHECKING:
    from jobforge.config import Settings
    from jobforge.knowledge_base import KnowledgeBase

console = Console()
errors = Console(stderr=True)


def open_knowledge_base(settings: Settings) -> Callable[[], KnowledgeBase]:
    """A lazy opener: `--help` and argument errors never touch the database."""
    from jobforge.knowledge_base import KnowledgeBase

    return functools.cache(lambda: KnowledgeBase(settings.resolved_database_url(), settings=settings))


def knowledge_base(ctx: typer.Context) -> KnowledgeBase:
    return ctx.obj()


def fail_cleanly(command: Callable) -> Callable:
    """Print a JobForgeError as one red line and exit with its kind's code instead of a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except JobForgeError as error:
            errors.print(f"[bold red]error:[/] {rich.markup.escape(str(error))}", highlight=False, markup=True)
            if error.retry_after is not None:
                errors.print(f"try again in {error.retry_after:.0f} s", highlight=False)
            raise typer.Exit(error.kind.exit_code) from None

    return wrapper
