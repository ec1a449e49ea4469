"""Refusing control characters in source text files, with the line and column they stand in.

NUL and the other C0 control characters (and DEL) have no place in a published text release: some
backends store them silently, PostgreSQL refuses them mid-load, and every reader downstream trips
on them. Tab and line ends are the files' own structure, so they are allowed; so is a carriage
return that ends a line (CRLF files), and one inside a quoted CSV field.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from jobforge.errors import MalformedRowError

IN_TAB_SEPARATED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!\n|$)")
IN_CSV = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def refuse_control_characters(
    file_name: str, text: str, pattern: re.Pattern, column_at: Callable[[int, int], str | None]
) -> None:
    """MalformedRowError at the first control character of `text`; `column_at(line, offset in the
    line)` names its column."""
    found = pattern.search(text)
    if found is None:
        return
    line = text.count("\n", 0, found.start()) + 1
    line_start = text.rfind("\n", 0, found.start()) + 1
    code = ord(found.group()[0])
    name = {0x00: " NUL", 0x0D: " CR inside a line", 0x7F: " DEL"}.get(code, "")
    raise MalformedRowError(
        file_name,
        line,
        column_at(line, found.start() - line_start),
        f"holds a control character (U+{code:04X}{name}), which a published text file never contains",
    )
