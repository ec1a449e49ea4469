"""`jobforge tbs` and `jobforge schedule`: the TBS occupational groups."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from jobforge.cli.context import console, fail_cleanly, knowledge_base
from jobforge.sources.tbs.site import DEFAULT_BASE_URL
from jobforge.store.limits import MAX_ROW_ID

app = typer.Typer(help="Treasury Board Secretariat occupational groups (EN and FR).", no_args_is_help=True)
Lang = Annotated[str, typer.Option("--lang", help="en, fr or both.")]


def _languages(lang: str) -> tuple[str, ...]:
    if lang not in ("en", "fr", "both"):
        raise typer.BadParameter("--lang must be en, fr or both")
    return ("en", "fr") if lang == "both" else (lang,)


@app.command()
@fail_cleanly
def scrape(
    ctx: typer.Context,
    lang: Lang = "both",
    depth: Annotated[
        int,
        typer.Option(min=0, max=2, help="0: the groups page; 1: + pages it links to; 2: + their links in the section."),
    ] = 2,
    base_url: Annotated[str, typer.Option(help="Site to scrape.")] = DEFAULT_BASE_URL,
    out: Annotated[Path, typer.Option(help="Folder for groups/definitions JSON and CSV per language.")] = Path("tbs"),
    rate: Annotated[float, typer.Option(help="Requests per second (0: no limit).")] = 1.0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as one JSON object.")] = False,
) -> None:
    """Scrape the groups page and what it links to; any structural surprise fails the run and keeps the last good snapshot."""
    kb = knowledge_base(ctx)
    kb.upgrade()
    with console.status(f"scraping {base_url} ({lang}, depth {depth})"):
        report = kb.tbs.scrape(languages=_languages(lang), depth=depth, base_url=base_url, out_dir=out, rate=rate)
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2))
        return
    table = Table(title=f"TBS scrape — {report.status}, run {report.run_id}")
    for column in ("language", "pages", "changed", "groups", "definitions", "new snapshot"):
        table.add_column(column)
    for name, figures in report.languages.items():
        table.add_row(name, *(str(figures[k]) for k in ("pages", "changed", "groups", "definitions", "new_snapshot")))
    console.print(table)
    console.print(f"{report.requests} requests, {report.retries} retries, {report.seconds:.1f} s; files in {out}/")


@app.command()
@fail_cleanly
def history(
    ctx: typer.Context,
    group: Annotated[str, typer.Argument(help="Group abbreviation (AI) or code (402).")],
    lang: Lang = "en",
) -> None:
    """Every snapshot in which the group changed, and what changed."""
    for version in knowledge_base(ctx).tbs.history(group, lang):
        console.print(
            f"snapshot {version['snapshot']} ({version['fetched_at']}): "
            f"{len(version['rows'])} rows; changed: {json.dumps(version['changes'], ensure_ascii=False)}"
        )


@app.command()
@fail_cleanly
def diff(
    ctx: typer.Context,
    lang: Lang = "en",
    old: Annotated[
        int | None, typer.Option(min=1, max=MAX_ROW_ID, help="Older snapshot (default: the one before --new).")
    ] = None,
    new: Annotated[int | None, typer.Option(min=1, max=MAX_ROW_ID, help="Newer snapshot (default: the last).")] = None,
) -> None:
    """Groups added, removed and changed between two snapshots."""
    typer.echo(json.dumps(knowledge_base(ctx).tbs.diff(lang, old, new), indent=2, ensure_ascii=False))


@app.command()
@fail_cleanly
def status(ctx: typer.Context) -> None:
    """The last scrape's status and time."""
    run = knowledge_base(ctx).tbs.last_run()
    console.print("no scrape yet" if run is None else json.dumps(run.model_dump(), indent=2))
