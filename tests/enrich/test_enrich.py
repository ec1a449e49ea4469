"""Enrichment end to end on every backend: what is missing is filled in order (Web Services
against the local fake, then the imputer), a second run repeats nothing, a run that died is
resumed without duplicating a value, and the changes that need enrichment enqueue it."""

from __future__ import annotations

import json
import socket
import subprocess
import sys

from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from typer.testing import CliRunner

from jobforge.api import create_app
from jobforge.cli import app
from jobforge.jobs import queue
from jobforge.jobs.tables import Job
from jobforge.provenance.value_tables import AttributeValue
from jobforge.roles.access import Access, Caller
from jobforge.roles.models import RoleIn
from tests.fakes.onet_web import Fault
from tests.impute.test_llm import UNRATED
from tests.sources.onet.conftest import MISSING, api_kb, fake  # noqa: F401  (fixtures)

runner = CliRunner()


def imputed_values(kb) -> int:
    with kb.engine.connect() as connection:
        return connection.scalar(
            select(func.count()).select_from(AttributeValue).where(AttributeValue.source_kind == "imputed")
        )


def test_missing_ratings_are_imputed_once_and_a_second_run_repeats_nothing(kb, sample_zip):
    kb.onet.load(sample_zip)
    lacking = kb.onet.lacking_ratings()
    assert lacking
    first = kb.enrich.run("missing")
    assert first.before.kinds["occupations"].share("skills") < 1
    skills = first.after.kinds["occupations"].fields["skills"]
    assert first.after.kinds["occupations"].share("skills") == 1.0
    assert skills.by_source["imputed"] == len(lacking)  # each value's source visible
    assert first.imputed_occupations == len(lacking) and first.values_written > 0
    written = imputed_values(kb)
    second = kb.enrich.run("missing")
    assert second.values_written == 0 and second.skipped_done == len(lacking)
    assert imputed_values(kb) == written


def test_web_services_first_then_the_imputer_and_no_call_the_second_time(api_kb, fake):  # noqa: F811
    lacking = api_kb.onet.lacking_ratings()
    report = api_kb.enrich.run("missing")
    assert report.fetched == [MISSING]  # the fake knows it; the others are imputed
    urls = {path for _when, path in fake.log}
    assert report.fetch_calls == len(urls) > 0  # calls = unique URLs needed
    skills = report.after.kinds["occupations"].fields["skills"].by_source
    assert skills["imputed"] == len(lacking) - 1  # Web Services' answer served where it came, the imputer elsewhere
    assert skills["onet"] == report.before.kinds["occupations"].fields["skills"].by_source["onet"] + 1
    calls = len(fake.log)
    again = api_kb.enrich.run("missing")
    assert len(fake.log) == calls and again.fetch_calls == 0 and again.values_written == 0


def dead_worker() -> str:
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    return f"{socket.gethostname()}:{finished.pid}:1"


def past_its_backoff(kb, step: str, code: str) -> None:
    """The step's job due now, as if the wait after its failure were over."""
    with kb.engine.begin() as connection:
        connection.execute(update(Job).where(Job.key.like(f"{step}:onet:{code}:%")).values(run_after=queue.now()))


def test_a_fetch_that_failed_is_taken_up_again_by_a_worker(api_kb, fake):  # noqa: F811
    fake.fail(f"/online/occupations/{MISSING}", Fault(200, body="<html>maintenance</html>"))  # not JSON, once
    report = api_kb.enrich.run(codes=[MISSING])
    assert MISSING in report.fetch_errors and report.fetched == []
    assert api_kb.values.served(MISSING, None, "skills/2.A.1.a/LV")[0].source_kind.value == "imputed"  # meanwhile
    past_its_backoff(api_kb, "fetch", MISSING)
    worked = api_kb.enrich.work()  # the fetch step, and the enrichment the release load queued
    assert (worked.failed, worked.retried) == (0, 0), worked.errors
    with api_kb.engine.connect() as connection:
        assert connection.scalar(select(Job.status).where(Job.key.like(f"fetch:onet:{MISSING}:%"))) == "done"
    assert api_kb.values.served(MISSING, None, "skills/2.A.1.a/LV")[0].source_kind.value == "onet"  # replaces it


