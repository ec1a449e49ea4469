"""Roles to and from a spreadsheet saved as CSV: one role a row.

An import (`jobforge roles import`, the admin's upload) reads the columns the header row names in
any of their usual spellings ("Job Title", "job_family", "Initial code"). A column it does not know
is refused by name rather than left out: a misspelt "Famly" would otherwise make every role without
its family, and say nothing. Every row is checked before any role is made, and the problems are said
by line. An export writes the columns an import reads, then those only the store sets (id, approved
code, status, version, last change), which an import of the file skips: exported roles edited in a
spreadsheet come back as new roles, in this organisation or another."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple, TextIO

from jobforge.errors import InputError
from jobforge.roles.models import MAX_IMPORT, RoleIn, RoleRecord, validated
from jobforge.spreadsheet_csv import SpreadsheetWriter, as_typed
from jobforge.title_table import csv_rows, header_name

COLUMNS = {
    "title": "title",
    "job title": "title",
    "role title": "title",
    "titre": "title",
    "description": "description",
    "family": "family",
    "job family": "family",
    "unit": "unit",
    "organisation unit": "unit",
    "organization unit": "unit",
    "level": "level",
    "language": "language",
    "initial code": "initial_code",
    "code": "initial_code",
}
SHOWN_PROBLEMS = 20
WRITTEN = ("title", "description", "family", "unit", "level", "language", "initial_code")
SET_BY_THE_STORE = ("id", "approved_code", "status", "version", "updated_at")


class ImportRows(NamedTuple):
    roles: list[RoleIn]
    places: list[str]  # "roles.csv, line 7": where each role is in the file, for what the import says of it


def roles_from_csv(text: str, where: str, most: int = MAX_IMPORT) -> ImportRows:
    """The roles of a CSV text with a header row, at most `most`; InputError naming each line and
    field at fault (the first SHOWN_PROBLEMS of them)."""
    if "\x00" in text:
        raise InputError(f"{where} holds a NUL character: is it a text file?")
    table = csv_rows(text, where)
    if not table:
        raise InputError(f"{where} is empty: a header row (title, family, …) and one role a row")
    fields = [COLUMNS.get(header_name(cell)) for cell in table[0]]
    skipped = {name.replace("_", " ") for name in SET_BY_THE_STORE}
    unknown = [
        cell for cell, field in zip(table[0], fields) if not field and cell.strip() and header_name(cell) not in skipped
    ]
    if unknown:
        known = ", ".join(dict.fromkeys(COLUMNS.values()))
        shown = ", ".join(repr(cell[:40]) for cell in unknown[:10])
        more = f" and {len(unknown) - 10:,} more" if len(unknown) > 10 else ""
        raise InputError(f"{where}, line 1: unknown column {shown}{more}; the columns read are {known}")
    named = [field for field in fields if field]
    if "title" not in named or len(set(named)) < len(named):
        twice = sorted({field for field in named if named.count(field) > 1})
        said = f"{', '.join(twice)} named by two columns" if twice else "no title column"
        raise InputError(f"{where}, line 1: {said} (the header row names each column once)")
    rows = [(line, row) for line, row in enumerate(table[1:], start=2) if any(cell.strip() for cell in row)]
    if not 1 <= len(rows) <= most:
        elsewhere = f" here (`jobforge roles import` takes {MAX_IMPORT:,})" if most < MAX_IMPORT else ""
        raise InputError(f"{where}: {len(rows):,} roles; import 1 to {most:,} at once{elsewhere}")
    roles, places, problems = [], [], []
    for line, row in rows:
        if len(row) > len(fields):
            problems.append(f"line {line}: {len(row)} cells under {len(fields)} columns")
            continue
        cells = {field: as_typed(cell) for field, cell in zip(fields, row) if field and cell.strip()}  # blank: default
        try:
            roles.append(validated(RoleIn, cells))
            places.append(f"{where}, line {line}")
        except InputError as error:
            problems.append(f"line {line}: {error}")
    if problems:
        more = f"; and {len(problems) - SHOWN_PROBLEMS:,} more" if len(problems) > SHOWN_PROBLEMS else ""
        raise InputError(f"{where}: nothing imported; " + "; ".join(problems[:SHOWN_PROBLEMS]) + more)
    return ImportRows(roles, places)


def write_roles(out: TextIO, roles: Iterable[RoleRecord]) -> None:
    """The roles as CSV rows under a header, no cell able to run as a spreadsheet formula."""
    writer = SpreadsheetWriter(out)
    writer.writerow((*WRITTEN, *SET_BY_THE_STORE))
    for role in roles:
        written = [getattr(role, name) or "" for name in WRITTEN]
        writer.writerow(
            [*written, role.id, role.approved_code or "", role.status, role.version, role.updated_at.isoformat()]
        )
