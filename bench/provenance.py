"""Benchmark: the value write path over the full O*NET 29.3 release, and reads with provenance.

Loads (medians of --repeat, each on a fresh database):
  plain    the release tables alone, without the value store (the reference the target names)
  reload   the same again over the loaded tables (forced), still without the value store
  first    the release through the write path into an empty value store (every value new)
  reapply  the same release again, forced through the write path: every value unchanged
Target: reapply < 2 × plain.

Reads (SQLite, the full release loaded): for --reads random rated occupations, every served value
with its full provenance (reference, method, run; serialized as the API sends it), from the
library and over HTTP from `jobforge serve` with one keep-alive connection. Target: p50 < 5 ms.

    python bench/provenance.py [--repeat 3] [--backends sqlite,postgresql,mariadb] [--reads 500] [--plot PNG]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
DEFAULT_DATA = ROOT.parent / "shared" / "data" / "onet" / "29.3"
SERVERS = {
    "postgresql": os.environ.get("JOBFORGE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
    "mariadb": os.environ.get("JOBFORGE_TEST_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306/test"),
}


class FreshDatabase:
    def __init__(self, backend: str, folder: Path, name: str) -> None:
        from jobforge.store.databases import scratch_database_url

        self.url = scratch_database_url(SERVERS.get(backend), folder, name)

    def __enter__(self):
        from jobforge.knowledge_base import KnowledgeBase
        from jobforge.store.databases import create_database

        create_database(self.url)
        self.kb = KnowledgeBase(self.url)
        self.kb.upgrade()
        return self.kb

    def __exit__(self, *exc) -> None:
        from jobforge.store.databases import drop_database

        self.kb.engine.dispose()
        drop_database(self.url)


def loads(backend: str, data: Path, repeat: int) -> dict:
    from jobforge.sources.onet.loader import load_release

    plain, reload, first, reapply = [], [], [], []
    asserted = unchanged = 0
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as folder:
            with FreshDatabase(backend, Path(folder), "jf_bench_plain") as kb:
                started = time.perf_counter()
                load_release(kb.engine, data, apply_values=False)
                plain.append(time.perf_counter() - started)
                started = time.perf_counter()
                load_release(kb.engine, data, apply_values=False, force=True)
                reload.append(time.perf_counter() - started)
            with FreshDatabase(backend, Path(folder), "jf_bench_values") as kb:
                started = time.perf_counter()
                kb.onet.load(data)
                first.append(time.perf_counter() - started)
                started = time.perf_counter()
                report = kb.onet.load(data, force=True)
                reapply.append(time.perf_counter() - started)
                asserted, unchanged = report.values.asserted, report.values.unchanged
                assert unchanged == asserted, report.values
    p, rl, f, r = (statistics.median(x) for x in (plain, reload, first, reapply))
    return {
        "backend": backend,
        "plain_s": round(p, 2),
        "reload_s": round(rl, 2),
        "first_s": round(f, 2),
        "reapply_s": round(r, 2),
        "reapply_ratio": round(r / p, 2),
        "reapply_vs_reload": round(r / rl, 2),
        "first_ratio": round(f / p, 2),
        "values": asserted,
        "unchanged_on_reapply": unchanged,
        "runs": {"plain": plain, "reload": reload, "first": first, "reapply": reapply},
    }


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def reads(data: Path, count: int) -> dict:
    import httpx2

    with tempfile.TemporaryDirectory() as folder, FreshDatabase("sqlite", Path(folder), "jf_bench_reads") as kb:
        kb.onet.load(data)
        rated = [
            code
            for (code,) in kb.engine.connect().exec_driver_sql(
                "SELECT DISTINCT substr(entity, 6) FROM attribute_value WHERE attribute LIKE 'skills/%'"
            )
        ]
        codes = random.Random(7).choices(rated, k=count)
        sizes, library = [], []
        for code in codes:
            started = time.perf_counter()
            values = [value.to_json() for value in kb.values.served(code)]
            library.append((time.perf_counter() - started) * 1000)
            sizes.append(len(values))
        export = []
        for code in codes[:100]:
            started = time.perf_counter()
            kb.values.prov_json(code)
            export.append((time.perf_counter() - started) * 1000)
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "jobforge", "--db", kb.database_url, "serve", "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            _wait(base)
            http, health = [], []
            with httpx2.Client(base_url=base) as client:
                for code in codes[:50]:
                    client.get(f"/occupations/{code}/values")  # warm-up
                for code in codes:
                    started = time.perf_counter()
                    response = client.get(f"/occupations/{code}/values")
                    http.append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200 and response.json()[0]["reference"]
                    started = time.perf_counter()
                    client.get("/health")
                    health.append((time.perf_counter() - started) * 1000)
        finally:
            server.terminate()
            server.wait(10)
    return {
        "occupations": len(set(codes)),
        "values_per_read_median": statistics.median(sizes),
        "library_p50_ms": round(statistics.median(library), 2),
        "library_p99_ms": round(percentile(library, 0.99), 2),
        "http_p50_ms": round(statistics.median(http), 2),
        "http_p99_ms": round(percentile(http, 0.99), 2),
        "http_health_p50_ms": round(statistics.median(health), 2),
        "prov_json_p50_ms": round(statistics.median(export), 2),
    }


def plot(rows: list[dict], path: Path) -> None:
    """Grouped bars per backend: the four loads, with the 2x-plain target over `reapply`."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    kinds = [
        ("plain_s", "plain (tables only)", "#999999"),
        ("reload_s", "reload (tables only)", "#cccccc"),
        ("first_s", "first (tables + values)", "#1f77b4"),
        ("reapply_s", "reapply (unchanged)", "#ff7f0e"),
    ]
    figure, axis = plt.subplots(figsize=(7.5, 3.8))
    width = 0.2
    for offset, (key, label, colour) in enumerate(kinds):
        xs = [index + (offset - 1.5) * width for index in range(len(rows))]
        bars = axis.bar(xs, [row[key] for row in rows], width, label=label, color=colour)
        for bar, row in zip(bars, rows):
            axis.annotate(
                f"{row[key]:.1f}",
                (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                ha="center",
                va="bottom",
                fontsize=7,
            )
    for index, row in enumerate(rows):
        axis.hlines(
            2 * row["plain_s"],
            index + 0.5 * width,
            index + 2 * width,
            colors="red",
            linestyles="dashed",
            label="target: 2 × plain" if index == 0 else None,
        )
    axis.set_xticks(range(len(rows)), [row["backend"] for row in rows])
    axis.set_ylabel("seconds (median)")
    axis.set_title(f"O*NET 29.3 through the value write path ({rows[0]['values']:,} values)")
    axis.legend(fontsize=7, loc="upper left")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    print(f"plot written to {path}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(base: str) -> None:
    import httpx2

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx2.get(f"{base}/health").status_code == 200:
                return
        except httpx2.TransportError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--backends", default="sqlite")
    parser.add_argument("--reads", type=int, default=500)
    parser.add_argument("--plot", type=Path, help="also draw the load figures into this PNG (needs the bench extra)")
    args = parser.parse_args()
    results = {
        "loads": [loads(backend, args.data, args.repeat) for backend in args.backends.split(",")],
        "reads": reads(args.data, args.reads),
    }
    print(
        f"{'backend':12} {'plain s':>8} {'reload s':>8} {'first s':>8} {'reapply s':>9} {'reapply/plain':>13} "
        f"{'reapply/reload':>14} {'first/plain':>11} {'values':>8}"
    )
    for row in results["loads"]:
        print(
            f"{row['backend']:12} {row['plain_s']:8.2f} {row['reload_s']:8.2f} {row['first_s']:8.2f} "
            f"{row['reapply_s']:9.2f} {row['reapply_ratio']:13.2f} {row['reapply_vs_reload']:14.2f} "
            f"{row['first_ratio']:11.2f} {row['values']:8,}"
        )
    r = results["reads"]
    print(
        f"read with provenance ({r['values_per_read_median']:.0f} values): library p50 {r['library_p50_ms']} ms "
        f"(p99 {r['library_p99_ms']}), HTTP p50 {r['http_p50_ms']} ms (p99 {r['http_p99_ms']}; /health "
        f"{r['http_health_p50_ms']}), PROV-JSON p50 {r['prov_json_p50_ms']} ms"
    )
    print(json.dumps(results))
    if args.plot:
        plot(results["loads"], args.plot)


if __name__ == "__main__":
    main()
