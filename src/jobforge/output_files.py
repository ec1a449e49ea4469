"""Files and folders a user asked JobForge to write: one that cannot be written is refused naming
its path, before the long work that would fill it where that can be known, never as a traceback
after it."""

from __future__ import annotations

import os
from pathlib import Path

from jobforge.errors import OutputFileError


def write_text(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise OutputFileError(path, error.strerror or str(error)) from None


def writable_folder(folder: Path) -> None:
    """Create `folder` if needed and check that files can be made in it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputFileError(folder, "a file is there, not a folder") from None
    except OSError as error:
        raise OutputFileError(folder, error.strerror or str(error)) from None
    if not os.access(folder, os.W_OK | os.X_OK):
        raise OutputFileError(folder, "permission denied")
