"""Benchmark: enrichment and the job queue.

1. `enrich --missing` on the full O*NET 29.3 release (a fresh SQLite file) against a local fake
   O*NET Web Services (100 ms latency, 5% 429s with Retry-After: 1) that knows every occupation
   lacking ratings: Web Services calls against the unique URLs needed, coverage of skills and
   knowledge afterwards (target 100%, each value's source shown), and a second run (target: 0
   calls, nothing written).
2. The queue on PostgreSQL: --jobs no-op jobs drained by 4 worker processes (target ≥ 500 jobs/s
   claimed and completed), then the same with one worker killed (SIGKILL) midway: every job's
   effect exactly once, no finished job done again.

    python bench/enrich.py [--skip-enrich] [--jobs 5000] [--postgres URL]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

from jobforge.config import Settings  # noqa: E402
from jobforge.jobs import queue  # noqa: E402
from jobforge.jobs.tables import Job  # noqa: E402
from jobforge.jobs.worker import drain  # noqa: E402
from jobforge.knowledge_base import KnowledgeBase  # noqa: E402
from jobforge.store.databases import create_database, drop_database, scratch_database_url  # noqa: E402
from jobforge.store.engine import make_engine  # noqa: E402
from tests.fakes.onet_web import FakeOnet, rows_from_release_text  # noqa: E402
from tests.jobs.test_queue import EFFECTS, effect, record_effect  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "onet" / "29.3"


def enrich_against_the_fake() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'enrich.db'}"
        loader = KnowledgeBase(url, settings=Settings(onet_api_key=""))
        loader.upgrade()
        loader.onet.load_bundled()
        missing = loader.onet.lacking_ratings()
        donor = {
            table: rows_from_release_text((DATA / name).read_text(encoding="utf-8"), "29-1141.00")
            for table, name in (("skills", "Skills.txt"), ("knowledge", "Knowledge.txt"))
        }
        fake = FakeOnet(latency=0.1, share_429=0.05)
        for code in missing:
            fake.occupations[code] = {"title": f"Occupation {code}", "description": "fetched"}
            for table, rows in donor.items():
                fake.rows[(table, code)] = [dict(row, o_net_soc_code=code) for row in rows]
        fake.start()
        kb = KnowledgeBase(url, engine=loader.engine,
                           settings=Settings(onet_api_key=fake.api_key, onet_api_base_url=fake.base_url))  # fmt: skip
        started = time.perf_counter()
        first = kb.enrich.run("missing")
        wall = time.perf_counter() - started
        requests = len(fake.log)
        unique = len({path for _when, path in fake.log})
        second = kb.enrich.run("missing")
        fake.stop()
    after = first.after.kinds["occupations"] if first.after else None
    print(f"enrich --missing: {len(missing)} occupations lacking ratings; {wall:.1f} s")
    print(f"  Web Services: {first.fetch_calls - first.fetch_retries} successful calls for {unique} unique URLs; "
          f"{first.fetch_retries} retries of 429s, {requests} requests in all; {len(first.fetched)} fetched")  # fmt: skip
    if after:
        for name in ("skills", "knowledge"):
            print(f"  {name}: {after.share(name):.1%} covered, by source {after.fields[name].by_source}")
    print(f"  second run: {second.fetch_calls} calls, {second.values_written} values written, "
          f"{second.skipped_done} steps already done; {second.seconds:.1f} s")  # fmt: skip


def worker_process(url: str) -> None:
    engine = make_engine(url)
    drain(engine, {"noop": lambda _job, _connection: None, "mark": record_effect}, batch=50)
    engine.dispose()


def fill(engine, count: int, kind: str) -> None:
    with engine.begin() as connection:
        connection.execute(insert(Job), [
            {"kind": kind, "key": f"{kind}:{n}", "payload": "{}", "status": "queued", "attempts": 0,
             "max_attempts": 5, "run_after": queue.now(), "created_at": queue.now()}
            for n in range(count)
        ])  # fmt: skip


def queue_on(server: str, jobs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = scratch_database_url(server, Path(folder), "jf_bench_queue")
        create_database(url)
        try:
            kb = KnowledgeBase(url)
            kb.upgrade()
            EFFECTS.create_all(kb.engine)
            context = multiprocessing.get_context("spawn")
            fill(kb.engine, jobs, "noop")
            started = time.perf_counter()
            workers = [context.Process(target=worker_process, args=(url,)) for _ in range(4)]
            for process in workers:
                process.start()
            for process in workers:
                process.join()
            seconds = time.perf_counter() - started
            print(f"queue ({kb.engine.dialect.name}): {jobs:,} no-op jobs by 4 worker processes in {seconds:.2f} s "
                  f"(with process start-up): {jobs / seconds:,.0f} jobs/s; {queue.counts(kb.engine)}")  # fmt: skip

            fill(kb.engine, jobs, "mark")
            workers = [context.Process(target=worker_process, args=(url,)) for _ in range(4)]
            for process in workers:
                process.start()
            while True:  # until the work is well under way, then one worker is killed mid-run
                with kb.engine.connect() as connection:
                    if (connection.scalar(select(func.count()).select_from(effect)) or 0) > jobs // 5:
                        break
                time.sleep(0.02)
            os.kill(workers[0].pid, signal.SIGKILL)
            for process in workers[1:]:
                process.join()
            workers[0].join()
            worker_process(url)  # whatever the killed worker held: taken over at once (same host)
            with kb.engine.connect() as connection:
                effects = connection.scalar(select(func.count()).select_from(effect))
                distinct = connection.scalar(select(func.count(func.distinct(effect.c.key))))
                retried = connection.scalar(
                    select(func.count()).select_from(Job).where(Job.kind == "mark", Job.attempts > 1)
                )
            print(f"  with one worker killed midway: {effects:,} effects for {jobs:,} jobs ({distinct:,} distinct); "
                  f"{retried} jobs taken over from the killed worker; {queue.counts(kb.engine)}")  # fmt: skip
            kb.engine.dispose()
        finally:
            drop_database(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skip-enrich", action="store_true")
    parser.add_argument("--jobs", type=int, default=5000)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--mariadb", default="mysql+pymysql://root@127.0.0.1:3306/test")
    args = parser.parse_args()
    if not args.skip_enrich:
        enrich_against_the_fake()
    queue_on(args.postgres, args.jobs)
    queue_on(args.mariadb, args.jobs)


if __name__ == "__main__":
    main()
