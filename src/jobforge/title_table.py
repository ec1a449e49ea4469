"""The job titles of a spreadsheet saved as CSV, for the coding page's upload and `classify --file`.

HR systems export many columns (employee number, department, job title, grade …), and the title
is seldom the first. So the column whose header names a job title is read ("Job Title",
"job_title", "Position", "Titre du poste" …); without such a header, the first column, every row.
Rows pair one-to-one with the answers: a row without that column is an empty title, answered
with its own error in its place. Fields are separated by what the first line separates with most:
commas, semicolons (Excel where the decimal mark is a comma) or tabs.
"""

from __future__ import annotations

import csv
import io
import re

from jobforge.errors import InputError

# best first: "Position" is a position number in some HR systems, so a "Job Title" beside it wins
TITLE_HEADERS = (
    "job title",
    "jobtitle",
    "title",
    "position title",
    "role title",
    "job name",
    "titre du poste",
    "intitule du poste",
    "appellation d emploi",
    "titre",
    "poste",
    "role",
    "position",
)
_RANK = {name: rank for rank, name in enumerate(TITLE_HEADERS)}
_SPELLING = re.compile(r"[\s_\-'’]+")


def header_name(cell: str) -> str:
    """A header as written in any of its usual spellings: "Job_Title", "job-title", "JOB TITLE"."""
    folded = cell.strip().lower().replace("é", "e")
    return _SPELLING.sub(" ", folded).strip()


def csv_rows(text: str, where: str) -> list[list[str]]:
    """The rows of a CSV text; InputError naming the line that is not CSV."""
    first_line = text.split("\n", 1)[0]
    # Excel saves CSV with semicolons where the decimal mark is a comma (French Canada)
    delimiter = max(",;\t", key=first_line.count)  # a tie (none of them at all) goes to the comma
    # strict: a quote left open would otherwise swallow every row after it into one cell
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        return list(reader)
    except csv.Error as error:
        raise InputError(f"{where}, line {reader.line_num}: not CSV ({error})") from None


def table_titles(text: str, where: str) -> tuple[list[str], int]:
    """The titles of a CSV text, one per row after the header if it has one, and the number of the
    row (from 1) that holds the first of them; InputError naming the line that is not CSV."""
    table = csv_rows(text, where)
    if not table:
        return [], 1
    headers = [(_RANK[name], i) for i, name in enumerate(map(header_name, table[0])) if name in _RANK]
    if not headers:
        return [row[0] if row else "" for row in table], 1
    column = min(headers)[1]
    return [row[column] if len(row) > column else "" for row in table[1:]], 2
