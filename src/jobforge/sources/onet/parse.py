"""Turning one release file into validated, typed, column-major batches.

Validation runs a column at a time (a C-level `map(float, ...)` is far cheaper than a Python
call per cell); only when a column fails is it walked cell by cell to name the exact line. The
rules come from the table definitions: type, NULL allowed or not, maximum length, and foreign
keys, which must point at keys loaded earlier in the same run.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import Boolean, Date, Double, Integer, String

from jobforge.control_characters import IN_TAB_SEPARATED, refuse_control_characters
from jobforge.entities import ONET
from jobforge.errors import MalformedRowError, SourceFileError
from jobforge.sources.onet.layouts import FileLayout

NOT_AVAILABLE = "n/a"
_MONTH_YEAR = re.compile(r"(0[1-9]|1[0-2])/(\d{4})")
_FLAGS = {"Y": True, "N": False}


class CellError(ValueError):
    """A value at `index` of a column is wrong; the parser turns it into a located error."""

    def __init__(self, index: int, problem: str) -> None:
        self.index = index
        self.problem = problem
        super().__init__(problem)


Converter = Callable[[Sequence[str]], list]


@dataclass(frozen=True)
class FieldRule:
    header: str
    position: int
    field: str
    convert: Converter
    reference: str | None


@dataclass
class Batch:
    """Validated rows `first_line`.. of a file, one list per field."""

    first_line: int
    columns: dict[str, list]

    def __len__(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0


def decode_lines(file_name: str, content: bytes) -> list[str]:
    """The file's lines, header first; UTF-8 (a BOM is allowed), LF or CRLF endings."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise MalformedRowError(
            file_name, line, None, f"not UTF-8 text (byte 0x{content[error.start]:02x} at offset {error.start})"
        ) from None
    if not text.strip():
        raise SourceFileError(file_name, "is empty: expected a header line and data rows")
    refuse_control_characters(file_name, text, IN_TAB_SEPARATED, lambda line, offset: _column(text, line, offset))
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    if text.find("\r") != -1:
        lines = [line[:-1] if line.endswith("\r") else line for line in lines]
    return lines


def _column(text: str, line: int, offset: int) -> str | None:
    """The header name of the field at `offset` of `line` (1-based), tabs separating fields."""
    lines = text.split("\n", line)
    header = lines[0].rstrip("\r").split("\t")
    position = lines[line - 1][:offset].count("\t")
    return header[position] if position < len(header) else None


class FileParser:
    """Validates the lines of one file against its layout, in batches."""

    def __init__(self, layout: FileLayout, known_keys: dict[str, set]) -> None:
        self.layout = layout
        self.known_keys = known_keys
        columns = layout.table.__table__.columns
        self.rules = [
            FieldRule(header, position, name, _converter(columns[name]), _reference(columns[name]))
            for position, (header, name) in enumerate(layout.headers)
            if name is not None
        ]
        present = {rule.field for rule in self.rules}
        declared = layout.key or tuple(c.name for c in layout.table.__table__.primary_key)
        self.key_fields = tuple(name for name in declared if name in present)
        self._seen_keys: dict[tuple, int] = {}

    def check_header(self, header_line: str) -> None:
        found = header_line.split("\t")
        expected = list(self.layout.header_names)
        if found == expected:
            return
        for position, name in enumerate(expected):
            if position >= len(found) or found[position] != name:
                got = found[position] if position < len(found) else "nothing"
                raise MalformedRowError(
                    self.layout.file_name,
                    1,
                    name,
                    f"header field {position + 1} should be '{name}', found '{got}' "
                    f"(expected header: {' | '.join(expected)})",
                )
        raise MalformedRowError(
            self.layout.file_name,
            1,
            None,
            f"header has unexpected extra fields {found[len(expected) :]} (expected {len(expected)} fields)",
        )

    def batches(self, lines: Sequence[str], batch_size: int) -> Iterator[Batch]:
        """Validated batches of the data lines (`lines` without the header)."""
        for start in range(0, len(lines), batch_size):
            yield self._batch(lines[start : start + batch_size], first_line=start + 2)

    def _batch(self, lines: Sequence[str], first_line: int) -> Batch:
        width = len(self.layout.headers)
        tab_counts = list(map(_count_tabs, lines))
        if tab_counts and (min(tab_counts) != width - 1 or max(tab_counts) != width - 1):
            index = next(i for i, count in enumerate(tab_counts) if count != width - 1)
            raise MalformedRowError(
                self.layout.file_name,
                first_line + index,
                None,
                f"expected {width} tab-separated fields, found {tab_counts[index] + 1}",
            )
        # One split of the joined batch and strided slices: no per-row list is ever built.
        cells = "\t".join(lines).split("\t") if lines else []
        columns: dict[str, list] = {}
        for rule in self.rules:
            raw = cells[rule.position :: width]
            try:
                values = rule.convert(raw)
                if rule.reference:
                    self._check_reference(rule, values)
            except CellError as error:
                raise MalformedRowError(
                    self.layout.file_name, first_line + error.index, rule.header, error.problem
                ) from None
            columns[rule.field] = values
        self._check_unique(columns, first_line)
        return Batch(first_line, columns)

    def _check_reference(self, rule: FieldRule, values: list) -> None:
        known = self.known_keys.get(rule.reference)
        if known is None:
            raise SourceFileError(
                self.layout.file_name,
                f"column '{rule.header}' refers to {rule.reference}, which no earlier file of this release provides",
            )
        missing = set(values) - known
        missing.discard(None)
        if missing:
            index = next(i for i, v in enumerate(values) if v in missing)
            raise CellError(index, f"unknown {rule.reference} '{values[index]}'")

    def _check_unique(self, columns: dict[str, list], first_line: int) -> None:
        if not self.key_fields:
            return
        keys = list(zip(*(columns[name] for name in self.key_fields)))
        lines = dict(zip(keys, range(first_line, first_line + len(keys))))
        if len(lines) == len(keys) and self._seen_keys.keys().isdisjoint(lines):
            self._seen_keys.update(lines)
            return
        # Slow path, only on failure: name the first repeated key and where it first appeared.
        for offset, key in enumerate(keys):
            earlier = self._seen_keys.setdefault(key, first_line + offset)
            if earlier != first_line + offset:
                raise MalformedRowError(
                    self.layout.file_name,
                    first_line + offset,
                    None,
                    f"duplicate row for {dict(zip(self.key_fields, key))} (first at line {earlier})",
                )


