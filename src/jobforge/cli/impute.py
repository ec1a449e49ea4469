"""`jobforge impute`: estimates for the ratings no source provides."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from jobforge.cli.context import console, errors, fail_cleanly, knowledge_base
from jobforge.errors import ErrorKind

if TYPE_CHECKING:
    from jobforge.impute.service import ImputeReport


@fail_cleanly
def impute(
    ctx: typer.Context,
    codes: Annotated[list[str] | None, typer.Argument(metavar="SOC...", help="O*NET-SOC codes to impute.")] = None,
    missing: Annotated[bool, typer.Option("--missing", help="Every occupation lacking ratings in a domain.")] = False,
    provider: Annotated[
        str, typer.Option(help="neighbours (default, offline), hierarchy, or llm (JOBFORGE_LLM_MODEL, OPENAI_*).")
    ] = "neighbours",
    domain: Annotated[
        list[str] | None, typer.Option(help="Only this domain (repeatable): skills, knowledge, abilities, ...")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Estimate and report, write nothing.")] = False,
    assess: Annotated[
        bool, typer.Option("--assess", help="llm: the level of every element, as candidates beside O*NET's.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as one JSON object.")] = False,
) -> None:
    """Estimate the ratings no source provides, each with a confidence and a rationale.

    The provider first, then O*NET's structure where it has nothing to go on. The estimates are
    written as `imputed` values that any later O*NET or authoritative value replaces."""
    if not codes and not missing:
        raise typer.BadParameter("name O*NET-SOC codes or pass --missing")
    kb = knowledge_base(ctx)
    kb.upgrade()
    out = errors if as_json else console
    with Progress(TextColumn("imputing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=out,
                  disable=not out.is_terminal) as bar:  # fmt: skip
        task = bar.add_task("impute", total=None)
        report = kb.impute.run(
            codes or None, provider=provider, domains=domain or None, dry_run=dry_run, assess=assess,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )  # fmt: skip
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2))
    else:
        _print(report, dry_run)
    if report.failures or report.unasked:
        for line in [*map(str, report.failures), *([report.stopped] if report.stopped else [])]:
            errors.print(f"[red]error:[/red] {line}", highlight=False, markup=True)
        failed, unasked = len(report.failures), len(report.unasked)
        counted = [f"{failed} question{' got' if failed == 1 else 's got'} no valid answer"] if failed else []
        counted += [f"{unasked} {'was' if unasked == 1 else 'were'} not asked"] if unasked else []
        errors.print(f"{' and '.join(counted)} (nothing of them stored{'' if dry_run else '; the rest was written'})")
        raise typer.Exit(ErrorKind.BAD_UPSTREAM.exit_code)


def _print(report: ImputeReport, dry_run: bool) -> None:
    table = Table(title=f"imputed with {report.provider}{' (dry run: nothing written)' if dry_run else ''}")
    for column in ("domain", "values"):
        table.add_column(column, justify="left" if column == "domain" else "right")
    for name, count in sorted(report.by_domain.items()):
        table.add_row(name, f"{count:,}")
    console.print(table)
    methods = ", ".join(f"{count:,} by {method}" for method, count in sorted(report.by_method.items()))
    written = report.written
    console.print(
        f"{report.values:,} values for {report.occupations:,} occupation{'' if report.occupations == 1 else 's'} ({methods or 'none'}); mean confidence "
        f"{report.mean_confidence:.2f}; {report.seconds:.1f} s"
        + (f"; written: {written.added:,} new, {written.overrides:,} replacing, {written.unchanged:,} unchanged"
           + (f", {written.candidates:,} kept below a higher source" if written.candidates else "")
           if written else "")
    )  # fmt: skip
    usage = report.usage
    if usage:
        cost = f"${usage.cost:.4f}" if usage.cost is not None else "not priced (set JOBFORGE_LLM_*_PRICE)"
        console.print(
            f"llm: {usage.calls:,} calls ({usage.cached:,} answered from the cache, {usage.retries:,} retried, "
            f"{usage.reasked:,} asked again), {usage.prompt_tokens:,} + {usage.completion_tokens:,} tokens, cost {cost}"
        )
