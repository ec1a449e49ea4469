"""The real O*NET subset most tests load: the bundled 29.3 release cut to three SOC major groups.

Every reference file stays whole; of the occupation-level files only the rows of the 193
occupations of groups 11 (Management), 15 (Computer and Mathematical) and 29 (Healthcare
Practitioners and Technical) are kept, and rows pointing outside that set (a related or
illustrative occupation) are dropped. A fifth of the release loads in a fifth of the time, on
every backend, and still holds rated, unrated and related occupations.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

MAJOR_GROUPS = ("11-", "15-", "29-")
SOC_COLUMNS = ("O*NET-SOC Code", "Related O*NET-SOC Code")
MEMBER_FOLDER = "db_29_3_text_sample"


def write_subset(bundle: Path, target: Path) -> Path:
    with zipfile.ZipFile(bundle) as source:
        texts = {Path(m.filename).name: source.read(m).decode("utf-8") for m in source.infolist() if not m.is_dir()}
    occupations = {
        line.split("\t", 1)[0] for line in texts["Occupation Data.txt"].split("\n")[1:] if line.startswith(MAJOR_GROUPS)
    }
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in sorted(texts.items()):
            lines = text.split("\n")
            header = lines[0].split("\t")
            positions = [header.index(column) for column in SOC_COLUMNS if column in header]
            kept = [line for line in lines[1:] if all(line.split("\t")[p] in occupations for p in positions)]
            archive.writestr(f"{MEMBER_FOLDER}/{name}", "\n".join([lines[0], *kept]))
    return target
