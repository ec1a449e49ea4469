"""`jobforge quickstart`: the README's main job on a fresh machine."""

from __future__ import annotations

import typer
from rich.table import Table

from jobforge.cli.context import console, fail_cleanly, knowledge_base
from jobforge.cli.onet import print_report
from jobforge.cli.progress import RichLoadProgress


@fail_cleanly
def quickstart(ctx: typer.Context) -> None:
    """Create the schema, load the bundled real O*NET 29.3 subset and print what is stored."""
    kb = knowledge_base(ctx)
    kb.upgrade()
    with RichLoadProgress(console) as progress:
        report = kb.load_bundled_onet_sample(progress=progress)
    print_report(console, report)
    summary = Table(title=f"Stored (live O*NET release {kb.live_onet_release()})")
    summary.add_column("table")
    summary.add_column("rows", justify="right")
    for table, rows in kb.table_counts().items():
        summary.add_row(table, f"{rows:,}")
    console.print(summary)
    console.print(f"database: {kb.engine.url.render_as_string()}")
