"""Build the O*NET release shipped in the package (src/jobforge/data/db_29_3_text.zip).

Every text file of the release folder, whole and in the official layout with its Read Me.txt,
so the bundled copy loads exactly like a downloaded release and the quick start serves every
occupation.

    python tools/make_onet_bundle.py ../shared/data/onet/29.3 src/jobforge/data/db_29_3_text.zip
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path


def main(release: Path, target: Path) -> None:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in sorted(release.glob("*.txt")):
            archive.write(path, f"db_29_3_text/{path.name}")
    print(f"{target} is {target.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
