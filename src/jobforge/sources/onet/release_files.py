"""Opening an O*NET text release (a folder or the official zip) and telling which release it is."""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from jobforge.errors import ReleaseError, SourceFileError
from jobforge.sources.file_bytes import MAX_SOURCE_FILE_BYTES, source_file_bytes
from jobforge.sources.onet.release import README_FILE, Release

MAX_RATIO = 100  # O*NET's text files compress about 6 to 1
_README_RELEASE = re.compile(r"O\*NET\s+(\d+\.\d+)\s+Database")
_NAME_RELEASE = re.compile(r"db_(\d+)_(\d+)_text|^(\d+)\.(\d+)$")


@dataclass
class ReleaseFiles:
    """The raw bytes of every text file of a release, keyed by file name (folders stripped)."""

    origin: str
    release: Release
    files: dict[str, bytes] = field(default_factory=dict)


def open_release(path: Path, release: str | None = None) -> ReleaseFiles:
    """Read the release at `path`; `release` must agree with `Read Me.txt` when both are known."""
    if not path.exists():
        raise SourceFileError(str(path), "no such file or folder")
    files = _read_zip(path) if path.is_file() else _read_folder(path)
    if not files:
        raise SourceFileError(str(path), "contains no .txt files of an O*NET text release")
    return ReleaseFiles(str(path), _identify_release(path, files, release), files)


def _read_folder(path: Path) -> dict[str, bytes]:
    return {entry.name: source_file_bytes(entry) for entry in sorted(path.glob("*.txt")) if entry.is_file()}


def _read_zip(path: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(path) as archive:
            for member in archive.infolist():
                name = member.filename.rsplit("/", 1)[-1]
                if member.is_dir() or not name.endswith(".txt") or name.startswith("._"):
                    continue
                if name in files:
                    raise SourceFileError(str(path), f"holds '{name}' twice")
                try:
                    files[name] = _bounded_member(path, archive, member)
                except (zipfile.BadZipFile, zlib.error, EOFError) as error:
                    raise SourceFileError(f"{path} › {member.filename}", f"damaged in the archive ({error})") from None
    except (zipfile.BadZipFile, EOFError) as error:
        raise SourceFileError(str(path), f"not a readable zip archive ({error}); is the download truncated?") from None
    return files


def _bounded_member(path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    """A member's bytes, refused before it is read whole when it is larger than any release file
    could be, or compressed beyond what text compresses to (a zip bomb). The size its header
    declares is checked first, and the bytes actually read again, since a header may lie."""
    where = f"{path} › {member.filename}"
    if member.file_size > MAX_SOURCE_FILE_BYTES:
        raise SourceFileError(
            where, f"unpacks to {member.file_size:,} bytes, more than the {MAX_SOURCE_FILE_BYTES:,} allowed"
        )
    if (
        member.compress_size
        and member.file_size > 10 * 1024 * 1024
        and member.file_size / member.compress_size > MAX_RATIO
    ):
        raise SourceFileError(
            where, f"is compressed {member.file_size / member.compress_size:,.0f} to 1; text does not compress so far"
        )
    with archive.open(member) as stream:
        content = stream.read(MAX_SOURCE_FILE_BYTES + 1)
    if len(content) > MAX_SOURCE_FILE_BYTES:
        raise SourceFileError(where, f"unpacks to more than the {MAX_SOURCE_FILE_BYTES:,} bytes allowed")
    return content


def _identify_release(path: Path, files: dict[str, bytes], requested: str | None) -> Release:
    stated = _release_in_readme(files.get(README_FILE, b""))
    if requested is not None:
        chosen = Release.parse(requested)
        if stated is not None and stated != chosen:
            raise ReleaseError(f"{path}: {README_FILE} says release {stated} but --release {chosen} was given")
        return chosen
    if stated is not None:
        return stated
    match = _NAME_RELEASE.search(path.stem if path.is_file() else path.name)
    if match:
        major, minor = (g for g in match.groups() if g is not None)
        return Release.parse(f"{major}.{minor}")
    raise ReleaseError(
        f"{path}: cannot tell which O*NET release this is (no '{README_FILE}', and the name is not "
        "like db_29_3_text or 29.3); pass --release"
    )


def _release_in_readme(content: bytes) -> Release | None:
    match = _README_RELEASE.search(content[:500].decode("utf-8", errors="replace"))
    return Release.parse(match.group(1)) if match else None
