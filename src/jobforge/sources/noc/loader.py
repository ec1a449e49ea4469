"""Loading the NOC 2021 structure, the OaSIS 2023 profiles and the COPS 2024–2033 projections.

One call loads a folder laid out like `../shared/data/noc` in one transaction: every file is
checked (header, codes zero-padded and of the right length, parents and unit groups that exist,
numbers), the previous NOC load is replaced, and loading the same files again changes nothing.
These are official Canadian sources, so every row is `authoritative` with confidence 1.0.
"""

from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, delete, exists, insert, select

from jobforge.entities import OASIS
from jobforge.errors import MalformedRowError, SourceFileError
from jobforge.provenance import loads
from jobforge.provenance.attributes import AttributeKey
from jobforge.provenance.sources import SourceKind
from jobforge.provenance.value_tables import ValueSource
from jobforge.provenance.write import Assertion, Source, WriteReport, apply_release
from jobforge.sources.noc import tables as n
from jobforge.sources.noc.csv_files import CsvFile, read_csv
from jobforge.store.bulk import prepare_batch, write_batch

SOURCE = "noc"
ACTOR = "jobforge noc load"
OASIS_FILE = "OaSIS release file"
RELEASE = "NOC 2021 v1.0"  # with OaSIS 2023 v1.0 and COPS 2024-2033
STRUCTURE_FILE = "noc_2021_version_1.0_-_classification_structure.csv"
STRUCTURE_HEADER = ["Level", "Hierarchical structure", "Code - NOC 2021 V1.0", "Class title", "Class definition"]
LEVEL_NAMES = {1: "Broad Category", 2: "Major Group", 3: "Sub-major Group", 4: "Minor Group", 5: "Unit Group"}
OASIS_RATING_FILES = {
    "abilities": "abilities_oasis_2023_v1.0.csv",
    "knowledges": "knowledges_oasis_2023_v1.0.csv",
    "personal_attributes": "personal-attributes_oasis_2023_v1.0.csv",
    "skills": "skills_oasis_2023_v1.0.csv",
    "work_activities": "workactivities_oasis_2023_v1.0.csv",
    "work_context": "workcontext_oasis_2023_v1.0.csv",
}
OASIS_STATEMENT_FILES = {  # kind: (file, text column, related-code column, title-type column)
    "lead_statement": ("lead-statement_oasis_2023_v1.0.csv", 1, None, None),
    "main_duty": ("main-duties_oasis-2023_v1.0.csv", 1, None, None),
    "employment_requirement": ("employment-requirements_oasis_2023_v1.0.csv", 1, None, None),
    "additional_information": ("additional-information_oasis_2023_v1.0.csv", 1, None, None),
    "workplace_employer": ("workplaces-employers_oasis_2023_v1.0.csv", 1, None, None),
    "exclusion": ("exclusions_oasis_2023_v1.0.csv", 2, 1, None),
    "example_title": ("example-titles_oasis_2023_v1.0.csv", 3, 1, 2),
}
NOC_TABLES = [
    n.NocGroup,
    n.OasisGuideEntry,
    n.OasisProfile,
    n.OasisRating,
    n.OasisInterest,
    n.OasisStatement,
    n.CopsProjection,
]
_PROFILE_CODE = re.compile(r"\d{5}\.\d{2}")
_MANGLED_PROFILE_CODE = re.compile(r"(\d{1,5})(?:\.(\d{1,2}))?")
_MISSING_MARKERS = {"N/A", "N/D"}
_COPS_CODE = re.compile(r"\d{5}|TEER_\d|NOC1_\d")  # 00000 is all occupations


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


