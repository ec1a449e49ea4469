"""CSV files people open in a spreadsheet, written so that no cell runs as a formula.

The text in these files comes from people and programs other than the reader: titles pasted from
a job board, a role's override typed by a colleague, an LLM's rationale, a scraped TBS page. A
spreadsheet takes a cell that starts with `=`, `+`, `-` or `@` (some also a tab or a carriage
return) as a formula, and a formula can fetch a URL or start a program (CSV injection, OWASP). Such
a text cell is written with an apostrophe in front, which spreadsheets read as "this is text" and
do not show; a number, negative ones included, is written as it is. JobForge reading such a file
back (an exported roles file imported again) takes that apostrophe off, and only that one."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from typing import Any, TextIO

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def inert(cell: Any) -> Any:
    """`cell` as a spreadsheet will show it and never run it."""
    return "'" + cell if isinstance(cell, str) and _marked(cell) else cell


def as_typed(cell: str) -> str:
    """The text `inert` was given, for a file of ours read back (an exported roles file imported
    again keeps its titles): the apostrophe `inert` put in front is taken off, and only that one."""
    return cell[1:] if cell.startswith("'") and _marked(cell[1:]) else cell


def _marked(text: str) -> bool:
    """A formula-like text gets an apostrophe; so does one that already starts with apostrophes
    before a formula-like text (a title "'=x" is written "''=x"), so that reading back is exact."""
    bare = text.lstrip("'")
    return bare.startswith(_FORMULA_START) and not _NUMBER.fullmatch(bare)


class SpreadsheetWriter:
    """`csv.writer` whose rows pass through `inert`."""

    def __init__(self, out: TextIO, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([inert(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)
