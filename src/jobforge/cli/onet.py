"""`jobforge onet`: O*NET release loading."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from jobforge.cli.context import console, errors, fail_cleanly, knowledge_base
from jobforge.cli.progress import RichLoadProgress

if TYPE_CHECKING:
    from jobforge.sources.onet.report import LoadReport

app = typer.Typer(help="O*NET database releases.", no_args_is_help=True)


@app.command()
@fail_cleanly
def load(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Release folder or official zip (e.g. db_29_3_text.zip).")],
    release: Annotated[
        str | None, typer.Option(help="Release number, when neither Read Me.txt nor the name tells.")
    ] = None,
    allow_downgrade: Annotated[bool, typer.Option(help="Replace a newer live release with this older one.")] = False,
    force: Annotated[bool, typer.Option(help="Load and re-apply the files even when they are unchanged.")] = False,
    allow_missing: Annotated[
        list[str] | None,
        typer.Option(
            "--allow-missing",
            metavar="FILE",
            help="Let this load remove the live rows of FILE (e.g. Skills.txt) when the release lacks it or "
            "has no rows in it (repeatable). Without it, such a load is refused.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as one JSON object.")] = False,
) -> None:
    """Load an O*NET text release: every file checked, all or nothing, same release twice is a no-op."""
    kb = knowledge_base(ctx)
    kb.upgrade()
    with RichLoadProgress(errors if as_json else console) as progress:
        report = kb.onet.load(
            path,
            release=release,
            allow_downgrade=allow_downgrade,
            force=force,
            allow_missing=allow_missing or (),
            progress=progress,
        )
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2))
    else:
        print_report(console, report)


@app.command()
@fail_cleanly
def fetch(
    ctx: typer.Context,
    codes: Annotated[list[str] | None, typer.Argument(help="O*NET-SOC codes to fetch.")] = None,
    missing: Annotated[
        bool, typer.Option("--missing", help="Fetch every occupation that has no skills ratings locally.")
    ] = False,
    refresh: Annotated[bool, typer.Option(help="Ignore cached responses and ask the API again.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as one JSON object.")] = False,
) -> None:
    """Fetch occupations local data lacks from O*NET Web Services v2 (needs ONET_API_KEY)."""
    kb = knowledge_base(ctx)
    kb.upgrade()
    wanted = list(codes or []) + (kb.onet.lacking_ratings() if missing else [])
    if not wanted:
        raise typer.BadParameter("name O*NET-SOC codes or pass --missing")
    out = errors if as_json else console
    with Progress(
        TextColumn("fetching"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=out,
        disable=not out.is_terminal,
    ) as progress:
        task = progress.add_task("fetch", total=len(wanted))
        report = asyncio.run(kb.onet.fetch(wanted, refresh=refresh, on_done=lambda _code: progress.advance(task)))
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2))
        return
    console.print(
        f"{len(report.stored)} of {report.requested} occupations stored ({report.ratings_stored:,} ratings) "
        f"in {report.seconds:.1f} s; {report.calls} calls, {report.cache_hits} cache hits, "
        f"{report.retries} retries, {report.failures} failed calls"
    )
    for code, problem in report.failed.items():
        console.print(f"[red]failed[/] {code}: {problem}", highlight=False)
    if report.failed:
        raise typer.Exit(1)


def print_report(out: Console, report: LoadReport) -> None:
    table = Table(
        title=f"O*NET {report.release} — {report.status}"
        + (f" (replaced {report.replaced_release})" if report.replaced_release else "")
    )
    table.add_column("file")
    table.add_column("status")
    table.add_column("rows read", justify="right")
    table.add_column("rows stored", justify="right")
    table.add_column("seconds", justify="right")
    for name, file in report.files.items():
        table.add_row(name, file.status, f"{file.rows_read:,}", f"{file.rows_stored:,}", f"{file.seconds:.2f}")
    out.print(table)
    out.print(f"{report.rows_stored:,} rows in {report.seconds:.2f} s from {report.origin}")
    if report.values is not None:
        v = report.values
        out.print(
            f"values: {v.asserted:,} asserted — {v.added:,} new, {v.unchanged:,} unchanged, "
            f"{v.overrides:,} overrides (logged), {v.candidates:,} kept as candidates, {v.retracted:,} withdrawn"
        )
