"""Loading the Dais/Brookfield NOC 2021 → O*NET-SOC crosswalk (1:N), keyed on codes, never titles.

The published CSV lost the leading zeros of NOC codes (`10` is unit group 00010; a loader that
keys on the text loses 00010–00015) and gives different titles for the same O*NET-SOC code on
different rows. Codes are zero-padded and checked against the loaded NOC structure (unit
groups only) and the O*NET-SOC form; title disagreements are reported as warnings. Any bad row
stops the load with its line, and nothing is stored.

The mapping is a researchers' correspondence, neither publisher's statement, so its rows are
`imputed` with confidence 0.7 (an assertion published without statistics).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, func, select

from jobforge.entities import ONET
from jobforge.errors import MalformedRowError, SourceFileError
from jobforge.provenance import loads
from jobforge.provenance.confidence import UNMEASURED
from jobforge.provenance.sources import SourceKind
from jobforge.sources.noc import tables as n
from jobforge.sources.noc.csv_files import read_csv
from jobforge.sources.onet import tables as t
from jobforge.store.bulk import prepare_batch, write_batch
from jobforge.store.exclusive import exclusive

SOURCE = "crosswalk"
HEADER = ["noc", "noc_title", "onet", "onet_title"]


@dataclass
class Coverage:
    mappings: int
    distinct_pairs: int
    unit_groups: int
    unit_groups_mapped: int
    distinct_soc_codes: int
    unit_groups_unmapped: list[str]
    soc_codes_not_in_onet: list[str]


@dataclass
class CrosswalkReport:
    status: str
    rows: int
    coverage: Coverage
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def to_json(self) -> dict:
        return {
            "source": SOURCE,
            "status": self.status,
            "rows": self.rows,
            "seconds": round(self.seconds, 3),
            "coverage": self.coverage.__dict__,
            "warnings": self.warnings,
        }


def load_crosswalk(engine: Engine, path: Path) -> CrosswalkReport:
    started = time.perf_counter()
    csv_file = read_csv(Path(path), HEADER)
    with engine.begin() as connection, exclusive(connection, "load"):
        unit_groups = dict(
            connection.execute(select(n.NocGroup.code, n.NocGroup.title).where(n.NocGroup.level == 5)).all()
        )
        if not unit_groups:
            raise SourceFileError(csv_file.name, "needs the NOC 2021 structure loaded first (jobforge noc load DIR)")
        columns: dict[str, list] = {
            k: [] for k in ("noc_code", "soc_code", "source_line", "noc_title_in_source", "soc_title_in_source")
        }
        soc_titles: dict[str, set[str]] = defaultdict(set)
        warnings: list[str] = []
        for line, (noc_text, noc_title, soc_text, soc_title) in csv_file.rows:
            noc = noc_text.strip()
            if not noc.isdigit() or len(noc) > 5:
                raise MalformedRowError(csv_file.name, line, "noc", f"'{noc_text}' is not a NOC code (up to 5 digits)")
            noc = noc.zfill(5)
            if noc not in unit_groups:
                raise MalformedRowError(csv_file.name, line, "noc", f"'{noc}' is not a NOC 2021 unit group")
            soc = soc_text.strip()
            if not ONET.matches(soc):
                raise MalformedRowError(
                    csv_file.name, line, "onet", f"'{soc_text}' is not an O*NET-SOC code (NN-NNNN.NN)"
                )
            soc_titles[soc].add(soc_title.strip())
            for key, value in zip(columns, (noc, soc, line, noc_title.strip(), soc_title.strip())):
                columns[key].append(value)
        for soc, titles in sorted(soc_titles.items()):
            if len(titles) > 1:
                warnings.append(f"O*NET-SOC {soc} has {len(titles)} titles across rows: {sorted(titles)}")
        live = loads.live_run(connection, SOURCE)
        if live is not None and loads.live_checksums(connection, live.id) == {csv_file.name: csv_file.sha256}:
            status = "unchanged"
        else:
            if live is not None:
                loads.retire(connection, live.id, [n.NocSocMapping])
            run_id = loads.start_run(connection, SOURCE, "Dais/Brookfield NOC 2021-O*NET 26", str(path))
            file_id = loads.record_file(connection, run_id, csv_file.name, csv_file.sha256, len(csv_file.rows))
            columns["confidence"] = [UNMEASURED] * len(csv_file.rows)
            stored = write_batch(
                connection,
                prepare_batch(
                    connection.dialect.name,
                    n.NocSocMapping.__table__,
                    columns,
                    {"source_kind": SourceKind.IMPUTED.value, "load_file_id": file_id},
                ),
            )
            loads.update_file(connection, file_id, len(csv_file.rows), stored, time.perf_counter() - started)
            loads.finish_run(connection, run_id)
            status = "loaded"
        report = CrosswalkReport(status, len(csv_file.rows), coverage(connection), warnings)
    report.seconds = time.perf_counter() - started
    return report


def coverage(connection) -> Coverage:
    """How much of NOC 2021 the stored crosswalk covers, and what it points at."""
    m = n.NocSocMapping
    unit_groups = set(connection.execute(select(n.NocGroup.code).where(n.NocGroup.level == 5)).scalars())
    mapped = set(connection.execute(select(m.noc_code).distinct()).scalars())
    socs = set(connection.execute(select(m.soc_code).distinct()).scalars())
    known_socs = set(connection.execute(select(t.Occupation.soc_code)).scalars())
    return Coverage(
        mappings=connection.scalar(select(func.count()).select_from(m)),
        distinct_pairs=connection.scalar(
            select(func.count()).select_from(select(m.noc_code, m.soc_code).distinct().subquery())
        ),
        unit_groups=len(unit_groups),
        unit_groups_mapped=len(mapped & unit_groups),
        distinct_soc_codes=len(socs),
        unit_groups_unmapped=sorted(unit_groups - mapped),
        soc_codes_not_in_onet=sorted(socs - known_socs) if known_socs else [],
    )
