"""Text that people hand in as a file (titles to code): UTF-8 only, and refused naming the line
where it is not, rather than guessed at. A wrong guess (or a replacement character) would code a
title nobody wrote and pair the answer with the line as if it were right."""

from __future__ import annotations

from jobforge.errors import SourceFileError


def utf8_text(raw: bytes, source: str) -> str:
    """`raw` decoded, without a leading byte-order mark; SourceFileError naming the line and
    byte that is not UTF-8."""
    try:
        text = raw.decode("utf-8")  # from bytes, not a text stream: no newline translation of a lone \r
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise SourceFileError(
            source,
            f"line {line} is not UTF-8 text (byte 0x{raw[error.start]:02x} at offset {error.start}); save it as UTF-8",
        ) from None
    return text.removeprefix("\ufeff")
