"""Benchmark: GET /crosswalk/noc/{code} latency on SQLite with the full data.

Loads the full O*NET 29.3 release, the NOC/OaSIS/COPS folder and the crosswalk into a fresh
SQLite file, starts `jobforge serve`, and requests every one of the 516 unit groups in random
order from a separate process: first one connection at a time (the latency a user sees), then 8
at once. Prints p50/p99 and requests/s, with /health alongside for scale.

    python bench/crosswalk_api.py [--seconds 8]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(ROOT / "src"))

from api_load import measure  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8)
    args = parser.parse_args()

    from sqlalchemy import select

    from jobforge.api.server_process import running_server
    from jobforge.knowledge_base import KnowledgeBase
    from jobforge.sources.noc import tables as n

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'crosswalk.db'}"
        kb = KnowledgeBase(url)
        kb.upgrade()
        kb.onet.load(SHARED / "onet" / "29.3")
        kb.canada.load_noc(SHARED / "noc")
        report = kb.canada.load_crosswalk(SHARED / "crosswalk" / "noc2021_onet26.csv")
        with kb.engine.connect() as connection:
            units = sorted(connection.execute(select(n.NocGroup.code).where(n.NocGroup.level == 5)).scalars())
        kb.engine.dispose()
        paths = [f"/crosswalk/noc/{code}" for code in units]
        random.Random(3).shuffle(paths)
        print(
            f"crosswalk: {report.coverage.mappings} rows, {report.coverage.unit_groups_mapped} of "
            f"{report.coverage.unit_groups} unit groups mapped; SQLite, full data"
        )
        print(f"{'endpoint':<22}{'conns':>6}{'requests':>10}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
        with running_server(url) as (base, _process, _start):
            for concurrency in (1, 8):
                for name, endpoint_paths in (("/health", ["/health"]), ("/crosswalk/noc/{code}", paths)):
                    figures = measure(base, endpoint_paths, concurrency, args.seconds)
                    print(
                        f"{name:<22}{concurrency:>6}{figures['requests']:>10}{figures['errors']:>8}"
                        f"{figures['rps']:>9.0f}{figures['p50_ms']:>9.2f}{figures['p99_ms']:>9.2f}"
                    )


if __name__ == "__main__":
    main()
