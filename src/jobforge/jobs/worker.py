"""Workers: claim jobs, run their handler, finish them; several threads, processes or machines
share one queue (see queue.py for why each job's effect happens once).

A worker's name is host:pid:thread, so that a job held by a process that died on this machine is
taken over at once instead of after its lease (`reclaim_dead`); elsewhere the lease decides.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, select, update

from jobforge.jobs import queue
from jobforge.jobs.queue import Claimed
from jobforge.jobs.tables import Job

log = logging.getLogger("jobforge.jobs")
# A handler does the job's work; it may write through `connection`, the transaction that marks
# the job done (so that effect and completion commit together), and returns a summary.
Handler = Callable[[Claimed, Connection], dict | None]


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def reclaim_dead(engine: Engine) -> int:
    """Jobs running under a process of this host that no longer exists, queued again now."""
    host = socket.gethostname()
    with engine.begin() as connection:
        held = connection.execute(
            select(Job.id, Job.worker).where(Job.status == "running", Job.worker.like(f"{host}:%"))
        ).all()
        dead = [row.id for row in held if not _alive(int(row.worker.split(":")[1]))]
        if dead:
            connection.execute(
                update(Job).where(Job.id.in_(dead), Job.status == "running").values(status="queued", lease_until=None)
            )
    return len(dead)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class WorkerReport:
    done: int = 0
    failed: int = 0
    retried: int = 0
    lost: int = 0
    seconds: float = 0.0
    errors: dict[str, str] = field(default_factory=dict)


def run_job(engine: Engine, worker: str, job: Claimed, handler: Handler | None, report: WorkerReport) -> None:
    try:
        if handler is None:
            raise LookupError(f"no handler for jobs of kind '{job.kind}'")
        with engine.begin() as connection:
            result = handler(job, connection)
            if not queue.complete(connection, job.id, worker, result):
                connection.rollback()  # the lease was lost: another worker has it, so this effect must not land
                report.lost += 1
                return
        report.done += 1
    except Exception as error:
        message = f"{type(error).__name__}: {error}"
        log.debug("job %s failed: %s", job.key, traceback.format_exc())
        outcome = queue.fail(engine, job.id, worker, message)
        if outcome == "failed":
            report.failed += 1
            report.errors[job.key] = message
        elif outcome == "queued":
            report.retried += 1


def drain(
    engine: Engine, handlers: dict[str, Handler], *, threads: int = 1, batch: int = 10, stop_when_idle: bool = True,
    poll: float = 1.0, stop: threading.Event | None = None, progress: Callable[[WorkerReport], None] | None = None,
) -> WorkerReport:  # fmt: skip
    """Run jobs with `threads` workers until none is due (or, not `stop_when_idle`, until `stop`)."""
    report = WorkerReport()
    started = time.perf_counter()
    lock = threading.Lock()
    stop = stop or threading.Event()
    reclaim_dead(engine)

    def work() -> None:
        name = worker_name()
        while not stop.is_set():
            jobs = queue.claim(engine, name, batch)
            if not jobs:
                if stop_when_idle:
                    return
                stop.wait(poll)
                continue
            for job in jobs:
                mine = WorkerReport()
                run_job(engine, name, job, handlers.get(job.kind), mine)
                with lock:
                    report.done += mine.done
                    report.failed += mine.failed
                    report.retried += mine.retried
                    report.lost += mine.lost
                    report.errors.update(mine.errors)
                    if progress is not None:
                        progress(report)

    pool = [threading.Thread(target=work, name=f"jobforge-worker-{n}", daemon=True) for n in range(threads)]
    for thread in pool:
        thread.start()
    try:
        for thread in pool:
            while thread.is_alive():
                thread.join(0.5)
    except KeyboardInterrupt:
        stop.set()
        for thread in pool:
            thread.join()
        raise
    report.seconds = time.perf_counter() - started
    return report
