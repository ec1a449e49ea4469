"""Benchmark: the full O*NET 29.3 load into SQLite, PostgreSQL and MariaDB against a naive reference.

The reference is what a quick script would do: csv.reader + executemany into one all-TEXT SQLite
table per file, no types, no keys, no checks. JobForge's load parses, validates (types, lengths,
references, duplicate keys), computes confidence and writes provenance columns, into typed,
keyed and indexed tables. Each measurement runs in a fresh process (for an honest peak RSS) on
a fresh database; figures are medians over --repeat runs.

    python bench/load_onet.py [--repeat 3] [--backends sqlite,postgresql,mariadb] [--data DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "onet" / "29.3"
SERVERS = {
    "postgresql": os.environ.get("JOBFORGE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
    "mariadb": os.environ.get("JOBFORGE_TEST_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306/test"),
}


def naive_reference(data: Path) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        connection = sqlite3.connect(Path(folder) / "naive.db")
        started = time.perf_counter()
        rows_total = 0
        for number, path in enumerate(sorted(data.glob("*.txt"))):
            if path.name == "Read Me.txt":
                continue
            with path.open(encoding="utf-8", newline="") as handle:
                reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
                header = next(reader)
                rows = list(reader)
            columns = ", ".join(f"c{i} TEXT" for i in range(len(header)))
            connection.execute(f"CREATE TABLE t{number} ({columns})")
            connection.executemany(f"INSERT INTO t{number} VALUES ({', '.join('?' * len(header))})", rows)
            rows_total += len(rows)
        connection.commit()
        seconds = time.perf_counter() - started
        connection.close()
    return {"seconds": seconds, "rows": rows_total}


def jobforge_load(backend: str, data: Path) -> dict:
    sys.path.insert(0, str(ROOT / "src"))
    from jobforge.knowledge_base import KnowledgeBase
    from jobforge.store.databases import create_database, drop_database, scratch_database_url

    with tempfile.TemporaryDirectory() as folder:
        url = scratch_database_url(SERVERS.get(backend), Path(folder), "jf_bench")
        create_database(url)
        try:
            kb = KnowledgeBase(url)
            kb.upgrade()
            started = time.perf_counter()
            report = kb.onet.load(data)
            first = time.perf_counter() - started
            started = time.perf_counter()
            again = kb.onet.load(data)
            second = time.perf_counter() - started
            assert again.status == "unchanged", again.status
            kb.engine.dispose()
        finally:
            drop_database(url)
    return {"seconds": first, "reload_seconds": second, "rows": report.rows_stored}


def child(kind: str, data: Path) -> None:
    result = naive_reference(data) if kind == "naive" else jobforge_load(kind, data)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


def measure(kind: str, data: Path) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--data", str(data)], check=True, capture_output=True, text=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def plot(medians: dict[str, float], reference: float, path: Path, rows: int) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    targets = {"sqlite": 2, "postgresql": 3, "mariadb": 4}
    figure, axis = plt.subplots(figsize=(7, 3.6))
    names = list(medians)
    bars = axis.bar(names, [medians[n] for n in names], color=["#999999"] + ["#1f77b4"] * (len(names) - 1))
    for bar, name in zip(bars, names):
        axis.annotate(
            f"{medians[name]:.2f} s\n{medians[name] / reference:.2f}x",
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            va="bottom",
            fontsize=8,
        )
        if name in targets:
            axis.hlines(
                targets[name] * reference,
                bar.get_x(),
                bar.get_x() + bar.get_width(),
                colors="red",
                linestyles="dashed",
                label="target" if name == "sqlite" else None,
            )
    axis.set_ylabel("seconds (median)")
    axis.set_title(f"Full O*NET 29.3 load ({rows:,} rows) vs naive all-TEXT reference")
    axis.legend(loc="upper left", fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    print(f"plot written to {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--backends", default="sqlite,postgresql,mariadb")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--plot", type=Path, help="also draw the figures into this PNG (needs the bench extra)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.data)
        return
    kinds = ["naive", *args.backends.split(",")]
    runs: dict[str, list[dict]] = {kind: [] for kind in kinds}
    for round_number in range(args.repeat):
        for kind in kinds:  # interleaved, so machine noise spreads over every kind alike
            runs[kind].append(measure(kind, args.data))
            print(f"round {round_number + 1}/{args.repeat} {kind}: {runs[kind][-1]['seconds']:.2f} s", file=sys.stderr)
    reference = statistics.median(run["seconds"] for run in runs["naive"])
    print(
        f"O*NET load benchmark: {args.data} ({runs['naive'][0]['rows']:,} data rows), "
        f"median of {args.repeat} runs, 2 cores"
    )
    print(f"{'backend':<12}{'seconds':>9}{'rows/s':>11}{'x naive':>9}{'reload s':>10}{'peak RSS MB':>13}")
    medians = {kind: statistics.median(run["seconds"] for run in runs[kind]) for kind in kinds}
    if args.plot:
        plot(medians, reference, args.plot, runs["naive"][0]["rows"])
    for kind in kinds:
        seconds = statistics.median(run["seconds"] for run in runs[kind])
        rows = runs[kind][0]["rows"]
        reload = statistics.median(run.get("reload_seconds", float("nan")) for run in runs[kind])
        rss = max(run["peak_rss_mb"] for run in runs[kind])
        ratio = seconds / reference
        reload_text = "-" if kind == "naive" else f"{reload:.3f}"
        print(f"{kind:<12}{seconds:>9.2f}{rows / seconds:>11,.0f}{ratio:>9.2f}{reload_text:>10}{rss:>13.0f}")


if __name__ == "__main__":
    main()
