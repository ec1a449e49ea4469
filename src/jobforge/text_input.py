"""Text that people hand in as a file (titles to code): UTF-8, or UTF-16 when the file starts with
its byte-order mark (what Excel's "Unicode Text" writes), and refused naming the line where it is
not, rather than guessed at. A wrong guess (or a replacement character) would code a title nobody
wrote and pair the answer with the line as if it were right; a byte-order mark is not a guess."""

from __future__ import annotations

import codecs

from jobforge.errors import SourceFileError

_UTF16_MARKS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def decoded_text(raw: bytes, source: str) -> str:
    """`raw` decoded, without a leading byte-order mark; SourceFileError naming the line and
    byte that is not text in its encoding."""
    encoding = "utf-16" if raw.startswith(_UTF16_MARKS) else "utf-8"
    try:
        text = raw.decode(encoding)  # from bytes, not a text stream: no newline translation of a lone \r
    except UnicodeDecodeError as error:
        line = raw[: error.start].decode(encoding, errors="replace").count("\n") + 1
        named = "UTF-16 (as its byte-order mark says)" if encoding == "utf-16" else "UTF-8"
        raise SourceFileError(
            source,
            f"line {line} is not {named} text (byte 0x{raw[error.start]:02x} at offset {error.start}); "
            "save it as UTF-8",
        ) from None
    return text.removeprefix("\ufeff")
