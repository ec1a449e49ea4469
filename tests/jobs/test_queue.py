"""The job queue on every backend: asked twice, queued once; claimed by one worker at a time;
retried with backoff, parked after its attempts; a lost lease cannot finish a job; several worker
processes drain one queue with each job's effect happening once; a worker killed with SIGKILL
mid-job leaves the job to be done again, once."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select, update

from jobforge.jobs import queue
from jobforge.jobs.tables import Job
from jobforge.jobs.worker import WorkerReport, drain, reclaim_dead, run_job
from jobforge.store.engine import make_engine

EFFECTS = MetaData()
effect = Table("job_effect", EFFECTS, Column("id", Integer, primary_key=True), Column("key", String(200), unique=True))


def record_effect(job, connection):
    """The effect of a test job: a row keyed by the job, in the transaction that marks it done."""
    connection.execute(insert(effect).values(key=job.key))
    return {"ok": True}


def enqueued(kb, count: int, kind: str = "mark") -> None:
    with kb.engine.begin() as connection:
        for number in range(count):
            queue.enqueue(connection, kind, f"{kind}:{number}")


def test_asking_twice_queues_once_and_again_only_when_said(kb):
    with kb.engine.begin() as connection:
        assert queue.enqueue(connection, "noop", "k")
        assert not queue.enqueue(connection, "noop", "k")
    [job] = queue.claim(kb.engine, "w1", 5)
    with kb.engine.begin() as connection:
        assert queue.complete(connection, job.id, "w1")
        assert not queue.enqueue(connection, "noop", "k")  # done: not again unless asked
        assert queue.enqueue(connection, "noop", "k", again=True)
    assert queue.counts(kb.engine)["queued"] == 1
    [job] = queue.claim(kb.engine, "w1", 1)
    with kb.engine.begin() as connection:
        queue.complete(connection, job.id, "w1")
        assert not queue.enqueue(connection, "noop", "k", retry_failed=True)  # done stays done
        queue.enqueue(connection, "noop", "parked", max_attempts=1)
    [parked] = queue.claim(kb.engine, "w1", 1)
    assert queue.fail(kb.engine, parked.id, "w1", "gone") == "failed"
    with kb.engine.begin() as connection:
        assert queue.enqueue(connection, "noop", "parked", retry_failed=True)  # failed: tried again


def test_a_claimed_job_is_not_claimed_again_until_its_lease_passes(kb):
    enqueued(kb, 1)
    [job] = queue.claim(kb.engine, "w1", 1, lease=60)
    assert queue.claim(kb.engine, "w2", 1) == []
    with kb.engine.begin() as connection:  # w1's lease passes (it stalled)
        connection.execute(update(Job).values(lease_until=queue.now() - timedelta(seconds=1)))
    [again] = queue.claim(kb.engine, "w2", 1)
    assert again.id == job.id and again.attempt == 2
    EFFECTS.create_all(kb.engine)
    late = WorkerReport()
    run_job(kb.engine, "w1", job, record_effect, late)  # the stalled worker wakes up: its lease is lost
    assert late.lost == 1 and late.done == 0
    with kb.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(effect)) == 0  # its effect rolled back
    run_job(kb.engine, "w2", again, record_effect, WorkerReport())
    with kb.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(effect)) == 1


def test_failures_back_off_then_park_and_a_retry_queues_again(kb):
    with kb.engine.begin() as connection:
        queue.enqueue(connection, "boom", "boom:1", max_attempts=2)

    def boom(_job, _connection):
        raise ValueError("the source said no")

    first = drain(kb.engine, {"boom": boom})
    assert first.retried == 1 and first.failed == 0
    [view] = queue.listed(kb.engine)
    assert view.status == "queued" and view.last_error == "ValueError: the source said no"
    assert queue.claim(kb.engine, "w", 1) == []  # waiting for its backoff
    with kb.engine.begin() as connection:
        assert not queue.enqueue(connection, "boom", "boom:1")  # already queued: still waiting
    assert queue.claim(kb.engine, "w", 1) == []
    with kb.engine.begin() as connection:
        assert not queue.enqueue(connection, "boom", "boom:1", at_once=True)  # someone asks for it now
    second = drain(kb.engine, {"boom": boom})
    assert second.failed == 1 and second.errors == {"boom:1": "ValueError: the source said no"}
    assert [v.status for v in queue.listed(kb.engine, "failed")] == ["failed"]
    queue.retry(kb.engine, view.id)
    assert queue.counts(kb.engine)["queued"] == 1
    with pytest.raises(Exception, match="only a failed job is retried"):
        queue.retry(kb.engine, view.id)


def test_a_job_of_unknown_kind_fails_naming_it(kb):
    with kb.engine.begin() as connection:
        queue.enqueue(connection, "mystery", "mystery:1", max_attempts=1)
    report = drain(kb.engine, {})
    assert report.failed == 1 and "no handler for jobs of kind 'mystery'" in report.errors["mystery:1"]


def drain_in_process(url: str) -> None:
    """A worker process (spawned): drains the queue with two threads, then exits."""
    engine = make_engine(url)
    drain(engine, {"mark": record_effect}, threads=2, batch=5)
    engine.dispose()


@pytest.mark.parametrize("workers", [4])
def test_four_worker_processes_drain_1000_jobs_each_effect_once(kb, workers):
    EFFECTS.create_all(kb.engine)
    enqueued(kb, 1000)
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=drain_in_process, args=(kb.database_url,)) for _ in range(workers)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(240)
        assert process.exitcode == 0
    with kb.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(effect)) == 1000
        assert connection.scalar(select(func.count(func.distinct(effect.c.key)))) == 1000
        workers_used = connection.scalar(select(func.count(func.distinct(Job.worker))))
    assert queue.counts(kb.engine) == {"queued": 0, "running": 0, "done": 1000, "failed": 0}
    assert workers_used > 1  # the work was shared


SLOW_WORKER = """
import sys, time
from jobforge.jobs.worker import drain
from jobforge.store.engine import make_engine
from tests.jobs.test_queue import record_effect

def slow(job, connection):
    open(sys.argv[2], "w").write(str(job.id))
    time.sleep(60)  # killed here, mid-job
    return record_effect(job, connection)

drain(make_engine(sys.argv[1]), {"mark": slow})
"""


def test_a_worker_killed_mid_job_leaves_it_to_be_done_once(kb, tmp_path):
    EFFECTS.create_all(kb.engine)
    enqueued(kb, 1)
    started = tmp_path / "started"
    child = subprocess.Popen([sys.executable, "-c", SLOW_WORKER, kb.database_url, str(started)], cwd=os.getcwd())
    deadline = time.monotonic() + 60
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert started.exists(), "the worker never started the job"
    assert queue.counts(kb.engine)["running"] == 1
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert reclaim_dead(kb.engine) == 1  # its process is gone: the job is queued at once, not after the lease
    report = drain(kb.engine, {"mark": record_effect})
    assert report.done == 1
    with kb.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(effect)) == 1
        attempts = connection.scalar(select(Job.attempts))
    assert attempts == 2
