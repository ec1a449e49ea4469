"""What a load did, per file, in a form both the CLI table and `--json` print."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from jobforge.provenance.statements import WriteReport


@dataclass
class FileReport:
    """`status`: loaded, unchanged (same release and checksum as the live load), absent (the
    release lacks the file, and the live load had no rows from it), removed (the live load's rows
    from it were removed, as `--allow-missing` asked) or unknown (a .txt file no layout describes;
    not loaded)."""

    status: str
    rows_read: int = 0
    rows_stored: int = 0
    seconds: float = 0.0
    sha256: str | None = None
    rows_removed: int = 0


@dataclass
class LoadReport:
    release: str
    origin: str
    status: str
    replaced_release: str | None = None
    seconds: float = 0.0
    files: dict[str, FileReport] = field(default_factory=dict)
    values: WriteReport | None = None  # what the value write path did (None: not applied)

    def to_json(self) -> dict:
        return {
            "release": self.release,
            "origin": self.origin,
            "status": self.status,
            "replaced_release": self.replaced_release,
            "seconds": round(self.seconds, 3),
            "values": asdict(self.values) if self.values else None,
            "files": {
                name: {"rows": report.rows_stored, **asdict(report), "seconds": round(report.seconds, 3)}
                for name, report in self.files.items()
            },
        }

    @property
    def rows_stored(self) -> int:
        return sum(report.rows_stored for report in self.files.values())