def load_noc(engine: Engine, folder: Path) -> NocLoadReport:
    """Load the folder (structure CSV, `oasis_2023/`, `cops_2024_2033/`); all or nothing."""
    started = time.perf_counter()
    files = _read_all(Path(folder))
    checksums = {f.name: f.sha256 for f in files.values()}
    with engine.begin() as connection:
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
            report = _Loader(connection, loads.start_run(connection, SOURCE, RELEASE, str(folder))).load(files)
            _restore_crosswalk(connection, crosswalk)
    report.seconds = time.perf_counter() - started
    return report


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
    oasis = folder / "oasis_2023"
    files["guide"] = read_csv(
        oasis / "guide_oasis_2023_v1.0.csv", ["Code", "Name", "Structure type", "Category", "Description"]
    )
    files["labels"] = read_csv(oasis / "labels_oasis_2023_v1.0.csv", ["OaSIS profile code", "Label"])
    files["interests"] = read_csv(
        oasis / "interests_oasis_2023_v1.0.csv",
        ["OaSIS Code", "OaSIS Label", "Holland Codes - 1", "Holland Codes - 2", "Holland Codes - 3"],
    )
    for category, name in OASIS_RATING_FILES.items():
        files[category] = read_csv(oasis / name)
    for kind, (name, *_columns) in OASIS_STATEMENT_FILES.items():
        files[kind] = read_csv(oasis / name)
    cops = sorted((folder / "cops_2024_2033").glob("*.csv"))
    if not cops:
        raise SourceFileError(str(folder / "cops_2024_2033"), "holds no COPS projection files")
    for path in cops:
        files[f"cops:{path.stem}"] = read_csv(path)
    return files


