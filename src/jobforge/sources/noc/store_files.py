"""Writing one checked Canadian file into its table, with its load record: what every publication's
loader (structure, OaSIS, COPS) shares within one NOC load run."""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field

from sqlalchemy import Connection

from jobforge.provenance import loads
from jobforge.provenance.sources import SourceKind
from jobforge.provenance.statements import WriteReport
from jobforge.sources.noc.csv_files import CsvFile
from jobforge.store.bulk import prepare_batch, write_batch

SOURCE = "noc"
RELEASE = "NOC 2021 v1.0"  # with OaSIS 2023 v1.0 and COPS 2024-2033


@dataclass
class NocLoadReport:
    status: str
    files: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    values: WriteReport | None = None  # what the value write path did with the OaSIS levels

    def to_json(self) -> dict:
        return {
            "source": SOURCE,
            "release": RELEASE,
            "status": self.status,
            "seconds": round(self.seconds, 3),
            "values": asdict(self.values) if self.values else None,
            "files": {name: {"rows": rows} for name, rows in self.files.items()},
            "warnings": self.warnings,
        }


@dataclass
class LoadRunFiles:
    """One load run's connection, run and report; `store` writes a file's rows as authoritative."""

    connection: Connection
    run_id: int
    report: NocLoadReport

    def record(self, csv_file: CsvFile, rows_read: int = 0) -> int:
        return loads.record_file(self.connection, self.run_id, csv_file.name, csv_file.sha256, rows_read)

    def store(self, csv_file: CsvFile, table: type, columns: dict[str, list]) -> None:
        started = time.perf_counter()
        file_id = self.record(csv_file, len(csv_file.rows))
        count = len(next(iter(columns.values()))) if columns else 0
        columns["confidence"] = [1.0] * count
        constants = {"source_kind": SourceKind.AUTHORITATIVE.value, "load_file_id": file_id}
        dialect = self.connection.dialect.name
        stored = (
            write_batch(self.connection, prepare_batch(dialect, table.__table__, columns, constants))  # type: ignore[attr-defined]  # a model class
            if count
            else 0
        )
        loads.update_file(self.connection, file_id, len(csv_file.rows), stored, time.perf_counter() - started)
        self.report.files[csv_file.name] = self.report.files.get(csv_file.name, 0) + stored
