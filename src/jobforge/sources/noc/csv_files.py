"""Reading the Canadian CSV files: UTF-8 with or without BOM, CRLF, newlines inside quoted fields."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from jobforge.control_characters import IN_TEXT, refuse_control_characters
from jobforge.errors import MalformedRowError, SourceFileError
from jobforge.sources.file_bytes import source_file_bytes


@dataclass
class CsvFile:
    name: str
    sha256: str
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line where the record starts, fields)


def read_csv(path: Path, expected_header: list[str] | None = None) -> CsvFile:
    """The whole file, each record with the line it starts on; checks the field count of every
    record against the header, and the header itself when `expected_header` is given."""
    content = source_file_bytes(path)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise MalformedRowError(path.name, line, None, f"not UTF-8 text (byte 0x{content[error.start]:02x})") from None
    refuse_control_characters(path.name, text, IN_TEXT, lambda line, offset: _column(text, line, offset))
    records = list(_records(path.name, text))
    if not records:
        raise SourceFileError(path.name, "is empty: expected a header line and data rows")
    (_, header), rows = records[0], records[1:]
    if not rows:  # a truncated export: loading it would replace the loaded rows with none
        raise SourceFileError(path.name, "has a header but no data rows")
    if expected_header is not None and [h.strip() for h in header] != expected_header:
        raise MalformedRowError(path.name, 1, None, f"header is {header}, expected {expected_header}")
    for line, fields in rows:
        if len(fields) != len(header):
            raise MalformedRowError(path.name, line, None, f"expected {len(header)} fields, found {len(fields)}")
    return CsvFile(path.name, hashlib.sha256(content).hexdigest(), header, rows)


def _column(text: str, line: int, offset: int) -> str | None:
    """The header name of the field at `offset` of physical `line` (a field spanning lines aside)."""
    lines = text.split("\n", line)
    header = next(csv.reader([lines[0]]), [])
    before = IN_TEXT.sub(" ", lines[line - 1][:offset])
    position = len(next(csv.reader([before + "x"]), [])) - 1
    return header[position].strip() if 0 <= position < len(header) else None


def _records(name: str, text: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    try:
        for fields in reader:
            if any(field.strip() for field in fields):
                yield start, fields
            start = reader.line_num + 1
    except csv.Error as error:
        raise MalformedRowError(name, start, None, f"unreadable CSV ({error})") from None


def whole_number(text: str, file: str, line: int, column: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise MalformedRowError(file, line, column, f"'{text}' is not a whole number") from None


def number(text: str, file: str, line: int, column: str) -> float:
    """A COPS figure: thousands separators allowed (`8,238,800`)."""
    try:
        return float(text.replace(",", ""))
    except ValueError:
        raise MalformedRowError(file, line, column, f"'{text}' is not a number, N/A or N/D") from None
