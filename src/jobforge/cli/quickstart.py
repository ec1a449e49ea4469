"""`jobforge quickstart`: the README's main job on a fresh machine."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from jobforge.cli.context import console, fail_cleanly, knowledge_base
from jobforge.cli.onet import print_report
from jobforge.cli.progress import RichLoadProgress
from jobforge.cli.serve import Host, Port, listening_socket, run_server


@fail_cleanly
def quickstart(
    ctx: typer.Context,
    serve: Annotated[bool, typer.Option(help="Serve the API once loaded.")] = True,
    worker: Annotated[
        bool, typer.Option(help="While serving, run queued jobs: the enrichment the load asked for (kb.enrich).")
    ] = True,
    host: Host = "127.0.0.1",
    port: Port = 8000,
) -> None:
    """Load the bundled real data into the database, then serve the web pages and the API.

    Creates the schema, loads O*NET 29.3, NOC 2021, OaSIS, COPS and the crosswalk, and prints what
    is stored. While it serves, the occupations the release has no ratings for are imputed in the
    background (labelled imputed)."""
    bound = listening_socket(host, port) if serve else None  # a port in use is said before the load, not after
    kb = knowledge_base(ctx)
    kb.upgrade()
    with RichLoadProgress(console) as progress:
        report = kb.onet.load_bundled(progress=progress)
    print_report(console, report)
    with console.status("loading NOC 2021, OaSIS 2023, COPS and the crosswalk"):
        noc_report, crosswalk_report = kb.canada.load_bundled()
    cover = crosswalk_report.coverage
    console.print(
        f"NOC/OaSIS/COPS {noc_report.status}: {sum(noc_report.files.values()):,} rows; crosswalk "
        f"{crosswalk_report.status}: {cover.mappings:,} mappings, {cover.unit_groups_mapped} of "
        f"{cover.unit_groups} unit groups mapped"
    )
    summary = Table(title=f"O*NET tables (live release {kb.onet.live_release()}) and value store")
    summary.add_column("table")
    summary.add_column("rows", justify="right")
    for table, rows in kb.table_counts().items():
        summary.add_row(table, f"{rows:,}")
    console.print(summary)
    console.print(f"database: {kb.engine.url.render_as_string()}")
    if bound is not None:
        run_server(kb, bound, worker)
