"""`jobforge db`: schema management."""

from __future__ import annotations

import typer

from jobforge.cli.context import console, fail_cleanly, knowledge_base

app = typer.Typer(help="Database schema.", no_args_is_help=True)


@app.command()
@fail_cleanly
def upgrade(ctx: typer.Context) -> None:
    """Create the schema, or migrate it to the newest revision."""
    from jobforge.store import migrate

    kb = knowledge_base(ctx)
    kb.upgrade()
    console.print(f"schema at revision {migrate.current_revision(kb.engine)} ({kb.engine.url.render_as_string()})")


@app.command()
@fail_cleanly
def current(ctx: typer.Context) -> None:
    """Show the schema revision of the database and the newest one available."""
    from jobforge.store import migrate

    kb = knowledge_base(ctx)
    console.print(f"database: {migrate.current_revision(kb.engine) or 'empty'}; newest: {migrate.head_revision()}")
