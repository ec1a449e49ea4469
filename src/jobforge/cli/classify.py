"""`jobforge classify`: job titles to occupations from the command line."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from jobforge.classify.rules import ACCEPT_RULE_TEXT, System
from jobforge.cli.context import console, errors, fail_cleanly, knowledge_base
from jobforge.cli.input_files import read_text
from jobforge.coded_title_rows import HEADER, rows
from jobforge.errors import InputError
from jobforge.spreadsheet_csv import SpreadsheetWriter
from jobforge.title_table import table_titles

_LINE_BREAKS = str.maketrans({"\u0085": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})
_CHUNK = 2000  # titles per call: output streams and the bar moves while a large file is coded


@fail_cleanly
def classify(
    ctx: typer.Context,
    title: Annotated[str | None, typer.Argument(metavar="TITLE", help="A job title, e.g. 'Sr. Data Eng.'")] = None,
    system: Annotated[
        System, typer.Option("--system", help="onet (O*NET-SOC) or noc (NOC 2021 unit groups)")
    ] = System.onet,
    k: Annotated[int, typer.Option("-k", help="How many candidates per title (1–50).")] = 5,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            help="One title per line ('-' reads standard input); a .csv file: its column headed 'Job title', "
            "'Title', 'Position' … (else its first column), one title per row.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per title, one per line.")] = False,
    as_csv: Annotated[
        bool,
        typer.Option(
            "--csv",
            help="One CSV row per candidate, as the coding page's download; the default for --file when "
            "the output is not a terminal.",
        ),
    ] = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show each candidate's indexed name closest to the title.")
    ] = False,
) -> None:
    """The likeliest occupations for a job title (or a file of titles), with calibrated scores."""
    if (title is None) == (file is None):
        raise InputError("give either a TITLE or --file FILE")
    if as_json and as_csv:
        raise InputError("give --json or --csv, not both")
    # Tables are for reading: a file's answers sent to a file or a pipe are rows (a table per title
    # takes ten times as long as the coding: 72 s for 20,000 titles, against 6.8 s as rows)
    layout = "json" if as_json else "csv" if as_csv or (file is not None and not console.is_terminal) else "table"
    kb = knowledge_base(ctx)
    titles, first, unit, source = ([title], 1, "title", "") if file is None else _read_titles(file)
    # The first call after a load builds the index (with the embeddings extra, about a minute on the
    # full data): say so rather than sit silent.
    building = errors.status("reading or building the title index…") if errors.is_terminal else nullcontext()
    with building:
        kb.classify.get(system)
    with Progress(
        TextColumn("classifying"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=errors,
        transient=True,
        disable=len(titles) <= _CHUNK or not errors.is_terminal,
    ) as bar:
        task = bar.add_task("", total=len(titles))
        problems = 0
        out = SpreadsheetWriter(sys.stdout)  # RFC 4180: a field holding a carriage return is quoted
        if layout == "csv":
            out.writerow(HEADER)
        for start in range(0, len(titles), _CHUNK):
            if file is None:
                results = [result.to_json() for result in kb.classify(titles, system.value, k, explain)]
            else:  # each line answered in its place: one that cannot be coded says why, the rest are coded
                results = kb.classify.batch(titles[start : start + _CHUNK], system.value, k, explain)
            for line, result in enumerate(results, start=start + 1):
                if "error" in result:
                    problems += 1
                    where = f"{source}, {unit} {first + line - 1}" if file else "title"
                    errors.print(f"{where}: {result['error']}", highlight=False)
                _print(result, layout, out.writerows)
            bar.advance(task, len(results))
    if problems:
        errors.print(f"{problems:,} of {len(titles):,} {unit}s could not be coded (answered with their error)")


HELP = f"{classify.__doc__}\n\n{ACCEPT_RULE_TEXT}."


def _read_titles(file: Path) -> tuple[list[str], int, str, str]:
    """The file's titles, the number of the line or row that holds the first, which it is, and how
    messages name the file."""
    text, source = read_text(file, "about two million titles")
    if file.suffix.lower() == ".csv":
        titles, first = table_titles(text, source)
        return titles, first, "row", source
    # Lines end at line feeds only: a carriage return, form feed or U+2028 inside a line is part of its
    # title, so that the answers pair one-to-one with the lines (an empty line is answered as empty).
    lines = [line.removesuffix("\r") for line in text.split("\n")]
    return (lines[:-1] if lines and lines[-1] == "" else lines), 1, "line", source


def _print(result: dict, layout: str, write_rows: Callable[[Iterator[list]], object]) -> None:
    if layout == "json":  # one line per title, whatever a title holds: the separators JSON leaves raw are escaped
        typer.echo(json.dumps(result, ensure_ascii=False).translate(_LINE_BREAKS))
        return
    if layout == "csv":  # a title with a line break inside is quoted: still one record
        write_rows(rows(result))
        return
    if "error" in result:
        return  # said on standard error, with its line
    table = Table(
        title=f"{result['title']}  →  {'needs review' if result['needs_review'] else 'accepted'}", title_justify="left"
    )
    explained = any(candidate.get("evidence") for candidate in result["candidates"])
    for column in ("code", "occupation", "score", *(("closest indexed name",) if explained else ())):
        table.add_column(column, justify="right" if column == "score" else "left")
    for candidate in result["candidates"]:
        found = candidate.get("evidence")
        evidence = (f"{found['name']} ({found['origin']})",) if found else ()
        table.add_row(candidate["code"], candidate["title"], f"{candidate['score']:.3f}", *evidence)
    console.print(table)
