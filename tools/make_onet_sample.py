"""Build the compact real O*NET subset shipped in the package (src/jobforge/data).

Keeps every reference file whole and, of the occupation-level files, the rows of the chosen
occupations (whole SOC major groups, so related occupations mostly stay inside the sample);
rows that would point outside the sample (a related occupation, an illustrative occupation)
are dropped. The files keep the official text layout and the release's Read Me.txt, so the
sample loads exactly like a full release.

    python tools/make_onet_sample.py ../shared/data/onet/29.3 src/jobforge/data/db_29_3_text_sample.zip
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

MAJOR_GROUPS = ("11-", "15-", "29-")
SOC_COLUMNS = ("O*NET-SOC Code", "Related O*NET-SOC Code")


def main(release: Path, target: Path) -> None:
    occupations = {
        line.split("\t", 1)[0]
        for line in (release / "Occupation Data.txt").read_text(encoding="utf-8").split("\n")[1:]
        if line.startswith(MAJOR_GROUPS)
    }
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(release.glob("*.txt")):
            lines = path.read_text(encoding="utf-8").split("\n")
            header = lines[0].split("\t")
            positions = [header.index(name) for name in SOC_COLUMNS if name in header]
            kept = [line for line in lines[1:] if all(line.split("\t")[p] in occupations for p in positions)]
            archive.writestr(f"db_29_3_text_sample/{path.name}", "\n".join([lines[0], *kept]))
            print(f"{path.name}: {len(kept):,} of {len(lines) - 1:,} rows")
    print(f"{len(occupations)} occupations; {target} is {target.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
