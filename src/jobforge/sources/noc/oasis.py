"""OaSIS 2023: the guide, profiles (labels), interests, the rating files and the statement files.

Every profile belongs to a NOC unit group of the structure loaded before. The published files
were touched by spreadsheets: profile codes that lost their zeros are restored and counted, and a
profile that a descriptor file has but the labels file lacks is added and reported, so no
published value is dropped. Rating levels are also values of the `oasis:<profile>` entity for the
precedence write path (authoritative).
"""

from __future__ import annotations

import re

from sqlalchemy import insert

from jobforge.entities import OASIS
from jobforge.errors import MalformedRowError
from jobforge.provenance.attributes import AttributeKey
from jobforge.provenance.sources import SourceKind
from jobforge.provenance.statements import Assertion
from jobforge.sources.noc import tables as n
from jobforge.sources.noc.csv_files import CsvFile, whole_number
from jobforge.sources.noc.store_files import LoadRunFiles
from jobforge.sources.noc.structure import UnitGroups

GUIDE_FILE, GUIDE_HEADER = "guide_oasis_2023_v1.0.csv", ["Code", "Name", "Structure type", "Category", "Description"]
LABELS_FILE, LABELS_HEADER = "labels_oasis_2023_v1.0.csv", ["OaSIS profile code", "Label"]
INTERESTS_FILE = "interests_oasis_2023_v1.0.csv"
INTERESTS_HEADER = ["OaSIS Code", "OaSIS Label", "Holland Codes - 1", "Holland Codes - 2", "Holland Codes - 3"]
RATING_FILES = {
    "abilities": "abilities_oasis_2023_v1.0.csv",
    "knowledges": "knowledges_oasis_2023_v1.0.csv",
    "personal_attributes": "personal-attributes_oasis_2023_v1.0.csv",
    "skills": "skills_oasis_2023_v1.0.csv",
    "work_activities": "workactivities_oasis_2023_v1.0.csv",
    "work_context": "workcontext_oasis_2023_v1.0.csv",
}
STATEMENT_FILES = {  # kind: (file, text column, related-code column, title-type column)
    "lead_statement": ("lead-statement_oasis_2023_v1.0.csv", 1, None, None),
    "main_duty": ("main-duties_oasis-2023_v1.0.csv", 1, None, None),
    "employment_requirement": ("employment-requirements_oasis_2023_v1.0.csv", 1, None, None),
    "additional_information": ("additional-information_oasis_2023_v1.0.csv", 1, None, None),
    "workplace_employer": ("workplaces-employers_oasis_2023_v1.0.csv", 1, None, None),
    "exclusion": ("exclusions_oasis_2023_v1.0.csv", 2, 1, None),
    "example_title": ("example-titles_oasis_2023_v1.0.csv", 3, 1, 2),
}
_PROFILE_CODE = re.compile(r"\d{5}\.\d{2}")
_MANGLED_PROFILE_CODE = re.compile(r"(\d{1,5})(?:\.(\d{1,2}))?")


class OasisLoader:
    """Loads the OaSIS files of one run in order; collects the rating levels as assertions."""

    def __init__(self, run: LoadRunFiles, unit_groups: UnitGroups) -> None:
        self.run = run
        self.unit_groups = unit_groups
        self.profiles: set[str] = set()
        self.late_profiles: list[tuple[str, str, CsvFile, int]] = []
        self.restored: dict[str, int] = {}
        self.values: dict[str, list[Assertion]] = {}  # per file, for the write path

    def load(self, files: dict[str, CsvFile]) -> None:
        self._guide(files["guide"])
        self._profiles(files["labels"])
        self._interests(files["interests"])
        for category in RATING_FILES:
            self._ratings(category, files[category])
        for kind, (_name, text_at, related_at, type_at) in STATEMENT_FILES.items():
            self._statements(kind, files[kind], text_at, related_at, type_at)
        for name, count in self.restored.items():
            self.run.report.warnings.append(f"{name}: {count} profile codes had lost their zeros and were restored")

    def _store(self, csv_file: CsvFile, table: type, columns: dict[str, list]) -> None:
        self._store_late_profiles()
        self.run.store(csv_file, table, columns)

    def _store_late_profiles(self) -> None:
        """Profiles first met in a descriptor file are stored before the rows that refer to them."""
        late, self.late_profiles = self.late_profiles, []
        for code, label, csv_file, line in late:
            self.run.connection.execute(
                insert(n.OasisProfile).values(
                    profile_code=code,
                    unit_group=code[:5],
                    label=label,
                    confidence=1.0,
                    source_kind=SourceKind.AUTHORITATIVE.value,
                    load_file_id=self.run.record(csv_file),
                )
            )
            self.run.report.warnings.append(
                f"{csv_file.name}, line {line}: OaSIS profile {code} is not in the labels file; added with label '{label}'"
            )

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
            fallback = self.unit_groups.titles[code[:5]]
            self.late_profiles.append((code, (label or "").strip() or fallback, csv_file, line))
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
                value = float(whole_number(cell, csv_file.name, line, descriptor))
                for key, item in zip(columns, (code, category, descriptor, value)):
                    columns[key].append(item)
                attribute = AttributeKey.descriptor(category, descriptor)
                values.append(Assertion(OASIS.entity(code), attribute, value, 1.0, line))
        self._store(csv_file, n.OasisRating, columns)

    def _statements(
        self, kind: str, csv_file: CsvFile, text_at: int, related_at: int | None, type_at: int | None
    ) -> None:
        names = ("profile_code", "kind", "position", "text", "related_code", "title_type")
        columns: dict[str, list] = {name: [] for name in names}
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