def test_a_run_that_died_holding_its_jobs_is_resumed_and_writes_each_value_once(kb, sample_zip):
    kb.onet.load(sample_zip)
    lacking = kb.onet.lacking_ratings()
    partial = kb.enrich.run(codes=lacking[:2])  # a first run finished two occupations
    with kb.engine.begin() as connection:
        run = connection.scalar(select(func.max(Job.key)))
    run_id = run.rsplit(":run", 1)[1]
    keys = [f"impute:onet:{code}:run{run_id}" for code in lacking]
    with kb.engine.begin() as connection:
        for code, key in zip(lacking, keys):
            queue.enqueue(connection, "impute", key, {"code": code})
    held = queue.claim(kb.engine, dead_worker(), len(keys), keys=keys)  # then died holding the rest
    assert len(held) == len(lacking) - 2
    resumed = kb.enrich.run("missing")
    assert resumed.skipped_done == 2 and resumed.imputed_occupations == len(lacking) - 2
    assert queue.counts(kb.engine)["done"] == len(lacking) and queue.counts(kb.engine)["running"] == 0
    with kb.engine.connect() as connection:
        duplicated = connection.execute(
            select(AttributeValue.entity, AttributeValue.attribute)
            .where(AttributeValue.source_kind == "imputed", AttributeValue.replaced_at.is_(None))
            .group_by(AttributeValue.entity, AttributeValue.attribute)
            .having(func.count() > 1)
        ).all()
    assert duplicated == [] and partial.values_written > 0


def test_a_release_load_and_a_code_approval_enqueue_enrichment_that_a_worker_drains(kb, sample_zip):
    kb.onet.load(sample_zip)
    [job] = queue.listed(kb.engine)
    assert job.kind == "enrich" and job.key.startswith("enrich:missing:run") and job.status == "queued"
    admin = Caller("acme", Access.ADMIN, "test")
    kb.roles.create_organisation("acme", "Acme")
    role = kb.roles.create(admin, RoleIn(title="Developer", initial_code="15-1252.00"), suggest=False)
    kb.roles.approve(admin, role.id, kb.roles.suggestions(admin, role.id)[0].id)
    assert {j.key.split(":run")[0] for j in queue.listed(kb.engine, "queued")} == {"enrich:missing",
                                                                                    "enrich:15-1252.00"}  # fmt: skip
    report = kb.enrich.work()
    assert report.done >= 2 and report.failed == 0
    assert kb.enrich.coverage().kinds["occupations"].share("skills") == 1.0
    assert kb.enrich.coverage().kinds["roles"].fields["skills"].by_source == {"imputed": 1}


def test_the_cli_and_the_api_show_coverage_and_jobs(kb, sample_zip, tmp_path):
    kb.onet.load(sample_zip)
    url = kb.database_url
    assert runner.invoke(app, ["--db", url, "enrich"]).exit_code == 2  # nothing named
    assert runner.invoke(app, ["--db", url, "enrich", "--all", "--missing"]).exit_code == 2
    unknown = runner.invoke(app, ["--db", url, "enrich", "99-9999.00"])
    assert unknown.exit_code != 0 and "99-9999.00" in unknown.output
    page = tmp_path / "coverage.html"
    shown = runner.invoke(app, ["--db", url, "coverage", "--json", "--html", str(page)])
    assert shown.exit_code == 0, shown.output
    figures = json.loads(shown.stdout)
    assert figures["occupations"]["total"] == 193 and "<svg" in page.read_text()
    into_a_folder = runner.invoke(app, ["--db", url, "coverage", "--html", str(tmp_path)])
    assert into_a_folder.exit_code == 2 and "cannot be written (Is a directory)" in " ".join(
        into_a_folder.output.split()
    )
    worked = runner.invoke(app, ["--db", url, "worker", "--drain"])
    assert worked.exit_code == 0, worked.output
    listed = json.loads(runner.invoke(app, ["--db", url, "jobs", "--json"]).stdout)
    assert listed["counts"]["done"] >= 1
    with TestClient(create_app(kb)) as client:
        coverage = client.get("/coverage").json()
        assert coverage["occupations"]["fields"]["skills"]["share"] == 1.0
        assert client.get("/jobs", params={"status": "done"}).json()["counts"]["done"] >= 1
        assert client.get("/jobs", params={"status": "lost"}).status_code == 400
        page = client.get("/data/coverage", headers={"Accept": "text/html"})
        assert page.status_code == 200 and "<svg" in page.text


