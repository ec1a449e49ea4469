"""Reliability suite: faults injected into real loads and a real server, and what they left behind.

  kills       `jobforge onet load` of the full 29.3 release over a database holding a 193-occupation
              subset of it (tests/onet_subset.py), SIGKILLed at a random moment, --kills times per
              backend, and `jobforge noc load` (NOC, OaSIS, COPS) half as many times: afterwards
              every table must hold exactly what it held before or what the complete load leaves
              (never anything between), and the next load must succeed.
  concurrent  two loads of one database started together: one loads, the other is refused with
              the conflict exit code (4), and the database is the full release.
  reads       `jobforge serve` answering /skill-gap and /occupations/{soc} from 8 threads while
              the full release loads into its database: 5xx and transport errors counted, p99.
              The readers pick among 24 rated occupations (a working set within what the server
              keeps of its answers: see Occupations.profile), pairs of them for the skill gap,
              once the server is warm (its title index built).
  inputs      partial and malformed releases (each file of the release missing, each header-only,
              a NUL in a cell, a release number that is no number, a zip bomb): each must be
              refused in one line and change nothing.
  hostile     requests a careless or hostile client sends (a body over the limit, NUL in a
              parameter, a batch beyond the limits, SQL in parameters): none may answer 5xx.

Prints each figure; the last line sums up: faults injected, bad inputs tried, 5xx seen, databases
left half-written, silent changes (the last three must be 0).

    python bench/faults.py [--kills 10] [--backends sqlite,postgresql] [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import httpx2
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))
BUNDLED = ROOT / "src" / "jobforge" / "data" / "db_29_3_text.zip"

from jobforge.api.server_process import running_server  # noqa: E402
from jobforge.knowledge_base import KnowledgeBase  # noqa: E402
from jobforge.store.base import Base  # noqa: E402
from jobforge.store.databases import create_database, drop_database, scratch_database_url  # noqa: E402
from tests.onet_subset import write_subset  # noqa: E402

SERVERS = {
    "postgresql": os.environ.get("JOBFORGE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
    "mariadb": os.environ.get("JOBFORGE_TEST_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306/test"),
}
JOBFORGE = [sys.executable, "-m", "jobforge"]
TOTALS = {"faults": 0, "inputs": 0, "5xx": 0, "half-written": 0, "silent changes": 0}


def fresh_url(backend: str, folder: Path) -> str:
    url = scratch_database_url(SERVERS.get(backend), folder, f"faults_{random.randrange(10**6)}")
    create_database(url)
    return url


def counts(url: str) -> dict[str, int]:
    """Rows per table, every table of the schema."""
    kb = KnowledgeBase(url)
    try:
        with kb.engine.connect() as connection:
            return {
                table.name: connection.scalar(select(func.count()).select_from(table)) or 0
                for table in Base.metadata.sorted_tables
            }
    finally:
        kb.engine.dispose()


def jobforge(url: str, *words: str, **options) -> subprocess.CompletedProcess:
    env = {**os.environ, "ONET_API_KEY": ""}
    return subprocess.run([*JOBFORGE, "--db", url, *words], capture_output=True, text=True, env=env, **options)


def with_subset(url: str, folder: Path) -> None:
    """The database as it stands before the full release arrives: the 193-occupation subset cut
    from the bundled release (tests/onet_subset.py), so that a load of the full release changes it."""
    subset = folder / "db_29_3_text_sample.zip"
    if not subset.exists():
        write_subset(BUNDLED, subset)
    result = jobforge(url, "onet", "load", str(subset))
    assert result.returncode == 0, result.stderr


def kills(backend: str, folder: Path, load: list[str], what: str, times: int, longest: float) -> None:
    """`jobforge <load>` SIGKILLed `times` times at a random moment of its first `longest` seconds,
    each over a database holding the O*NET subset: afterwards every table must hold what it held
    before or what a complete load leaves (nothing between), and the next load must succeed."""
    half, loaded_after = 0, 0
    reference = fresh_url(backend, folder)
    with_subset(reference, folder)
    before = counts(reference)
    jobforge(reference, *load, "--json")
    done = counts(reference)  # the two states a killed load may leave
    drop_database(reference)
    for _ in range(times):
        url = fresh_url(backend, folder)
        with_subset(url, folder)
        process = subprocess.Popen([*JOBFORGE, "--db", url, *load, "--json"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        time.sleep(random.uniform(0.3, longest))
        process.send_signal(signal.SIGKILL)
        process.wait()
        TOTALS["faults"] += 1
        if counts(url) not in (before, done):
            half += 1
        if jobforge(url, *load, "--json").returncode == 0 and counts(url) == done:
            loaded_after += 1
        drop_database(url)
    TOTALS["half-written"] += half
    print(f"kills ({backend}, {what}): {times} SIGKILLs during a load; half-written databases: {half}; "
          f"loads that succeeded afterwards: {loaded_after}/{times}")  # fmt: skip


def concurrent(backend: str, folder: Path, release: Path) -> None:
    url = fresh_url(backend, folder)
    jobforge(url, "db", "upgrade")
    first = subprocess.Popen([*JOBFORGE, "--db", url, "onet", "load", str(release)], stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)  # fmt: skip
    time.sleep(1.0)
    second = jobforge(url, "onet", "load", str(release))
    first.wait()
    TOTALS["faults"] += 1
    refused = second.returncode == 4 and "another load" in second.stderr
    one_line = len(second.stderr.strip().splitlines()) == 1
    print(f"concurrent ({backend}): first load exit {first.returncode}; second refused with exit "
          f"{second.returncode} ({'one line' if one_line else 'NOT one line'}): {refused}")  # fmt: skip
    if not refused or first.returncode != 0:
        TOTALS["silent changes"] += 1
    drop_database(url)


def reads(backend: str, folder: Path, release: Path) -> None:
    url = fresh_url(backend, folder)
    with_subset(url, folder)
    kb = KnowledgeBase(url)
    rated = random.Random(0).sample([code for code in kb.occupations.codes() if not kb.careers.lacks(code)], 24)
    kb.engine.dispose()
    latencies, during, errors, server_errors = [], [], [], []
    window = {"from": float("inf"), "to": float("inf")}  # while the load runs
    with running_server(url, timeout=120) as (base, _process, _started):
        # A server that has been up for a while: its title index built (the first /classify
        # waits for it), so what is measured is the load, not the server's own start.
        httpx2.post(base + "/classify", json={"titles": ["nurse"]}, timeout=120).raise_for_status()
        stop = threading.Event()

        def reader() -> None:
            with httpx2.Client(timeout=30) as client:
                while not stop.is_set():
                    one, other = random.sample(rated, 2)
                    path = random.choice([f"/skill-gap?from={one}&to={other}", f"/occupations/{one}", "/health"])
                    started = time.perf_counter()
                    try:
                        status = client.get(base + path).status_code
                        if status >= 500:
                            server_errors.append(status)
                    except httpx2.HTTPError as error:
                        errors.append(type(error).__name__)
                    latencies.append(time.perf_counter() - started)
                    if window["from"] <= started < window["to"]:
                        during.append(latencies[-1])

        threads = [threading.Thread(target=reader) for _ in range(8)]
        for thread in threads:
            thread.start()
        window["from"] = time.perf_counter()
        load = jobforge(url, "onet", "load", str(release), "--json")
        window["to"] = time.perf_counter()
        time.sleep(3)  # and the rebuilds after the commit
        stop.set()
        for thread in threads:
            thread.join()
    TOTALS["faults"] += 1
    TOTALS["5xx"] += len(server_errors)
    print(f"reads during a load ({backend}): load exit {load.returncode}; {len(latencies)} reads, "
          f"{len(server_errors)} 5xx, {len(errors)} transport errors, p99 {p99(during):.0f} ms while the load "
          f"ran, {p99(latencies):.0f} ms from the readers' start to 3 s after the commit")  # fmt: skip
    drop_database(url)


def p99(latencies: list[float]) -> float:
    """In milliseconds."""
    return 1000 * (statistics.quantiles(latencies, n=100)[98] if len(latencies) >= 100 else max(latencies, default=0))


def inputs(folder: Path, release: Path) -> None:
    url = fresh_url("sqlite", folder)
    jobforge(url, "onet", "load", str(release), "--json")
    before = counts(url)

    def copy() -> Path:
        scratch = folder / "copy"
        shutil.rmtree(scratch, ignore_errors=True)
        target = scratch / "29.3"
        shutil.copytree(release, target)
        return target

    def missing(name: str):
        def damage(path: Path) -> Path:
            (path / name).unlink()
            return path

        damage.__name__ = f"{name} missing"
        return damage

    def header_only(name: str):
        def damage(path: Path) -> Path:
            target = path / name
            target.write_bytes(target.read_bytes().split(b"\n", 1)[0] + b"\n")
            return path

        damage.__name__ = f"{name} header-only"
        return damage

    def nul(path: Path) -> Path:
        data = path / "Occupation Data.txt"
        data.write_bytes(data.read_bytes().replace(b"Chief", b"Ch\x00ief", 1))
        return path

    def absurd_release(path: Path) -> Path:
        (path / "Read Me.txt").unlink()
        renamed = path.with_name("99999999999999999999.1")
        path.rename(renamed)
        return renamed

    def zip_bomb(path: Path) -> Path:
        bomb = path.parent / "db_29_3_text.zip"
        with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for member in path.iterdir():
                archive.write(member, f"db_29_3_text/{member.name}")
            with archive.open("db_29_3_text/Notes.txt", "w") as huge:
                for _ in range(64):
                    huge.write(b" " * 1024 * 1024)
        return bomb

    files = sorted(path.name for path in release.glob("*.txt") if path.name != "Read Me.txt")
    damages = [*map(missing, files), *map(header_only, files), nul, absurd_release, zip_bomb]
    refused = 0
    for damage in damages:
        result = jobforge(url, "onet", "load", str(damage(copy())))
        TOTALS["inputs"] += 1
        changed = counts(url) != before
        TOTALS["silent changes"] += int(changed or result.returncode == 0)
        one_line = len(result.stderr.strip().splitlines()) == 1
        refused += int(result.returncode != 0 and not changed and one_line)
        if damage.__name__ in (f"{files[0]} missing", f"{files[0]} header-only", "nul", "absurd_release", "zip_bomb"):
            print(f"  input {damage.__name__}: exit {result.returncode}; {result.stderr.strip()[:140]}")
    print(f"inputs: {refused}/{len(damages)} partial or malformed releases refused in one line, database unchanged")
    drop_database(url)


def hostile(folder: Path) -> None:
    url = fresh_url("sqlite", folder)
    jobforge(url, "quickstart", "--no-serve")
    attempts = [
        ("POST", "/classify", {"content": b"x" * (3 * 1024 * 1024), "headers": {"Content-Type": "application/json"}}),
        ("GET", "/occupations", {"params": {"q": "nurse\x00"}}),
        ("GET", "/occupations/29-1141.00/values", {"params": {"attribute": "skills\x00'"}}),
        ("POST", "/classify", {"json": {"titles": ["nurse"] * 6000}}),
        ("POST", "/classify", {"json": {"titles": ["nurse"] * 1000, "k": 50}}),
        ("GET", "/occupations", {"params": {"q": "'; DROP TABLE occupation; --"}}),
        ("GET", "/provenance/history", {"params": {"entity": "29-1141.00", "attribute": "x' OR '1'='1"}}),
        ("GET", "/skill-gap", {"params": {"from": "29-1141.00\r\n", "to": "11-1011.00"}}),
        ("POST", "/classify", {"content": b"{" * 100_000, "headers": {"Content-Type": "application/json"}}),
    ]
    statuses = []
    with running_server(url, timeout=120) as (base, _process, _started), httpx2.Client(timeout=60) as client:
        for method, path, options in attempts:
            statuses.append(client.request(method, base + path, **options).status_code)
    server_errors = sum(1 for status in statuses if status >= 500)
    TOTALS["inputs"] += len(attempts)
    TOTALS["5xx"] += server_errors
    print(f"hostile requests: {len(attempts)} sent, statuses {statuses}, 5xx {server_errors}")
    drop_database(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    args = parser.parse_args()
    release = args.data / "onet" / "29.3"
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        for backend in args.backends.split(","):
            kills(backend, folder, ["onet", "load", str(release)], "O*NET 29.3", args.kills,
                  6.0 if backend == "sqlite" else 12.0)  # fmt: skip
            kills(backend, folder, ["noc", "load", str(args.data / "noc")], "NOC, OaSIS, COPS", args.kills // 2, 6.0)
            concurrent(backend, folder, release)
            reads(backend, folder, release)
        inputs(folder, release)
        hostile(folder)
    print("TOTAL " + ", ".join(f"{name}: {count}" for name, count in TOTALS.items()))


if __name__ == "__main__":
    main()
