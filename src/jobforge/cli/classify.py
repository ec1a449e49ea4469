"""`jobforge classify`: job titles to occupations from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from jobforge.classify.rules import ACCEPT_RULE_TEXT, System
from jobforge.cli.context import console, errors, fail_cleanly, knowledge_base
from jobforge.errors import InputError, MalformedRowError, SourceFileError, UnusableTitleError

if TYPE_CHECKING:
    from jobforge.classify import Classification

_CHUNK = 2000  # titles per call: output streams and the bar moves while a large file is coded


@fail_cleanly
def classify(
    ctx: typer.Context,
    title: Annotated[str | None, typer.Argument(metavar="TITLE", help="A job title, e.g. 'Sr. Data Eng.'")] = None,
    system: Annotated[
        System, typer.Option("--system", help="onet (O*NET-SOC) or noc (NOC 2021 unit groups)")
    ] = System.onet,
    k: Annotated[int, typer.Option("-k", help="How many candidates per title (1–50).")] = 5,
    file: Annotated[Path | None, typer.Option("--file", help="One title per line ('-' reads standard input).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per title, one per line.")] = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show each candidate's indexed name closest to the title.")
    ] = False,
) -> None:
    """The likeliest occupations for a job title (or a file of titles), with calibrated scores."""
    if (title is None) == (file is None):
        raise InputError("give either a TITLE or --file FILE")
    kb = knowledge_base(ctx)
    titles = [title] if title is not None else _read_titles(file)
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
        for start in range(0, len(titles), _CHUNK):
            try:
                results = kb.classify(titles[start : start + _CHUNK], system.value, k, explain)
            except UnusableTitleError as error:
                if file is None:
                    raise
                raise MalformedRowError(
                    _source(file), start + error.position, None, "no letters or digits to classify"
                ) from None
            for result in results:
                _print(result, as_json)
            bar.advance(task, len(results))


HELP = f"{classify.__doc__}\n\n{ACCEPT_RULE_TEXT}."


def _read_titles(file: Path) -> list[str]:
    source = _source(file)
    try:
        text = typer.get_text_stream("stdin").read() if str(file) == "-" else file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SourceFileError(source, f"cannot be read as UTF-8 text ({error})") from None
    return text.splitlines()  # an empty line is reported, with its number, by the classifier


def _source(file: Path) -> str:
    return "standard input" if str(file) == "-" else str(file)


def _print(result: Classification, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(result.to_json(), ensure_ascii=False))
        return
    table = Table(
        title=f"{result.title}  →  {'needs review' if result.needs_review else 'accepted'}", title_justify="left"
    )
    explained = any(candidate.evidence for candidate in result.candidates)
    for column in ("code", "occupation", "score", *(("closest indexed name",) if explained else ())):
        table.add_column(column, justify="right" if column == "score" else "left")
    for candidate in result.candidates:
        evidence = (f"{candidate.evidence.name} ({candidate.evidence.origin})",) if candidate.evidence else ()
        table.add_row(candidate.code, candidate.title, f"{candidate.score:.3f}", *evidence)
    console.print(table)
