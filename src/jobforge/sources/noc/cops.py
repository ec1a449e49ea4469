"""COPS 2024–2033 projections: one file per measure, a row per NOC code or total, as published."""

from __future__ import annotations

import re

from jobforge.errors import MalformedRowError
from jobforge.sources.noc import tables as n
from jobforge.sources.noc.csv_files import CsvFile, number
from jobforge.sources.noc.store_files import LoadRunFiles

MISSING_MARKERS = {"N/A", "N/D"}  # kept as markers with no value
_COPS_CODE = re.compile(r"\d{5}|TEER_\d|NOC1_\d")  # 00000 is all occupations


def load_projections(run: LoadRunFiles, measure: str, csv_file: CsvFile) -> None:
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
            if cell in MISSING_MARKERS:
                marker = cell
            elif position in textual:
                text = cell
            else:
                value = number(cell, csv_file.name, line, header[position])
            for key, item in zip(columns, (code, measure, header[position], value, text, marker)):
                columns[key].append(item)
    run.store(csv_file, n.CopsProjection, columns)