_count_tabs = operator.methodcaller("count", "\t")


def _reference(column) -> str | None:
    for foreign_key in column.foreign_keys:
        if foreign_key.column.table.name != "load_file":
            return f"{foreign_key.column.table.name}.{foreign_key.column.name}"
    return None


def _converter(column) -> Converter:
    nullable = bool(column.nullable)
    kind = column.type
    if isinstance(kind, Boolean):
        return _flags(nullable)
    if isinstance(kind, Integer):
        return _numbers(int, "a whole number", nullable)
    if isinstance(kind, Double):
        return _numbers(float, "a number", nullable)
    if isinstance(kind, Date):
        return _month_years(nullable)
    if column.name in ("soc_code", "related_soc_code"):
        return _soc_codes(column.type.length)
    return _texts(getattr(kind, "length", None) if isinstance(kind, String) else None, nullable)


_MISSING = frozenset({NOT_AVAILABLE, ""})


def _is_missing(value: str) -> bool:
    return value in _MISSING


def _first(values: Sequence[str], bad: Callable[[str], bool]) -> int:
    return next(i for i, v in enumerate(values) if bad(v))


def _numbers(kind: type, label: str, nullable: bool) -> Converter:
    def convert(values: Sequence[str]) -> list:
        try:
            if nullable and (NOT_AVAILABLE in values or "" in values):
                out = [None if v in _MISSING else kind(v) for v in values]
            else:
                out = list(map(kind, values))
        except ValueError:
            index = _first(values, lambda v: not _parses(kind, v, nullable))
            problem = "a value is required" if _is_missing(values[index]) else f"'{values[index]}' is not {label}"
            raise CellError(index, problem) from None
        if kind is float and not all(map(math.isfinite, filter(None, out))):
            index = next(i for i, v in enumerate(out) if v is not None and not math.isfinite(v))
            raise CellError(index, f"'{values[index]}' is not a finite number")
        return out

    return convert


def _parses(kind: type, value: str, nullable: bool) -> bool:
    if nullable and _is_missing(value):
        return True
    try:
        kind(value)
    except ValueError:
        return False
    return True


def _flags(nullable: bool) -> Converter:
    allowed = "Y, N or n/a" if nullable else "Y or N"

    def convert(values: Sequence[str]) -> list:
        try:
            if nullable:
                return [None if v in _MISSING else _FLAGS[v] for v in values]
            return [_FLAGS[v] for v in values]
        except KeyError:
            index = _first(values, lambda v: v not in _FLAGS and not (nullable and _is_missing(v)))
            raise CellError(index, f"'{values[index]}' is not {allowed}") from None

    return convert


def _month_years(nullable: bool) -> Converter:
    def convert(values: Sequence[str]) -> list:
        parsed: dict[str, str | None] = {}
        for value in set(values):
            match = _MONTH_YEAR.fullmatch(value)
            if match:
                parsed[value] = f"{match.group(2)}-{match.group(1)}-01"
            elif nullable and _is_missing(value):
                parsed[value] = None
            else:
                raise CellError(values.index(value), f"'{value}' is not a date of the form MM/YYYY")
        return [parsed[v] for v in values]

    return convert


def _soc_codes(length: int) -> Converter:
    def convert(values: Sequence[str]) -> list:
        for value in set(values):
            if len(value) != length or not ONET.matches(value):
                raise CellError(values.index(value), f"'{value}' is not an O*NET-SOC code (NN-NNNN.NN)")
        return list(values)

    return convert


def _texts(max_length: int | None, nullable: bool) -> Converter:
    def convert(values: Sequence[str]) -> list:
        out = [None if v in _MISSING else v for v in values] if nullable else list(values)
        if not nullable and not all(values):
            raise CellError(_first(values, lambda v: v == ""), "a value is required")
        if max_length and values and max(map(len, values)) > max_length:
            index = _first(values, lambda v: len(v) > max_length)
            raise CellError(index, f"longer than the {max_length} characters this column holds")
        return out

    return convert
