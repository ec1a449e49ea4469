"""Benchmark: the API under load, on the full O*NET 29.3 data, SQLite then PostgreSQL.

For each backend: load the full release into a fresh database, start `jobforge serve` (one
uvicorn process) and time its start, then drive it from a separate process at fixed
concurrency for a bounded time, first `/health`, then `/skill-gap` with random valid pairs
(occupations that have skills ratings), then `/classify` with random O*NET alternate titles;
before all three, one `/classify` times how soon after the start the title index (built in the
background at start) answers. Prints p50/p99 latency, requests/s and errors for each,
the p50 ratio skill-gap/health, and the server's peak memory.

The driver is a minimal keep-alive HTTP/1.1 client on asyncio streams, so that the figures are
the server's and not a heavy client's (both share this machine's two cores).

    python bench/api_load.py [--seconds 10] [--concurrency 8] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit
from urllib.request import urlopen

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "onet" / "29.3"
SERVERS = {
    "postgresql": os.environ.get("JOBFORGE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
}


async def _worker(host: str, port: int, paths: list[str], deadline: float, latencies: list, errors: list) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    rng = random.Random()
    try:
        while time.perf_counter() < deadline:
            path = rng.choice(paths)
            started = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            status_line = await reader.readline()
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            if b" 200 " not in status_line:
                errors.append(status_line.decode().strip())
    finally:
        writer.close()


def drive(base: str, paths: list[str], concurrency: int, seconds: float) -> dict:
    """Run in a child process: hit `paths` at `concurrency` for `seconds`; return the figures."""
    parts = urlsplit(base)
    latencies: list[float] = []
    errors: list[str] = []

    async def main() -> float:
        deadline = time.perf_counter() + seconds
        started = time.perf_counter()
        await asyncio.gather(
            *(_worker(parts.hostname, parts.port, paths, deadline, latencies, errors) for _ in range(concurrency))
        )
        return time.perf_counter() - started

    elapsed = asyncio.run(main())
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[int(0.99 * (len(latencies) - 1))],
    }


def measure(base: str, paths: list[str], concurrency: int, seconds: float) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as spec:
        json.dump({"base": base, "paths": paths, "concurrency": concurrency, "seconds": seconds}, spec)
    try:
        output = subprocess.run(
            [sys.executable, __file__, "--drive", spec.name], check=True, capture_output=True, text=True
        ).stdout
    finally:
        os.unlink(spec.name)
    return json.loads(output)


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def report_transition_overlap(kb) -> None:
    """How many of /transitions' top 10 are among O*NET's own 10 closest related occupations."""
    from jobforge.occupations.queries import related_occupations

    snapshot = kb.careers.profiles.current()
    overlaps = []
    for code in sorted(snapshot.levels):
        related = [r.code for r in related_occupations(kb.engine, code)][:10]
        if related:
            ours = {move.code for move in kb.careers.transitions(code, 10)}
            overlaps.append(len(ours & set(related)) / 10)
    print(
        f"/transitions overlap@10 with O*NET Related Occupations (first 10 by index): "
        f"mean {statistics.mean(overlaps):.3f}, median {statistics.median(overlaps):.2f} "
        f"over {len(overlaps)} occupations"
    )


def plot(results: dict[str, dict[str, dict]], path: Path, concurrency: int) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, 2, figsize=(9, 3.4))
    labels = [f"{backend}\n{endpoint}" for backend, endpoints in results.items() for endpoint in endpoints]
    values = [figures for endpoints in results.values() for figures in endpoints.values()]
    positions = range(len(labels))
    axes[0].bar([p - 0.2 for p in positions], [v["p50_ms"] for v in values], width=0.4, label="p50")
    axes[0].bar([p + 0.2 for p in positions], [v["p99_ms"] for v in values], width=0.4, label="p99")
    axes[0].set_ylabel("latency, ms")
    axes[0].legend(fontsize=8)
    axes[1].bar(positions, [v["rps"] for v in values], color="#2ca02c")
    axes[1].axhline(500, color="red", linestyle="dashed", label="target /skill-gap on SQLite")
    axes[1].set_ylabel("requests/s")
    axes[1].legend(fontsize=8)
    for axis in axes:
        axis.set_xticks(list(positions), labels, fontsize=7)
    figure.suptitle(f"API under load ({concurrency} connections, full O*NET 29.3)")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    print(f"plot written to {path}")


def bench_backend(backend: str, folder: Path, concurrency: int, seconds: float) -> dict[str, dict]:
    sys.path.insert(0, str(ROOT / "src"))
    from sqlalchemy import select

    from jobforge.api.server_process import running_server
    from jobforge.knowledge_base import KnowledgeBase
    from jobforge.sources.onet import tables as t
    from jobforge.store.databases import create_database, drop_database, scratch_database_url

    url = scratch_database_url(SERVERS.get(backend), folder, "jf_api")
    create_database(url)
    try:
        kb = KnowledgeBase(url)
        kb.upgrade()
        kb.onet.load(DATA)
        with kb.engine.connect() as connection:
            rated = sorted(
                set(
                    connection.execute(
                        select(t.OccupationRating.soc_code).where(t.OccupationRating.domain == "skills")
                    ).scalars()
                )
            )
        if backend == "sqlite":
            report_transition_overlap(kb)
        kb.engine.dispose()
        rng = random.Random(7)
        pairs = [f"/skill-gap?{urlencode({'from': rng.choice(rated), 'to': rng.choice(rated)})}" for _ in range(2000)]
        with kb.engine.connect() as connection:
            titles = sorted(set(connection.execute(select(t.AlternateTitle.title)).scalars()))
        lookups = [f"/classify?{urlencode({'title': title})}" for title in rng.sample(titles, 2000)]
        with running_server(url) as (base, process, start_seconds):
            started = time.perf_counter()
            urlopen(base + lookups[0]).read()  # waits for the title index the server builds at start
            index_ready = start_seconds + time.perf_counter() - started
            health = measure(base, ["/health"], concurrency, seconds)
            gap = measure(base, pairs, concurrency, seconds)
            classify = measure(base, lookups, concurrency, seconds)
            memory = peak_rss_mb(process.pid)
        print(
            f"\n{backend}: server start {start_seconds:.2f} s, first /classify answered {index_ready:.1f} s after the start, "
            f"peak RSS {memory:.0f} MB (with the title index), "
            f"{concurrency} connections, {seconds:.0f} s per endpoint, {len(rated)} occupations with skills"
        )
        print(f"{'endpoint':<12}{'requests':>10}{'errors':>8}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}")
        for name, figures in (("/health", health), ("/skill-gap", gap), ("/classify", classify)):
            print(
                f"{name:<12}{figures['requests']:>10}{figures['errors']:>8}{figures['rps']:>9.0f}"
                f"{figures['p50_ms']:>9.2f}{figures['p99_ms']:>9.2f}"
            )
        print(f"p50 ratio /skill-gap ÷ /health: {gap['p50_ms'] / health['p50_ms']:.2f}")
        return {"/health": health, "/skill-gap": gap, "/classify": classify}
    finally:
        drop_database(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--plot", type=Path, help="also draw the figures into this PNG (needs the bench extra)")
    parser.add_argument("--drive", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.drive:
        spec = json.loads(Path(args.drive).read_text())
        print(json.dumps(drive(spec["base"], spec["paths"], spec["concurrency"], spec["seconds"])))
        return
    print(f"API load benchmark on {DATA}")
    with tempfile.TemporaryDirectory() as folder:
        results = {
            backend: bench_backend(backend, Path(folder), args.concurrency, args.seconds)
            for backend in args.backends.split(",")
        }
    if args.plot:
        plot(results, args.plot, args.concurrency)


if __name__ == "__main__":
    main()
