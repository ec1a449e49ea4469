"""Benchmark: how fast the `jobforge` command answers, measured as whole processes.

Over a SQLite database holding the full O*NET 29.3 release and the Canadian data (built once in a
temporary folder), each command runs --repeat times; the figures are the median wall time and the
median CPU time (user + system of the child process, from getrusage):

  help           jobforge --help                                   target < 0.5 s CPU
  skill-gap      jobforge skill-gap 29-1141.00 11-1011.00 --json    target < 0.5 s CPU
  load unchanged jobforge onet load <the same release> --json       target < 0.5 s whole process
  classify build jobforge classify "Sr. Data Eng." (index built)    (once, for reference)
  classify       the same, with the index kept from the first call  target < 1 s wall

    python bench/cli_speed.py [--repeat 5] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JOBFORGE = Path(sys.executable).with_name("jobforge")


def timed(command: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of `command` as a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    release = args.data / "onet" / "29.3"
    with tempfile.TemporaryDirectory() as folder:
        db = ["--db", f"sqlite:///{Path(folder) / 'bench.db'}"]
        print("building the database (full O*NET 29.3, NOC, OaSIS, COPS, crosswalk)...", flush=True)
        for words in (
            ["onet", "load", str(release)],
            ["noc", "load", str(args.data / "noc")],
            ["crosswalk", "load", str(args.data / "crosswalk" / "noc2021_onet26.csv")],
        ):
            subprocess.run([str(JOBFORGE), *db, *words, "--json"], check=True, stdout=subprocess.DEVNULL)
        commands = {
            "help": [str(JOBFORGE), "--help"],
            "skill-gap": [str(JOBFORGE), *db, "skill-gap", "29-1141.00", "11-1011.00", "--json"],
            "load unchanged": [str(JOBFORGE), *db, "onet", "load", str(release), "--json"],
        }
        classify = [str(JOBFORGE), *db, "classify", "Sr. Data Eng."]
        build_wall, build_cpu = timed(classify)
        commands["classify"] = classify
        print(f"{'command':<16}{'wall p50':>10}{'CPU p50':>10}   (median of {args.repeat}; range of wall)")
        print(
            f"{'classify build':<16}{build_wall:>9.2f}s{build_cpu:>9.2f}s   (once: the title index is built and kept)"
        )
        for name, command in commands.items():
            runs = [timed(command) for _ in range(args.repeat)]
            walls, cpus = [w for w, _ in runs], [c for _, c in runs]
            print(
                f"{name:<16}{statistics.median(walls):>9.2f}s{statistics.median(cpus):>9.2f}s   "
                f"{min(walls):.2f}–{max(walls):.2f} s"
            )


if __name__ == "__main__":
    os.environ["ONET_API_KEY"] = ""  # never fetch on demand while measuring
    main()
