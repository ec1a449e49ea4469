"""`jobforge coverage`, `jobforge enrich`, `jobforge worker`, `jobforge jobs`."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

from jobforge.cli.context import console, errors, fail_cleanly, knowledge_base
from jobforge.errors import ErrorKind
from jobforge.output_files import write_text
from jobforge.store.limits import MAX_ROW_ID

if TYPE_CHECKING:
    from jobforge.enrich.coverage import CoverageReport


@fail_cleanly
def coverage(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as one JSON object.")] = False,
    html: Annotated[Path | None, typer.Option(help="Also write an HTML report with charts to this file.")] = None,
) -> None:
    """What share of occupations, NOC unit groups and roles has each field.

    Counted by source kind and confidence band, so a reader sees how much of it is imputed."""
    kb = knowledge_base(ctx)
    kb.upgrade()
    report = kb.enrich.coverage()
    if html is not None:
        from jobforge.web.reports import coverage_html

        write_text(html, coverage_html(report))
        errors.print(f"wrote {html}")
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2))
    else:
        print_coverage(report)


def print_coverage(report: CoverageReport, before: CoverageReport | None = None) -> None:
    for kind, cover in report.kinds.items():
        table = Table(title=f"{kind.replace('_', ' ')}: {cover.total:,}")
        for column in ("field", *(["before"] if before else []), "covered", "by source", "by confidence"):
            table.add_column(column, justify="left" if column in ("field", "by source", "by confidence") else "right")
        for name, field in cover.fields.items():
            earlier = [f"{before.kinds[kind].share(name):.0%}"] if before else []
            table.add_row(
                name, *earlier, f"{cover.share(name):.0%}",
                ", ".join(f"{k} {v:,}" for k, v in field.by_source.items()),
                ", ".join(f"{k} {v:,}" for k, v in field.by_band.items()),
            )  # fmt: skip
        console.print(table)


@fail_cleanly
def enrich(
    ctx: typer.Context,
    codes: Annotated[list[str] | None, typer.Argument(metavar="SOC...", help="O*NET-SOC codes to enrich.")] = None,
    every: Annotated[bool, typer.Option("--all", help="Every occupation.")] = False,
    missing: Annotated[bool, typer.Option("--missing", help="Every occupation lacking ratings.")] = False,
    roles: Annotated[
        bool, typer.Option("--roles", help="The approved codes of active roles that lack ratings.")
    ] = False,
    provider: Annotated[
        str | None,
        typer.Option(help="The imputer: neighbours (default) or llm (default when JOBFORGE_LLM_MODEL is set)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as one JSON object.")] = False,
) -> None:
    """Fill what is missing: local O*NET, then Web Services, then the imputer.

    Web Services only with ONET_API_KEY. Each step is a job of the queue, so a second run repeats
    nothing and an interrupted one resumes. Coverage is shown before and after."""
    scopes = [name for name, chosen in (("all", every), ("missing", missing), ("roles", roles)) if chosen]
    if len(scopes) + bool(codes) != 1:
        raise typer.BadParameter("name O*NET-SOC codes, or pass one of --all, --missing, --roles")
    kb = knowledge_base(ctx)
    kb.upgrade()
    out = errors if as_json else console
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=out, disable=not out.is_terminal) as bar:  # fmt: skip
        tasks: dict[str, TaskID] = {}

        def shown(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = bar.add_task(step, total=total)
            bar.update(tasks[step], completed=done, total=total)

        report = kb.enrich.run(scopes[0] if scopes else None, codes or None, provider=provider, progress=shown)
    if as_json:
        typer.echo(json.dumps(report.to_json(), indent=2))
    else:
        print_coverage(report.after or report.before, report.before)
        console.print(
            f"{report.targets:,} occupations; fetched {len(report.fetched):,} from O*NET Web Services "
            f"({report.fetch_calls:,} calls); imputed {report.imputed_occupations:,} with {report.provider}, "
            f"{report.values_written:,} values written; {report.skipped_done:,} steps already done; "
            f"{report.seconds:.1f} s"
        )
    if report.fetch_errors and not as_json:
        for code, why in sorted(report.fetch_errors.items())[:10]:
            errors.print(f"note: {code}: {why}", highlight=False)
    if report.impute_errors:
        for code, why in sorted(report.impute_errors.items())[:10]:
            errors.print(f"[red]error:[/red] {code}: {why}", highlight=False, markup=True)
        count = len(report.impute_errors)
        errors.print(
            f"{count} occupation{'' if count == 1 else 's'} not fully imputed (nothing of what failed stored); "
            "their jobs keep the reason and are tried again (by a worker after a backoff, or the next `jobforge enrich`)"
        )
        raise typer.Exit(ErrorKind.BAD_UPSTREAM.exit_code)


@fail_cleanly
def worker(
    ctx: typer.Context,
    threads: Annotated[int, typer.Option(min=1, max=32, help="Jobs run at once in this process.")] = 1,
    drain: Annotated[
        bool, typer.Option("--drain", help="Stop when no job is due, instead of waiting for more.")
    ] = False,
) -> None:
    """Run queued jobs until stopped (Ctrl-C), or with --drain until none is due.

    The jobs are enrichment after a release load or a code approval, and the schedules' runs.
    Several workers, here or on other machines, share one queue."""
    kb = knowledge_base(ctx)
    kb.upgrade()
    console.print(f"worker: {threads} thread(s); queue {kb.enrich.counts()}")
    report = kb.enrich.work(threads=threads, stop_when_idle=drain, stop=threading.Event())
    console.print(f"done {report.done:,}, retried {report.retried:,}, failed {report.failed:,}; {report.seconds:.1f} s")
    for key, why in list(report.errors.items())[:10]:
        errors.print(f"[red]failed:[/red] {key}: {why}", highlight=False, markup=True)
    if report.failed:
        raise typer.Exit(ErrorKind.BAD_UPSTREAM.exit_code)


@fail_cleanly
def jobs(
    ctx: typer.Context,
    failed: Annotated[bool, typer.Option("--failed", help="Only the jobs parked as failed.")] = False,
    retry: Annotated[int | None, typer.Option(min=1, max=MAX_ROW_ID, help="Queue this failed job again.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 50,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The job queue: counts by status and the newest jobs (or only the failed ones, with their error)."""
    kb = knowledge_base(ctx)
    kb.upgrade()
    if retry is not None:
        kb.enrich.retry(retry)
        console.print(f"job {retry} queued again")
        return
    listed = kb.enrich.jobs("failed" if failed else None, limit)
    if as_json:
        typer.echo(json.dumps({"counts": kb.enrich.counts(), "jobs": [job.__dict__ for job in listed]}, default=str))
        return
    console.print(f"queue: {kb.enrich.counts()}")
    table = Table()
    for column in ("id", "kind", "key", "status", "attempts", "error"):
        table.add_column(column)
    for job in listed:
        table.add_row(str(job.id), job.kind, job.key, job.status, f"{job.attempts}/{job.max_attempts}",
                      (job.last_error or "")[:80])  # fmt: skip
    console.print(table)


