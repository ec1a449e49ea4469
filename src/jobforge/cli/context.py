"""Turning settings into a knowledge base, and library errors into clean exits."""

from __future__ import annotations

import functools
from collections.abc import Callable

import typer
from rich.console import Console

from jobforge.config import Settings
from jobforge.errors import JobForgeError
from jobforge.knowledge_base import KnowledgeBase

console = Console()
errors = Console(stderr=True)


def open_knowledge_base(settings: Settings) -> Callable[[], KnowledgeBase]:
    """A lazy opener: `--help` and argument errors never touch the database."""
    return functools.cache(lambda: KnowledgeBase(settings.resolved_database_url(), settings=settings))


def knowledge_base(ctx: typer.Context) -> KnowledgeBase:
    return ctx.obj()


def fail_cleanly(command: Callable) -> Callable:
    """Print a JobForgeError as one red line and exit 1 instead of a traceback."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except JobForgeError as error:
            errors.print(f"[bold red]error:[/] {error}", highlight=False, markup=True)
            raise typer.Exit(1) from None

    return wrapper
