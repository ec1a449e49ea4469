"""Which control characters each kind of text may hold, in one place, so that the sets differ only
on purpose; and refusing them in source files with the line and column they stand in.

NUL and the other C0 control characters (and DEL) are not text anyone wrote: some backends store
them silently, PostgreSQL refuses NUL, and every reader downstream trips on them. What a text may
keep is what gives it its shape: nothing in a URL's path or query; tab and line ends in text with
lines (a published file, a role's description); and in one line of a file read by line feeds,
also the characters other readers break lines at, which the title normaliser turns into spaces.
A published tab-separated file may hold a carriage return only where it ends a line (CRLF).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from jobforge.errors import MalformedRowError

IN_URL = re.compile(r"[\x00-\x1f\x7f]")
IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # tab, LF and CR kept (a CSV field may hold CR)
IN_TAB_SEPARATED = re.compile(IN_TEXT.pattern + r"|\r(?!\n|$)")
IN_A_LINE = re.compile(r"[\x00-\x08\x0e-\x1b\x1f\x7f]")  # tab, VT, FF, CR and \x1c–\x1e kept
# Half of a UTF-16 surrogate pair is no character at all, and no database stores it as text. JSON can
# spell one ("\\ud800"), and Python turns each byte of a command line that is not UTF-8 into one
# (U+DC80–U+DCFF, the byte plus 0xDC00).
SURROGATE = re.compile("[\ud800-\udfff]")
# The explicit embeddings, overrides and isolates of the bidirectional algorithm show the text after
# them reordered ("Trojan Source"): a role titled "Nurse" could read as any other title to the next
# person. Arabic or Hebrew text needs none of them; its letters carry their own direction.
BIDI_CONTROL = re.compile("[\u202a-\u202e\u2066-\u2069]")


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
