"""`jobforge provenance`: values with their sources, history, the override audit, retention and export."""

from __future__ import annotations

import getpass
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from jobforge.cli.context import console, fail_cleanly, knowledge_base
from jobforge.errors import InputError
from jobforge.output_files import write_text
from jobforge.provenance.attributes import TEXT_ATTRIBUTES
from jobforge.provenance.sources import SourceKind
from jobforge.store.limits import MAX_ROW_ID

if TYPE_CHECKING:
    from jobforge.provenance.read import StoredValue

app = typer.Typer(help="Where every value came from: history, overrides, retention, export.", no_args_is_help=True)
Entity = Annotated[str, typer.Argument(help="O*NET-SOC code (15-1252.00) or NOC unit group (21231).")]
Attribute = Annotated[str, typer.Argument(help="Attribute, e.g. skills/2.A.1.a/LV, job_zone, title.")]


def _print_values(title: str, values: list[StoredValue], as_json: bool) -> None:
    if as_json:
        for value in values:
            typer.echo(json.dumps(value.to_json()))
    else:
        console.print(values_table(title, values))


def values_table(title: str, values: list[StoredValue]) -> Table:
    """The short columns keep their words whole (on 80 columns, "confidence" came out as "confidenc/e"
    and the date broke inside its digits); the value and the reference take the width that is left."""
    table = Table(title=title)
    table.add_column("attribute", overflow="fold")
    table.add_column("value", ratio=2)
    table.add_column("source", no_wrap=True)
    table.add_column("conf.", no_wrap=True, justify="right")
    table.add_column("recorded", min_width=10)  # the time goes under the date when narrow
    table.add_column("status", no_wrap=True)
    table.add_column("reference", ratio=3)
    for value in values:
        shown = str(value.value) if len(str(value.value)) < 60 else str(value.value)[:57] + "..."
        table.add_row(
            value.attribute,
            shown,
            value.source_kind.value,
            f"{value.confidence:.3f}",
            f"{value.recorded_at:%Y-%m-%d %H:%M:%S}",
            value.status or "served",
            value.reference.cite(),
        )
    return table


@app.command()
@fail_cleanly
def show(
    ctx: typer.Context,
    entity: Entity,
    source: Annotated[list[SourceKind] | None, typer.Option(help="Only these source kinds (repeatable).")] = None,
    min_confidence: Annotated[
        float | None, typer.Option(min=0, max=1, help="Only values at least this confident.")
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(help="As the store stood at this moment (ISO 8601, UTC if no zone; a date alone: 00:00)."),
    ] = None,
    attribute: Annotated[str | None, typer.Option(help="Only attributes starting with this.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per value.")] = False,
) -> None:
    """The values served for an entity, with source kind, confidence and reference."""
    from jobforge.provenance.read import ValueFilter, parse_moment

    value_filter = ValueFilter(
        sources=frozenset(source) if source else None,
        min_confidence=min_confidence,
        as_of=parse_moment(as_of, "--as-of"),
    )
    values = knowledge_base(ctx).values.served(entity, value_filter, attribute)
    _print_values(f"{entity}: {len(values)} values", values, as_json)


@app.command()
@fail_cleanly
def history(
    ctx: typer.Context,
    entity: Entity,
    attribute: Attribute,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per value.")] = False,
) -> None:
    """Every value ever recorded for one attribute, oldest first: served, candidate or replaced."""
    _print_values(f"{entity} {attribute}", knowledge_base(ctx).values.history(entity, attribute), as_json)


@app.command()
@fail_cleanly
def audit(
    ctx: typer.Context,
    since: Annotated[str | None, typer.Option(help="Only events at or after this moment (ISO 8601).")] = None,
    entity: Annotated[str | None, typer.Option(help="Only events of this entity.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=MAX_ROW_ID, help="At most this many events.")] = 1000,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per event.")] = False,
) -> None:
    """Override events: each change of a served value, from what to what, when and by whom."""
    from jobforge.provenance.read import parse_moment

    events = knowledge_base(ctx).values.audit(parse_moment(since, "--since"), entity, limit)
    if as_json:
        for event in events:
            typer.echo(event.model_dump_json())
        return
    table = Table(title=f"{len(events)} override events")
    for column in ("when", "entity", "attribute", "old", "new", "run", "actor"):
        table.add_column(column, overflow="fold")
    for event in events:
        table.add_row(
            f"{event.occurred_at:%Y-%m-%d %H:%M:%S}",
            event.entity,
            event.attribute,
            f"{event.old_value} ({event.old_source_kind}, {event.old_confidence:.2f})",
            f"{event.new_value} ({event.new_source_kind}, {event.new_confidence:.2f})"
            if event.new_source_kind
            else "(withdrawn)",
            str(event.load_run_id or ""),
            event.actor,
        )
    console.print(table)


