"""Loading the NOC 2021 structure, the OaSIS 2023 profiles and the COPS 2024–2033 projections.

One call loads a folder laid out like `../shared/data/noc` in one transaction: every file is
checked (header, codes zero-padded and of the right length, parents and unit groups that exist,
numbers), the previous NOC load is replaced, and loading the same files again changes nothing.
These are official Canadian sources, so every row is `authoritative` with confidence 1.0. Each
publication has its module (structure.py, oasis.py, cops.py); this one reads the folder, keeps a
loaded crosswalk across the replacement, and puts the OaSIS levels through the write path.
"""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import Connection, Engine, delete, exists, insert, select

from jobforge.errors import SourceFileError
from jobforge.provenance import loads
from jobforge.provenance.sources import SourceKind
from jobforge.provenance.statements import Source
from jobforge.provenance.value_tables import ValueSource
from jobforge.provenance.write import apply_release
from jobforge.sources.noc import oasis
from jobforge.sources.noc import tables as n
from jobforge.sources.noc.cops import load_projections
from jobforge.sources.noc.csv_files import CsvFile, read_csv
from jobforge.sources.noc.oasis import OasisLoader
from jobforge.sources.noc.store_files import RELEASE, SOURCE, LoadRunFiles, NocLoadReport
from jobforge.sources.noc.structure import STRUCTURE_FILE, STRUCTURE_HEADER, load_structure
from jobforge.store.exclusive import exclusive

ACTOR = "jobforge noc load"
OASIS_FILE = "OaSIS release file"
NOC_TABLES = [
    n.NocGroup,
    n.OasisGuideEntry,
    n.OasisProfile,
    n.OasisRating,
    n.OasisInterest,
    n.OasisStatement,
    n.CopsProjection,
]
__all__ = ["NocLoadReport", "load_noc"]


def load_noc(engine: Engine, folder: Path) -> NocLoadReport:
    """Load the folder (structure CSV, `oasis_2023/`, `cops_2024_2033/`); all or nothing."""
    started = time.perf_counter()
    files = _read_all(Path(folder))
    checksums = {f.name: f.sha256 for f in files.values()}
    with engine.begin() as connection, exclusive(connection, "load"):
        live = loads.live_run(connection, SOURCE)
        applied = connection.scalar(select(exists().where(ValueSource.method == OASIS_FILE)))
        if live is not None and loads.live_checksums(connection, live.id) == checksums and applied:
            report = NocLoadReport("unchanged", {f.name: len(f.rows) for f in files.values()})
        else:
            crosswalk = _set_crosswalk_aside(connection)
            if live is not None:
                loads.retire(connection, live.id, NOC_TABLES[1:])
                for level in range(5, 0, -1):  # children before parents: MariaDB checks row by row
                    connection.execute(delete(n.NocGroup).where(n.NocGroup.level == level))
            report = _load(connection, loads.start_run(connection, SOURCE, RELEASE, str(folder)), files)
            _restore_crosswalk(connection, crosswalk)
    report.seconds = time.perf_counter() - started
    return report


def _load(connection: Connection, run_id: int, files: dict[str, CsvFile]) -> NocLoadReport:
    run = LoadRunFiles(connection, run_id, NocLoadReport("loaded"))
    unit_groups = load_structure(run, files["structure"])
    profiles = OasisLoader(run, unit_groups)
    profiles.load(files)
    for key, csv_file in files.items():
        if key.startswith("cops:"):
            load_projections(run, key.split(":", 1)[1], csv_file)
    # OaSIS levels are authoritative values: through the precedence write path.
    source = Source(SourceKind.AUTHORITATIVE, OASIS_FILE, ACTOR, load_run_id=run_id, release=RELEASE)
    run.report.values = apply_release(connection, source, profiles.values)
    loads.finish_run(connection, run_id)
    return run.report


def _set_crosswalk_aside(connection: Connection) -> list[dict]:
    """The crosswalk refers to unit groups, so it is lifted out while the structure is replaced."""
    rows = [dict(row._mapping) for row in connection.execute(select(n.NocSocMapping))]
    connection.execute(delete(n.NocSocMapping))
    return rows


def _restore_crosswalk(connection: Connection, rows: list[dict]) -> None:
    if not rows:
        return
    units = set(connection.execute(select(n.NocGroup.code).where(n.NocGroup.level == 5)).scalars())
    lost = sorted({row["noc_code"] for row in rows} - units)
    if lost:
        raise SourceFileError(
            STRUCTURE_FILE,
            f"lacks unit groups the loaded crosswalk maps: {', '.join(lost[:10])}; "
            "load a matching crosswalk after it, or keep the structure",
        )
    connection.execute(insert(n.NocSocMapping), rows)


def _read_all(folder: Path) -> dict[str, CsvFile]:
    if not folder.is_dir():
        raise SourceFileError(str(folder), "is not a folder (expected the NOC data folder)")
    files = {"structure": read_csv(folder / STRUCTURE_FILE, STRUCTURE_HEADER)}
    published = folder / "oasis_2023"
    files["guide"] = read_csv(published / oasis.GUIDE_FILE, oasis.GUIDE_HEADER)
    files["labels"] = read_csv(published / oasis.LABELS_FILE, oasis.LABELS_HEADER)
    files["interests"] = read_csv(published / oasis.INTERESTS_FILE, oasis.INTERESTS_HEADER)
    for category, name in oasis.RATING_FILES.items():
        files[category] = read_csv(published / name)
    for kind, (name, *_columns) in oasis.STATEMENT_FILES.items():
        files[kind] = read_csv(published / name)
    cops = sorted((folder / "cops_2024_2033").glob("*.csv"))
    if not cops:
        raise SourceFileError(str(folder / "cops_2024_2033"), "holds no COPS projection files")
    for path in cops:
        files[f"cops:{path.stem}"] = read_csv(path)
    return files