def test_with_a_model_set_the_llm_imputes_through_structured_outputs(llm_kb, llm_server):
    report = llm_kb.enrich.run(codes=[UNRATED])
    assert report.provider == "llm" and report.values_written > 0
    assert llm_server.requests_for(UNRATED)  # asked the local OpenAI-compatible endpoint
    value = llm_kb.values.served(UNRATED, None, "skills/2.A.1.a/LV")[0]
    assert value.source_kind.value == "imputed" and value.reference.model == llm_server.model
    assert value.reference.rationale  # confidence and rationale on every value
    asked = len(llm_server.requests_for(UNRATED))
    assert llm_kb.enrich.run(codes=[UNRATED]).values_written == 0 and len(llm_server.requests_for(UNRATED)) == asked


def test_an_occupation_the_llm_left_unanswered_is_not_done_and_a_worker_tries_it_again(
    llm_kb, llm_server, database_url, monkeypatch
):
    kb, server = llm_kb, llm_server
    server.then(UNRATED, *["refusal"] * 60)  # every attempt of every domain asked, twice over
    for name, value in {"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": server.api_key,
                        "JOBFORGE_LLM_MODEL": server.model, "ONET_API_KEY": ""}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    result = runner.invoke(app, ["--db", database_url, "enrich", UNRATED])
    assert result.exit_code == 6, result.output
    assert f"error: {UNRATED}: 5 domains unanswered (" in result.output and "skills" in result.output
    assert "no valid answer in 3 attempts: refused: I'm sorry" in result.output
    assert "1 occupation not fully imputed" in result.output
    step = select(Job).where(Job.key.like(f"impute:onet:{UNRATED}:%"))
    with kb.engine.connect() as connection:
        failed = connection.execute(step).one()
    assert failed.status == "queued" and "refused" in failed.last_error  # not done: to be tried again
    assert not kb.values.served(UNRATED, None, "skills/")

    past_its_backoff(kb, "impute", UNRATED)
    assert kb.enrich.work().retried == 1  # a worker takes the step up: refused again, queued again
    with kb.engine.connect() as connection:
        again = connection.execute(step).one()
        waiting = connection.execute(step.where(Job.status == "queued", Job.run_after > queue.now())).first()
    assert again.attempts == 2 and "refused" in again.last_error and "no handler" not in again.last_error
    assert waiting is not None  # its backoff not over

    server.script.clear()  # the endpoint answers again, while the step still waits out its backoff
    rerun = kb.enrich.run(codes=[UNRATED])  # asked for now: tried now
    assert rerun.impute_errors == {} and rerun.values_written > 0
    with kb.engine.connect() as connection:
        assert connection.execute(step).one().status == "done"
    assert kb.values.served(UNRATED, None, "skills/2.A.1.a/LV")[0].source_kind.value == "imputed"
    assert kb.enrich.run(codes=[UNRATED]).skipped_done == 1  # a later run repeats nothing


def test_a_server_started_with_a_worker_runs_the_jobs_a_release_load_queued(tmp_path, sample_zip):
    import time

    import httpx2

    from jobforge.api.server_process import running_server
    from tests.conftest import offline_kb

    url = f"sqlite:///{tmp_path / 'served.db'}"
    kb = offline_kb(url)
    kb.upgrade()
    kb.onet.load(sample_zip)  # queues the enrichment of what the release lacks
    assert queue.counts(kb.engine)["queued"] == 1
    with running_server(url, options=("--worker",)) as (base, _process, _seconds):
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            counts = httpx2.get(f"{base}/jobs").json()["counts"]
            if counts["queued"] == counts["running"] == 0:
                break
            time.sleep(0.5)
    assert counts["failed"] == 0 and counts["done"] >= 1
    assert kb.enrich.coverage().kinds["occupations"].share("skills") == 1.0
    kb.engine.dispose()
