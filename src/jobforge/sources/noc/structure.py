"""The NOC 2021 classification structure: five levels, each code its parent's code plus a digit."""

from __future__ import annotations

from dataclasses import dataclass, field

from jobforge.errors import MalformedRowError
from jobforge.sources.noc import tables as n
from jobforge.sources.noc.csv_files import CsvFile, whole_number
from jobforge.sources.noc.store_files import LoadRunFiles

STRUCTURE_FILE = "noc_2021_version_1.0_-_classification_structure.csv"
STRUCTURE_HEADER = ["Level", "Hierarchical structure", "Code - NOC 2021 V1.0", "Class title", "Class definition"]
LEVEL_NAMES = {1: "Broad Category", 2: "Major Group", 3: "Sub-major Group", 4: "Minor Group", 5: "Unit Group"}
CODE_COLUMN = "Code - NOC 2021 V1.0"


@dataclass
class UnitGroups:
    """What the publications loaded after the structure check their codes against."""

    titles: dict[str, str] = field(default_factory=dict)  # unit group → its title

    def __contains__(self, code: object) -> bool:
        return code in self.titles


def load_structure(run: LoadRunFiles, csv_file: CsvFile) -> UnitGroups:
    """Check and store every group; parents must come before their children."""
    columns: dict[str, list] = {k: [] for k in ("code", "level", "level_name", "title", "definition", "parent_code")}
    units = UnitGroups()
    seen: set[str] = set()
    for line, (level_text, level_name, code, title, definition) in csv_file.rows:
        where = (csv_file.name, line)
        level = whole_number(level_text, *where, "Level")
        if LEVEL_NAMES.get(level) != level_name.strip():
            raise MalformedRowError(
                *where,
                "Hierarchical structure",
                f"'{level_name}' does not match level {level} ({LEVEL_NAMES.get(level)})",
            )
        code = code.strip()
        if not (code.isdigit() and len(code) == level):
            raise MalformedRowError(
                *where, CODE_COLUMN, f"'{code}' is not a level-{level} NOC code ({level} digits, leading zeros kept)"
            )
        parent = code[:-1] or None
        if parent is not None and parent not in seen:
            raise MalformedRowError(*where, CODE_COLUMN, f"parent group '{parent}' of '{code}' is not defined above it")
        if code in seen:
            raise MalformedRowError(*where, CODE_COLUMN, f"code '{code}' appears twice")
        if not title.strip():
            raise MalformedRowError(*where, "Class title", "a title is required")
        seen.add(code)
        if level == 5:
            units.titles[code] = title.strip()
        row = (code, level, level_name.strip(), title.strip(), definition.strip() or None, parent)
        for key, value in zip(columns, row):
            columns[key].append(value)
    run.store(csv_file, n.NocGroup, columns)
    return units
