"""Files a person hands a command (titles to code, roles to import): read up to a bound, since
/dev/zero or an endless pipe was once read until memory ran out, and decoded as text_input says."""

from __future__ import annotations

from pathlib import Path

import typer

from jobforge.errors import SourceFileError
from jobforge.text_input import decoded_text

MAX_INPUT_MIB = 64


def read_text(file: Path, holds: str) -> tuple[str, str]:
    """The file's text ('-': standard input) and how messages name it; `holds` says what the bound
    means in the file's terms ("about two million titles")."""
    source = "standard input" if str(file) == "-" else str(file)
    limit = MAX_INPUT_MIB * 2**20
    try:
        if str(file) == "-":
            raw = typer.get_binary_stream("stdin").read(limit + 1)
        else:
            with file.open("rb") as stream:
                raw = stream.read(limit + 1)
    except OSError as error:
        raise SourceFileError(source, f"cannot be read ({error})") from None
    if len(raw) > limit:
        raise SourceFileError(source, f"is larger than {MAX_INPUT_MIB} MiB ({holds}): split it")
    return decoded_text(raw, source), source
