"""`jobforge noc` and `jobforge crosswalk`: the Canadian sources."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from jobforge.cli.context import console, fail_cleanly, knowledge_base

noc_app = typer.Typer(help="NOC 2021 structure, OaSIS 2023 profiles, COPS projections.", no_args_is_help=True)
crosswalk_app = typer.Typer(help="The NOC 2021 → O*NET-SOC crosswalk.", no_args_is_help=True)
AsJson = Annotated[bool, typer.Option("--json", help="Print the report as one JSON object.")]


@noc_app.command("load")
@fail_cleanly
def load_noc(
    ctx: typer.Context,
    folder: Annotated[Path, typer.Argument(help="Folder like ../shared/data/noc")],
    as_json: AsJson = False,
) -> None:
    """Load the NOC structure, OaSIS files and COPS projections: checked, all or nothing."""
    kb = knowledge_base(ctx)
    kb.upgrade()
    with console.status("loading NOC 2021, OaSIS and COPS"):
        report = kb.canada.load_noc(folder)
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2))
        return
    table = Table(title=f"NOC / OaSIS / COPS — {report.status}")
    table.add_column("file")
    table.add_column("rows stored", justify="right")
    for name, rows in report.files.items():
        table.add_row(name, f"{rows:,}")
    console.print(table)
    for warning in report.warnings:
        console.print(f"[yellow]warning:[/] {warning}", highlight=False)
    console.print(f"{report.seconds:.2f} s")


@crosswalk_app.command("noc")
@fail_cleanly
def crosswalk_noc(
    ctx: typer.Context, code: Annotated[str, typer.Argument(help="NOC 2021 unit group, five digits")]
) -> None:
    """The O*NET-SOC occupations a NOC unit group maps to."""
    mapping = knowledge_base(ctx).canada.noc_to_soc(code)
    _print_codes(f"{mapping.noc_code} {mapping.title}", "O*NET-SOC", mapping.soc_codes)


@crosswalk_app.command("soc")
@fail_cleanly
def crosswalk_soc(ctx: typer.Context, code: Annotated[str, typer.Argument(help="O*NET-SOC code, NN-NNNN.NN")]) -> None:
    """The NOC unit groups that map to an O*NET-SOC occupation."""
    mapping = knowledge_base(ctx).canada.soc_to_noc(code)
    _print_codes(f"{mapping.soc_code} {mapping.title or ''}", "NOC 2021", mapping.noc_codes)


def _print_codes(title: str, system: str, codes) -> None:
    table = Table(title=title)
    table.add_column(system)
    table.add_column("title")
    for item in codes:
        table.add_row(item.code, item.title)
    console.print(table)


@crosswalk_app.command("load")
@fail_cleanly
def load_crosswalk(
    ctx: typer.Context, csv_path: Annotated[Path, typer.Argument(help="noc2021_onet26.csv")], as_json: AsJson = False
) -> None:
    """Load the Dais/Brookfield crosswalk (codes zero-padded), print warnings and coverage."""
    kb = knowledge_base(ctx)
    kb.upgrade()
    report = kb.canada.load_crosswalk(csv_path)
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2))
        return
    for warning in report.warnings:
        console.print(f"[yellow]warning:[/] {warning}", highlight=False)
    cover = report.coverage
    table = Table(title=f"Crosswalk — {report.status}, {report.rows:,} rows")
    table.add_column("coverage")
    table.add_column("count", justify="right")
    for label, value in (
        ("mappings (rows)", cover.mappings),
        ("distinct NOC–SOC pairs", cover.distinct_pairs),
        ("NOC unit groups", cover.unit_groups),
        ("unit groups with ≥1 SOC", cover.unit_groups_mapped),
        ("distinct SOC codes", cover.distinct_soc_codes),
        ("unit groups with none", len(cover.unit_groups_unmapped)),
        ("SOC codes not in loaded O*NET", len(cover.soc_codes_not_in_onet)),
    ):
        table.add_row(label, f"{value:,}")
    console.print(table)
    if cover.unit_groups_unmapped:
        console.print(f"unmapped unit groups: {', '.join(cover.unit_groups_unmapped)}")