@app.command("set")
@fail_cleanly
def set_value(
    ctx: typer.Context,
    entity: Entity,
    attribute: Attribute,
    value: Annotated[str, typer.Argument(help="The value (a number, or text for title/description).")],
    source: Annotated[SourceKind, typer.Option(help="Source kind the value carries (precedence follows it).")],
    confidence: Annotated[float, typer.Option(min=0, max=1, help="Confidence in [0, 1].")],
    rationale: Annotated[str | None, typer.Option(help="Why this value (stored with it).")] = None,
    actor: Annotated[str | None, typer.Option(help="Who sets it (default: the login name).")] = None,
    method: Annotated[str, typer.Option(help="How it was obtained (e.g. 'LLM imputation').")] = "manual edit",
    model: Annotated[str | None, typer.Option(help="Model that produced it, for imputed values.")] = None,
    prompt_hash: Annotated[str | None, typer.Option(help="SHA-256 of the prompt that produced it.")] = None,
    url: Annotated[str | None, typer.Option(help="Where it was read (retrieved now).")] = None,
) -> None:
    """Record a value by hand through the precedence write path (an override is logged when it wins)."""
    typed: float | str = value
    if attribute not in TEXT_ATTRIBUTES:
        try:
            typed = float(value)
        except ValueError:
            raise InputError(f"attribute {attribute} takes a number, not '{value}'") from None
    report = knowledge_base(ctx).values.set_value(
        entity,
        attribute,
        typed,
        kind=source,
        confidence=confidence,
        actor=actor or getpass.getuser(),
        method=method,
        rationale=rationale,
        model=model,
        prompt_hash=prompt_hash,
        url=url,
    )
    outcome = (
        "unchanged"
        if report.unchanged
        else "served (override logged)"
        if report.overrides
        else "served (first value)"
        if report.added
        else "kept as a candidate below a higher source"
    )
    console.print(f"{entity} {attribute} = {value} ({source.value}): {outcome}")


@app.command()
@fail_cleanly
def purge(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Count what would be disposed of; change nothing.")
    ] = False,
    actor: Annotated[str | None, typer.Option(help="Who disposes (default: the login name).")] = None,
) -> None:
    """Dispose of replaced values and override events past the retention policy, and record it.

    Refuses to run without a policy (JOBFORGE_RETAIN_REPLACED_DAYS / JOBFORGE_RETAIN_EVENTS_DAYS)."""
    report = knowledge_base(ctx).values.purge(actor or getpass.getuser(), dry_run=dry_run)
    verb = "would dispose of" if dry_run else "disposed of"
    console.print(f"policy: {report.policy}")
    console.print(
        f"{verb} {report.values_disposed} replaced values and {report.events_disposed} override events"
        + (f"; disposal record {report.disposal_id}" if report.disposal_id else "")
    )


@app.command()
@fail_cleanly
def disposals(ctx: typer.Context) -> None:
    """The disposal records left by purges, newest first."""
    table = Table(title="disposals")
    for column in ("id", "performed", "actor", "values", "events", "policy"):
        table.add_column(column, overflow="fold")
    for record in knowledge_base(ctx).values.disposals():
        table.add_row(
            str(record["id"]),
            f"{record['performed_at']:%Y-%m-%d %H:%M:%S}",
            record["actor"],
            str(record["values_disposed"]),
            str(record["events_disposed"]),
            record["policy"],
        )
    console.print(table)


@app.command()
@fail_cleanly
def export(
    ctx: typer.Context,
    entity: Entity,
    format: Annotated[str, typer.Option("--format", help="prov-json or csv.")] = "prov-json",
    out: Annotated[Path | None, typer.Option(help="Write to this file instead of standard output.")] = None,
) -> None:
    """The provenance of an entity's served values as W3C PROV-JSON or CSV."""
    if format not in ("prov-json", "csv"):
        raise typer.BadParameter("--format must be prov-json or csv")
    values = knowledge_base(ctx).values
    text = json.dumps(values.prov_json(entity), indent=1) if format == "prov-json" else values.csv(entity)
    if out is None:
        typer.echo(text)
    else:
        write_text(out, text)
        console.print(f"wrote {out}")