class _Loader:
    def __init__(self, connection: Connection, run_id: int) -> None:
        self.connection = connection
        self.run_id = run_id
        self.report = NocLoadReport("loaded")
        self.unit_groups: set[str] = set()
        self.unit_group_titles: dict[str, str] = {}
        self.profiles: set[str] = set()
        self.late_profiles: list[tuple[str, str, CsvFile, int]] = []
        self.restored: dict[str, int] = {}
        self.values: dict[str, list[Assertion]] = {}

    def load(self, files: dict[str, CsvFile]) -> NocLoadReport:
        self._structure(files["structure"])
        self._guide(files["guide"])
        self._profiles(files["labels"])
        self._interests(files["interests"])
        for category in OASIS_RATING_FILES:
            self._ratings(category, files[category])
        for kind, (_name, text_at, related_at, type_at) in OASIS_STATEMENT_FILES.items():
            self._statements(kind, files[kind], text_at, related_at, type_at)
        for key, csv_file in files.items():
            if key.startswith("cops:"):
                self._cops(key.split(":", 1)[1], csv_file)
        for name, count in self.restored.items():
            self.report.warnings.append(f"{name}: {count} profile codes had lost their zeros and were restored")
        # OaSIS levels are authoritative values: through the precedence write path.
        self.report.values = apply_release(
            self.connection,
            Source(SourceKind.AUTHORITATIVE, OASIS_FILE, ACTOR, load_run_id=self.run_id, release=RELEASE),
            self.values,
        )
        loads.finish_run(self.connection, self.run_id)
        return self.report

    def _store(self, csv_file: CsvFile, table: type, columns: dict[str, list]) -> None:
        self._store_late_profiles()
        started = time.perf_counter()
        file_id = loads.record_file(self.connection, self.run_id, csv_file.name, csv_file.sha256, len(csv_file.rows))
        count = len(next(iter(columns.values()))) if columns else 0
        columns["confidence"] = [1.0] * count
        constants = {"source_kind": SourceKind.AUTHORITATIVE.value, "load_file_id": file_id}
        stored = (
            write_batch(
                self.connection, prepare_batch(self.connection.dialect.name, table.__table__, columns, constants)
            )
            if count
            else 0
        )
        loads.update_file(self.connection, file_id, len(csv_file.rows), stored, time.perf_counter() - started)
        self.report.files[csv_file.name] = self.report.files.get(csv_file.name, 0) + stored

    def _store_late_profiles(self) -> None:
        """Profiles first met in a descriptor file are stored before the rows that refer to them."""
        late, self.late_profiles = self.late_profiles, []
        for code, label, csv_file, line in late:
            file_id = loads.record_file(self.connection, self.run_id, csv_file.name, csv_file.sha256)
            self.connection.execute(
                insert(n.OasisProfile).values(
                    profile_code=code,
                    unit_group=code[:5],
                    label=label,
                    confidence=1.0,
                    source_kind=SourceKind.AUTHORITATIVE.value,
                    load_file_id=file_id,
                )
            )
            self.report.warnings.append(
                f"{csv_file.name}, line {line}: OaSIS profile {code} is not in the labels file; added with label '{label}'"
            )

    def _structure(self, csv_file: CsvFile) -> None:
        columns: dict[str, list] = {
            k: [] for k in ("code", "level", "level_name", "title", "definition", "parent_code")
        }
        seen: set[str] = set()
        for line, (level_text, level_name, code, title, definition) in csv_file.rows:
            where = (csv_file.name, line)
            level = _whole_number(level_text, *where, "Level")
            if LEVEL_NAMES.get(level) != level_name.strip():
                raise MalformedRowError(
                    *where,
                    "Hierarchical structure",
                    f"'{level_name}' does not match level {level} ({LEVEL_NAMES.get(level)})",
                )
            code = code.strip()
            if not (code.isdigit() and len(code) == level):
                raise MalformedRowError(
                    *where,
                    "Code - NOC 2021 V1.0",
                    f"'{code}' is not a level-{level} NOC code ({level} digits, leading zeros kept)",
                )
            parent = code[:-1] or None
            if parent is not None and parent not in seen:
                raise MalformedRowError(
                    *where, "Code - NOC 2021 V1.0", f"parent group '{parent}' of '{code}' is not defined above it"
                )
            if code in seen:
                raise MalformedRowError(*where, "Code - NOC 2021 V1.0", f"code '{code}' appears twice")
            if not title.strip():
                raise MalformedRowError(*where, "Class title", "a title is required")
            seen.add(code)
            if level == 5:
                self.unit_groups.add(code)
                self.unit_group_titles[code] = title.strip()
            for key, value in zip(
                columns, (code, level, level_name.strip(), title.strip(), definition.strip() or None, parent)
            ):
                columns[key].append(value)
        self._store(csv_file, n.NocGroup, columns)

    def _guide(self, csv_file: CsvFile) -> None:
        columns: dict[str, list] = {k: [] for k in ("code", "name", "structure_type", "category", "description")}
        for _line, fields in csv_file.rows:
            for key, value in zip(columns, fields):
                columns[key].append(value.strip() or None if key == "description" else value.strip())
        self._store(csv_file, n.OasisGuideEntry, columns)

    def _profile_code(self, csv_file: CsvFile, line: int, column: str, text: str) -> str:
        """The profile code, its zeros restored where a spreadsheet dropped them (`10010` and
        `31100.1` in the published files stand for 10010.00 and 31100.10)."""
        code = text.strip()
        if not _PROFILE_CODE.fullmatch(code):
            mangled = _MANGLED_PROFILE_CODE.fullmatch(code)
            if not mangled:
                raise MalformedRowError(
                    csv_file.name, line, column, f"'{code}' is not an OaSIS profile code (NNNNN.NN)"
                )
            code = f"{mangled.group(1).zfill(5)}.{(mangled.group(2) or '').ljust(2, '0')}"
            self.restored[csv_file.name] = self.restored.get(csv_file.name, 0) + 1
        if code[:5] not in self.unit_groups:
            raise MalformedRowError(
                csv_file.name, line, column, f"'{code}' belongs to no NOC 2021 unit group ('{code[:5]}' unknown)"
            )
        return code

    def _known_profile(self, csv_file: CsvFile, line: int, column: str, text: str, label: str | None = None) -> str:
        """A profile code of a descriptor file; one the labels file lacks is added (its unit group
        exists) and reported, so that no published value is dropped."""
        code = self._profile_code(csv_file, line, column, text)
        if code not in self.profiles:
            self.profiles.add(code)
            self.late_profiles.append((code, (label or "").strip() or self.unit_group_titles[code[:5]], csv_file, line))
        return code

    def _profiles(self, csv_file: CsvFile) -> None:
        columns: dict[str, list] = {"profile_code": [], "unit_group": [], "label": []}
        for line, (code, label) in csv_file.rows:
            code = self._profile_code(csv_file, line, "OaSIS profile code", code)
            if code in self.profiles:
                raise MalformedRowError(csv_file.name, line, "OaSIS profile code", f"profile '{code}' appears twice")
            self.profiles.add(code)
            columns["profile_code"].append(code)
            columns["unit_group"].append(code[:5])
            columns["label"].append(label.strip())
        self._store(csv_file, n.OasisProfile, columns)

    def _interests(self, csv_file: CsvFile) -> None:
        columns: dict[str, list] = {"profile_code": [], "rank": [], "holland_code": []}
        for line, (code, label, *letters) in csv_file.rows:
            code = self._known_profile(csv_file, line, "OaSIS Code", code, label)
            for rank, letter in enumerate(letters, start=1):
                letter = letter.strip().upper()  # the published file mixes cases (`i`)
                if not letter:
                    continue
                if letter not in "RIASEC" or len(letter) != 1:
                    raise MalformedRowError(
                        csv_file.name, line, f"Holland Codes - {rank}", f"'{letter}' is not one of R I A S E C"
                    )
                for key, value in zip(columns, (code, rank, letter)):
                    columns[key].append(value)
        self._store(csv_file, n.OasisInterest, columns)

    def _ratings(self, category: str, csv_file: CsvFile) -> None:
        descriptors = [" ".join(h.split()) for h in csv_file.header[2:]]
        columns: dict[str, list] = {"profile_code": [], "category": [], "descriptor": [], "value": []}
        values = self.values.setdefault(csv_file.name, [])
        for line, fields in csv_file.rows:
            code = self._known_profile(csv_file, line, csv_file.header[0], fields[0], fields[1])
            for descriptor, cell in zip(descriptors, fields[2:]):
                value = _whole_number(cell, csv_file.name, line, descriptor)
                for key, item in zip(columns, (code, category, descriptor, float(value))):
                    columns[key].append(item)
                values.append(
                    Assertion(
                        OASIS.entity(code), AttributeKey.descriptor(category, descriptor), float(value), 1.0, line
                    )
                )
        self._store(csv_file, n.OasisRating, columns)

    def _statements(
        self, kind: str, csv_file: CsvFile, text_at: int, related_at: int | None, type_at: int | None
    ) -> None:
        columns: dict[str, list] = {
            k: [] for k in ("profile_code", "kind", "position", "text", "related_code", "title_type")
        }
        positions: dict[str, int] = {}
        for line, fields in csv_file.rows:
            code = self._known_profile(csv_file, line, csv_file.header[0], fields[0])
            text = " ".join(fields[text_at].split()) or None
            related = fields[related_at].strip() or None if related_at is not None else None
            if text is None and related is None:  # an exclusion may name only the excluded code
                raise MalformedRowError(csv_file.name, line, csv_file.header[text_at], "a value is required")
            positions[code] = positions.get(code, 0) + 1
            title_type = fields[type_at].strip() or None if type_at is not None else None
            for key, value in zip(columns, (code, kind, positions[code], text, related, title_type)):
                columns[key].append(value)
        self._store(csv_file, n.OasisStatement, columns)

    def _cops(self, measure: str, csv_file: CsvFile) -> None:
        columns: dict[str, list] = {k: [] for k in ("code", "measure", "field", "value", "text_value", "marker")}
        header = [h.strip() for h in csv_file.header]
        if header[0] != "Code":
            raise MalformedRowError(csv_file.name, 1, header[0], "the first column should be 'Code'")
        textual = {i for i, name in enumerate(header) if i in (1, 2) or "conditions" in name.lower()}
        for line, fields in csv_file.rows:
            code = fields[0].strip()
            if not _COPS_CODE.fullmatch(code):
                raise MalformedRowError(
                    csv_file.name, line, "Code", f"'{code}' is neither a 5-digit NOC code nor a total (TEER_n, NOC1_n)"
                )
            for position in range(1, len(header)):
                cell = fields[position].strip()
                value, text, marker = None, None, None
                if cell in _MISSING_MARKERS:
                    marker = cell
                elif position in textual:
                    text = cell
                else:
                    value = _number(cell, csv_file.name, line, header[position])
                for key, item in zip(columns, (code, measure, header[position], value, text, marker)):
                    columns[key].append(item)
        self._store(csv_file, n.CopsProjection, columns)


def _whole_number(text: str, file: str, line: int, column: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise MalformedRowError(file, line, column, f"'{text}' is not a whole number") from None


def _number(text: str, file: str, line: int, column: str) -> float:
    """A COPS figure: thousands separators allowed (`8,238,800`)."""
    try:
        return float(text.replace(",", ""))
    except ValueError:
        raise MalformedRowError(file, line, column, f"'{text}' is not a number, N/A or N/D") from None
