"""Reading a published file whole, within a bound: a file far larger than any a publisher releases
(a wrong path, a log, a disk image) is refused by its size, before it is read, rather than read
until memory runs out; and a folder, a device or a pipe given where a file belongs is named as such."""

from __future__ import annotations

from pathlib import Path

from jobforge.errors import SourceFileError

MAX_SOURCE_FILE_BYTES = 256 * 1024 * 1024  # O*NET's largest text file is under 40 MB, NOC's under 1 MB


def source_file_bytes(path: Path, limit: int = MAX_SOURCE_FILE_BYTES) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them (the size is checked before
    reading, and again on what was read, since a file may grow meanwhile)."""
    if path.is_dir():
        raise SourceFileError(str(path), "is a folder, not a file")
    if not path.is_file():
        raise SourceFileError(str(path), "is not a regular file" if path.exists() else "no such file")
    too_large = f"is larger than {limit:,} bytes, more than any file of its kind: is it the right file?"
    if path.stat().st_size > limit:
        raise SourceFileError(str(path), too_large)
    with path.open("rb") as stream:
        content = stream.read(limit + 1)
    if len(content) > limit:
        raise SourceFileError(str(path), too_large)
    return content