@fail_cleanly
def schedule(
    ctx: typer.Context,
    worker: Annotated[bool, typer.Option(help="Also run the queue's jobs in this process.")] = True,
    threads: Annotated[int, typer.Option(min=1, max=32)] = 1,
    now: Annotated[
        str | None, typer.Option(help="Enqueue this schedule's job now (tbs, onet-refresh, reimpute).")
    ] = None,
) -> None:
    """Run the refresh schedules in the foreground (TBS, Web Services, imputations).

    APScheduler: TBS monthly, stale Web Services answers weekly, imputations again when the imputer
    or model changed; each run a job of the queue, which this process also drains (--no-worker
    leaves that to `jobforge worker`). Cron equivalent:
    `0 3 1 * * jobforge schedule --now tbs`, `0 4 * * 0 jobforge schedule --now onet-refresh`,
    `0 5 * * * jobforge schedule --now reimpute`, `* * * * * jobforge worker --drain`."""
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.cron import CronTrigger

    from jobforge.enrich.schedules import SCHEDULES

    kb = knowledge_base(ctx)
    kb.upgrade()
    if now is not None:
        queued = kb.enrich.enqueue_scheduled(now)
        console.print(f"{now}: {'queued' if queued else 'already queued or done this period'}")
        return
    scheduler = BlockingScheduler(timezone="UTC")
    for entry in SCHEDULES:
        scheduler.add_job(kb.enrich.enqueue_scheduled, CronTrigger.from_crontab(entry.cron, timezone="UTC"),
                          args=[entry.name], name=entry.name)  # fmt: skip
    for shown in kb.enrich.schedules():
        console.print(
            f"{shown['name']}: {shown['cron']} (UTC), next {shown['next_run']:%Y-%m-%d %H:%M}; {shown['what']}"
        )
    stop = threading.Event()
    if worker:
        threading.Thread(
            target=kb.enrich.work, kwargs={"threads": threads, "stop_when_idle": False, "stop": stop}, daemon=True
        ).start()
    try:
        scheduler.start()
    finally:
        stop.set()
