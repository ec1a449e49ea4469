"""`jobforge onet`: O*NET release loading."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from jobforge.cli.context import console, errors, fail_cleanly, knowledge_base
from jobforge.cli.progress import RichLoadProgress
from jobforge.sources.onet.report import LoadReport

app = typer.Typer(help="O*NET database releases.", no_args_is_help=True)


@app.command()
@fail_cleanly
def load(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="Release folder or official zip (e.g. db_29_3_text.zip).")],
    release: Annotated[str | None, typer.Option(help="Release number, when neither Read Me.txt nor the name tells.")] = None,
    allow_downgrade: Annotated[bool, typer.Option(help="Replace a newer live release with this older one.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as one JSON object.")] = False,
) -> None:
    """Load an O*NET text release: every file checked, all or nothing, same release twice is a no-op."""
    kb = knowledge_base(ctx)
    kb.upgrade()
    with RichLoadProgress(errors if as_json else console) as progress:
        report = kb.load_onet(path, release=release, allow_downgrade=allow_downgrade, progress=progress)
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2))
    else:
        print_report(console, report)


def print_report(out: Console, report: LoadReport) -> None:
    table = Table(title=f"O*NET {report.release} — {report.status}"
                  + (f" (replaced {report.replaced_release})" if report.replaced_release else ""))
    table.add_column("file")
    table.add_column("status")
    table.add_column("rows read", justify="right")
    table.add_column("rows stored", justify="right")
    table.add_column("seconds", justify="right")
    for name, file in report.files.items():
        table.add_row(name, file.status, f"{file.rows_read:,}", f"{file.rows_stored:,}", f"{file.seconds:.2f}")
    out.print(table)
    out.print(f"{report.rows_stored:,} rows in {report.seconds:.2f} s from {report.origin}")
