"""Benchmark: the worst requests the API accepts, and whether /health still answers beside them.

Builds a SQLite database with the full O*NET 29.3 release and the Canadian data, starts `jobforge
serve` (one process, its batch rate limit off so requests can follow one another), waits for the
title index, then sends each of the largest requests the limits let through, several times:

  batch      POST /classify, 5,000 titles, k=5          (the most titles; 300 with embeddings)
  wide       POST /classify, 1,000 titles, k=25         (the most candidates; 300 titles with embeddings)
  explained  POST /classify, 40 titles, k=25, explain   (the most explained candidates)
  single     GET /classify, k=50, explain               (the largest single-title answer)

For each: the server's CPU seconds per request (from /proc), wall time, the server's peak RSS,
and the worst /health latency seen while it ran (a poller asks every 50 ms). Targets: at most 2 s
of CPU and 256 MB per request; /health within 100 ms meanwhile.

    python bench/api_limits.py [--repeat 3] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from jobforge.api.routes.classify import MAX_BATCH, MAX_BATCH_EMBEDDED, MAX_CANDIDATES, MAX_EXPLAINED  # noqa: E402
from jobforge.api.server_process import running_server  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def _status_mb(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def rss_mb(pid: int) -> float:
    return _status_mb(pid, "VmRSS")


def peak_rss_mb(pid: int) -> float:
    return _status_mb(pid, "VmHWM")


class HealthPoller:
    """Asks /health every 50 ms; `worst()` is the slowest answer since the last `reset()`."""

    def __init__(self, base: str) -> None:
        self.base, self.latencies, self.errors = base, [], 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        with httpx2.Client(timeout=10) as client:
            while not self._stop.is_set():
                started = time.perf_counter()
                try:
                    if client.get(f"{self.base}/health").status_code != 200:
                        self.errors += 1
                except httpx2.HTTPError:
                    self.errors += 1
                self.latencies.append(time.perf_counter() - started)
                self._stop.wait(0.05)

    def reset(self) -> None:
        self.latencies = []

    def worst(self) -> float:
        return max(self.latencies, default=float("nan"))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    jobforge = [sys.executable, "-m", "jobforge"]
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "limits.db"
        url = f"sqlite:///{database}"
        print("building the database (full O*NET 29.3, NOC, OaSIS, COPS, crosswalk)...", flush=True)
        for words in (
            ["onet", "load", str(args.data / "onet" / "29.3")],
            ["noc", "load", str(args.data / "noc")],
            ["crosswalk", "load", str(args.data / "crosswalk" / "noc2021_onet26.csv")],
        ):
            subprocess.run([*jobforge, "--db", url, *words, "--json"], check=True, stdout=subprocess.DEVNULL)
        titles = [row[0] for row in sqlite3.connect(database).execute("SELECT title FROM alternate_title LIMIT 5000")]
        os.environ["JOBFORGE_API_BATCH_RATE"] = "0"
        with running_server(url, timeout=120) as (base, process, _started), httpx2.Client(timeout=120) as client:
            coding = client.get(f"{base}/health").json()["title_coding"]
            most = MAX_BATCH_EMBEDDED if coding == "words+embeddings" else MAX_BATCH
            print(f"titles scored with {coding}: at most {most:,} per request")
            requests = {
                "batch": ("POST", {"titles": titles[:most], "k": 5}),
                "wide": ("POST", {"titles": titles[: min(most, MAX_CANDIDATES // 25)], "k": 25}),
                "explained": ("POST", {"titles": titles[: MAX_EXPLAINED // 25], "k": 25, "explain": True}),
                "single": ("GET", {"title": "Senior Data Engineer", "k": 50, "explain": "true"}),
            }
            for system in ("onet", "noc"):  # the title indexes build beside the start: wait for both
                while client.get(f"{base}/classify", params={"title": "nurse", "system": system}).status_code != 200:
                    time.sleep(0.5)
            time.sleep(2)  # and for the warm-up thread to finish
            resident = rss_mb(process.pid)
            Path(f"/proc/{process.pid}/clear_refs").write_text("5")  # the peak from here on (not the index build)
            poller = HealthPoller(base)
            print(f"{'request':<11}{'CPU s p50':>10}{'CPU s max':>10}{'wall s p50':>11}{'/health worst':>15}")
            figures = {}
            for name, (method, payload) in requests.items():
                cpus, walls = [], []
                poller.reset()
                for _ in range(args.repeat):
                    before, started = cpu_seconds(process.pid), time.perf_counter()
                    if method == "POST":
                        response = client.post(f"{base}/classify", json=payload)
                    else:
                        response = client.get(f"{base}/classify", params=payload)
                    walls.append(time.perf_counter() - started)
                    cpus.append(cpu_seconds(process.pid) - before)
                    assert response.status_code == 200, response.text[:300]
                figures[name] = {
                    "cpu_p50": statistics.median(cpus),
                    "cpu_max": max(cpus),
                    "health_worst": poller.worst(),
                }
                print(
                    f"{name:<11}{statistics.median(cpus):>10.2f}{max(cpus):>10.2f}{statistics.median(walls):>11.2f}"
                    f"{poller.worst() * 1000:>13.0f} ms"
                )
            poller.stop()
            print(
                f"server RSS {resident:.0f} MB before, peak {peak_rss_mb(process.pid):.0f} MB "
                f"(+{peak_rss_mb(process.pid) - resident:.0f} MB for the requests); /health errors {poller.errors}"
            )
            print(json.dumps(figures))


if __name__ == "__main__":
    main()
