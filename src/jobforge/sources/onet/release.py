"""O*NET release numbers, and the file that states one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import total_ordering

from jobforge.errors import ReleaseError

README_FILE = "Read Me.txt"
_FORM = re.compile(r"[0-9]{1,3}\.[0-9]{1,2}")


@total_ordering
@dataclass(frozen=True)
class Release:
    """An O*NET database release number such as 29.3, ordered numerically (29.10 > 29.3)."""

    major: int
    minor: int

    @classmethod
    def parse(cls, text: str) -> Release:
        """A release number of the form O*NET uses: 1 to 3 digits, a dot, 1 or 2 digits (29.3, 30.10)."""
        if not _FORM.fullmatch(text.strip()):
            raise ReleaseError(f"'{text}' is not an O*NET release number (expected e.g. 29.3)")
        major, minor = text.strip().split(".")
        return cls(int(major), int(minor))

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}"

    def __lt__(self, other: Release) -> bool:
        return (self.major, self.minor) < (other.major, other.minor)
