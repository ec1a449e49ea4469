"""Schedules enqueue one job per period, say when they run next and how they last ended; the
refresh of stale Web Services answers and the re-imputation run as jobs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from jobforge.api import create_app
from jobforge.config import Settings
from jobforge.enrich import schedules
from jobforge.jobs import queue
from jobforge.sources.onet.web_cache import OnetApiResponse
from tests.impute.test_llm import UNRATED
from tests.sources.onet.conftest import MISSING, api_kb, fake  # noqa: F401  (fixtures)

TBS = next(s for s in schedules.SCHEDULES if s.name == "tbs")


def test_one_job_per_period_and_the_next_run_follows_the_cron(kb):
    december = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    assert schedules.enqueue(kb.engine, Settings(), TBS, december)
    assert not schedules.enqueue(kb.engine, Settings(), TBS, december + timedelta(days=3))  # same month: once
    assert schedules.enqueue(kb.engine, Settings(), TBS, datetime(2027, 1, 1, 3, 0, tzinfo=UTC))
    assert [job.key for job in queue.listed(kb.engine)] == ["tbs-scrape:2027-01", "tbs-scrape:2026-12"]
    assert TBS.next_run(datetime(2026, 12, 15, tzinfo=UTC)) == datetime(2027, 1, 1, 3, 0, tzinfo=UTC)
    shown = {entry["name"]: entry for entry in kb.enrich.schedules()}
    assert shown["tbs"]["last_run"]["status"] == "queued" and shown["reimpute"]["last_run"] is None
    model = Settings(llm_model="gpt-x")
    reimpute = next(s for s in schedules.SCHEDULES if s.name == "reimpute")
    assert reimpute.key(december, model) != reimpute.key(december, Settings())  # a new model: redone once


def test_reimpute_runs_as_a_job_and_rewrites_nothing_unchanged(kb, sample_zip):
    kb.onet.load(sample_zip)
    kb.enrich.run("missing")
    assert kb.enrich.enqueue_scheduled("reimpute")
    assert not kb.enrich.enqueue_scheduled("reimpute")  # once per imputer version and model
    report = kb.enrich.work()
    assert report.failed == 0
    [job] = [j for j in queue.listed(kb.engine) if j.kind == "reimpute"]
    assert job.status == "done" and job.result["occupations"] == len(kb.onet.lacking_ratings())
    assert job.result["values_written"] == 0  # the same imputer gives the same estimates


def test_a_reimputation_that_left_questions_unanswered_fails_to_be_tried_again(llm_kb, llm_server):
    llm_kb.impute.run([UNRATED], provider="neighbours", domains=["skills"])  # now re-imputed with the model
    llm_server.then(UNRATED, *["refusal"] * 60)
    unanswered = rf"5 questions unanswered; the first: {UNRATED} \w+: no valid answer in 3 attempts: refused"
    with pytest.raises(RuntimeError, match=unanswered):  # the worker records it and queues the job again
        llm_kb.enrich.handlers()["reimpute"](None, None)


def test_stale_web_services_answers_are_fetched_again(api_kb, fake):  # noqa: F811
    import asyncio

    asyncio.run(api_kb.onet.fetch([MISSING]))
    assert schedules.stale_fetched(api_kb.engine, 90) == []
    with api_kb.engine.begin() as connection:  # 91 days pass
        connection.execute(update(OnetApiResponse).values(fetched_at=datetime.now(UTC) - timedelta(days=91)))
    assert schedules.stale_fetched(api_kb.engine, 90) == [MISSING]
    calls = len(fake.log)
    assert api_kb.enrich.enqueue_scheduled("onet-refresh")
    report = api_kb.enrich.work()
    assert report.failed == 0 and len(fake.log) > calls  # asked again, past the cache
    assert schedules.stale_fetched(api_kb.engine, 90) == []
    with TestClient(create_app(api_kb)) as client:
        listed = {entry["name"]: entry for entry in client.get("/schedule").json()}
    assert listed["onet-refresh"]["last_run"]["status"] == "done"
    assert listed["tbs"]["next_run"].startswith(str(datetime.now(UTC).year)[:3])
