"""The llm provider against a real OpenAI-compatible HTTP server on 127.0.0.1: valid structured
answers stored with model, prompt hash, confidence and rationale; every kind of bad answer asked
again and, when it stays bad, reported and never stored; Retry-After honoured; on every backend."""

from __future__ import annotations

import json
import os
import time

import pytest
from typer.testing import CliRunner

from jobforge import KnowledgeBase, llm_client
from jobforge.cli import app
from jobforge.config import Settings
from jobforge.errors import ApiKeyRejectedError, ConfigurationError, InputError, MalformedResponseError
from jobforge.impute.llm_prompt import SCALE_MEANING
from jobforge.impute.matrix import SCALES
from jobforge.llm_client import configured
from jobforge.provenance.read import ValueFilter
from jobforge.provenance.sources import SourceKind
from tests.fakes.openai_compatible import FakeLlm, Status

UNRATED = "15-1252.00"  # Software Developers: no skills or knowledge ratings in 29.3
OTHERS = ["11-1031.00", "11-2032.00", "11-2033.00", "11-3013.01", "11-9039.00", "11-9072.00", "11-9179.00"]
IMPUTED = ValueFilter(sources=frozenset({SourceKind.IMPUTED}))


@pytest.fixture
def fake():
    server = FakeLlm().start()
    yield server
    server.stop()


def llm_settings(fake: FakeLlm, **overrides) -> Settings:
    values = dict(
        onet_api_key="", llm_base_url=fake.base_url, llm_api_key=fake.api_key, llm_model=fake.model,
        llm_rate=200.0, llm_input_price=1.0, llm_output_price=4.0,
    )  # fmt: skip
    return Settings(**{**values, **overrides})


@pytest.fixture
def sample(database_url, sample_zip, fake):
    kb = KnowledgeBase(database_url, settings=llm_settings(fake))
    kb.upgrade()
    kb.onet.load(sample_zip)
    yield kb
    kb.engine.dispose()


def skills(kb, code=UNRATED, value_filter=IMPUTED):
    return {value.attribute: value for value in kb.values.served(code, value_filter, "skills/")}


def test_valid_answers_are_stored_with_model_prompt_hash_and_rationale(sample, fake):
    report = sample.impute.run([UNRATED], provider="llm", domains=["skills"])

    stored = skills(sample)
    assert len(stored) == report.values == 70 and not report.failures
    value = stored["skills/2.A.1.a/LV"]
    assert value.value == FakeLlm.value("2.A.1.a", "LV", 0, 7)
    assert value.confidence == 0.75  # the model said 0.9: capped
    assert value.reference.method == "llm" and value.reference.model == "fake-model"
    assert len(value.reference.prompt_hash) == 64 and value.reference.rationale.startswith("llm (fake-model): ")
    usage = report.usage
    assert (usage.calls, usage.cached, usage.reasked) == (1, 0, 0) and usage.prompt_tokens > 500
    assert usage.cost == pytest.approx((usage.prompt_tokens * 1.0 + usage.completion_tokens * 4.0) / 1e6, abs=1e-4)
    body = fake.requests_for(UNRATED)[0]
    assert body["response_format"]["type"] == "json_schema" and body["response_format"]["json_schema"]["strict"]
    prompt = body["messages"][1]["content"]
    for context in ("Software Developers", "broad group 15-1250", "Computer Programmers", "Tasks:", '"max": 7'):
        assert context in prompt


def test_work_values_are_asked_on_their_own_scale_with_its_meaning(sample, fake):
    report = sample.impute.run([UNRATED], provider="llm", domains=["work_values"])

    stored = {value.attribute: value for value in sample.values.served(UNRATED, IMPUTED, "work_values/")}
    assert len(stored) == report.values == 6 and not report.failures  # extent (EX), not the high points (VH)
    assert stored["work_values/1.B.2.a/EX"].value == FakeLlm.value("1.B.2.a", "EX", 1, 7)
    prompt = fake.requests_for(UNRATED)[0]["messages"][1]["content"]
    assert "EX = Extent, 1 (not at all) to 7" in prompt and '"max": 7' in prompt


def test_every_scale_the_imputer_estimates_is_explained_to_the_model():
    # a scale added to the imputer without a meaning here would fail every prompt that asks it
    assert set(SCALES) <= set(SCALE_MEANING)


def test_every_kind_of_bad_answer_is_asked_again_and_a_bad_one_is_never_stored(sample, fake):
    bad = ["invalid_json", "out_of_range", "unknown_element", "missing_element", "refusal", "truncated",
           "content_filter"]  # fmt: skip
    for code, behaviour in zip(OTHERS, bad):
        fake.then(code, behaviour)
    fake.then(UNRATED, "out_of_range", "bad_confidence", "unknown_element")  # bad three times: given up

    report = sample.impute.run([UNRATED, *OTHERS], provider="llm", domains=["skills"])

    assert len(report.failures) == 1 and str(report.failures[0]).startswith(f"{UNRATED} skills: no valid answer in 3")
    for reason in ("value 8 is outside the scale's 1–5", "confidence 1.5 is outside 0–1", "were not asked for"):
        assert reason in report.failures[0].reason
    assert not skills(sample)  # nothing of the bad answers
    for code in OTHERS:
        stored = skills(sample, code)
        assert len(stored) == 70, code
        assert all(0 <= v.value <= (7 if v.attribute.endswith("LV") else 5) for v in stored.values())
        assert len(fake.requests_for(code)) == 2
    assert report.usage.reasked == len(OTHERS) + 2


def test_an_answer_given_before_is_not_paid_for_twice(sample, fake):
    first = sample.impute.run([UNRATED], provider="llm", domains=["skills"], dry_run=True)
    again = sample.impute.run([UNRATED], provider="llm", domains=["skills"])
    assert first.usage.calls == 1 and (again.usage.calls, again.usage.cached) == (0, 1)
    assert len(fake.log) == 1 and again.written.added == 70
    assert [e.value for e in again.estimates] == [e.value for e in first.estimates]


def test_a_run_stops_asking_at_its_spending_cap_and_a_rerun_goes_on_from_the_cache(sample, fake):
    capped = KnowledgeBase(sample.database_url, settings=llm_settings(fake, llm_max_cost=1e-6, llm_concurrency=1))
    domains = ["skills", "knowledge", "work_values"]

    report = capped.impute.run([UNRATED], provider="llm", domains=domains)
    capped.engine.dispose()

    assert len(fake.log) == report.usage.calls == 1 and report.usage.unasked == 2  # the first call spent the cap
    assert not report.failures and len(report.unasked) == 2 and {q.code for q in report.unasked} == {UNRATED}
    assert report.stopped == (
        "2 of 3 questions not asked: the run reached its spending cap of $1e-06 (JOBFORGE_LLM_MAX_COST); run it "
        "again to go on (the answers already given are cached, not paid for twice)"
    )
    stored = sample.values.served(UNRATED, IMPUTED)
    assert len(stored) == report.values > 0 and len({value.attribute.split("/")[0] for value in stored}) == 1
    again = sample.impute.run([UNRATED], provider="llm", domains=domains)
    assert (again.usage.calls, again.usage.unasked, again.failures, again.stopped) == (2, 0, [], None)
    assert len(fake.log) == 3 and len(sample.values.served(UNRATED, IMPUTED)) == report.values + again.written.added


def test_the_prompt_never_shows_the_estimates_already_made_in_the_domain_asked(sample, fake):
    sample.impute.run([UNRATED], domains=["skills", "knowledge"])  # the neighbours first
    sample.impute.run([UNRATED], provider="llm", domains=["skills"], dry_run=True)

    lines = fake.requests_for(UNRATED)[0]["messages"][1]["content"].splitlines()
    known = [line for line in lines if line.endswith(")") and line.startswith("- ")]
    assert any(line.startswith("- knowledge ") and "(imputed)" in line for line in known)  # another domain's, labelled
    assert not [line for line in known if line.startswith("- skills ")]  # not the answers to copy


def test_a_spending_cap_needs_both_prices():
    settings = Settings(onet_api_key="", llm_model="m", llm_base_url="http://127.0.0.1:9/v1", llm_max_cost=5.0)
    with pytest.raises(ConfigurationError, match="JOBFORGE_LLM_MAX_COST needs JOBFORGE_LLM_INPUT_PRICE"):
        configured(settings, "the llm provider")


def test_a_429_is_waited_out_for_as_long_as_retry_after_says_and_a_500_retried(sample, fake):
    fake.then(UNRATED, Status(429, {"Retry-After": "1"}))
    fake.then(OTHERS[0], Status(500), Status(503))

    report = sample.impute.run([UNRATED, OTHERS[0]], provider="llm", domains=["skills"])

    first, second = fake.times_for(UNRATED)
    assert second - first >= 0.95
    assert not report.failures and report.usage.retries == 3
    assert len(skills(sample)) == len(skills(sample, OTHERS[0])) == 70


def test_a_server_that_stays_overloaded_is_reported_with_nothing_stored(database_url, sample_zip, fake):
    kb = KnowledgeBase(database_url, settings=llm_settings(fake))
    kb.upgrade()
    kb.onet.load(sample_zip)
    fake.then(UNRATED, *[Status(429, {"Retry-After": "120"})])  # longer than the client waits
    report = kb.impute.run([UNRATED], provider="llm", domains=["skills"])
    assert list(map(str, report.failures)) == [f"{UNRATED} skills: {fake.base_url}: the LLM endpoint answered HTTP 429 "
                               "(Retry-After 120 s: longer than this client waits)"]  # fmt: skip
    assert report.values == 0 and report.written is None and not skills(kb)
    kb.engine.dispose()


def test_measured_ratings_are_never_asked_for_and_a_later_o_net_value_wins(sample, fake):
    sample.values.set_value(UNRATED, "skills/2.A.1.a/LV", 4.5, kind=SourceKind.ONET, confidence=0.8, actor="test")
    sample.impute.run([UNRATED], provider="llm", domains=["skills"])
    asked = fake.requests_for(UNRATED)[0]["messages"][1]["content"]
    assert '"element_id": "2.A.1.a", "scale_id": "LV"' not in asked and "IM 4.5" not in asked
    assert "LV 4.5 (onet)" in asked  # a known rating, with its source
    sample.values.set_value(UNRATED, "skills/2.A.1.b/IM", 2.0, kind=SourceKind.ONET, confidence=0.8, actor="test")
    served = skills(sample, value_filter=None)
    assert served["skills/2.A.1.b/IM"].source_kind is SourceKind.ONET
    assert served["skills/2.A.1.c/IM"].reference.method == "llm"


def test_an_assessment_rates_every_skill_level_beside_o_net_without_displacing_it(sample, fake):
    rated = "29-1141.00"
    before = skills(sample, rated, value_filter=None)

    report = sample.impute.run([rated], provider="llm", domains=["skills"], assess=True)

    assert report.values == 35 and report.written.candidates == 35 and report.written.overrides == 0
    assert skills(sample, rated, value_filter=None) == before  # O*NET's values still served
    assessed = skills(sample, rated)
    assert len(assessed) == 35 and all(a.endswith("/LV") for a in assessed)
    assert assessed["skills/2.A.1.a/LV"].reference.rationale.startswith("llm (fake-model)")
    prompt = fake.requests_for(rated)[0]["messages"][1]["content"]
    assert "- skills " not in prompt and "- knowledge " in prompt  # judged afresh, from the rest
    with pytest.raises(InputError, match="--assess"):
        sample.impute.run([rated], provider="neighbours", assess=True)


def loaded(tmp_path, sample_zip, fake) -> str:
    url = f"sqlite:///{tmp_path / 'jf.db'}"
    kb = KnowledgeBase(url, settings=llm_settings(fake))
    kb.upgrade()
    kb.onet.load(sample_zip)
    return url


def test_a_rejected_key_an_unknown_model_or_an_unreadable_body_ends_the_run_with_nothing_stored(
    tmp_path, sample_zip, fake
):
    url = loaded(tmp_path, sample_zip, fake)
    with pytest.raises(ApiKeyRejectedError, match="rejected the key .HTTP 401"):
        KnowledgeBase(url, settings=llm_settings(fake, llm_api_key="sk-wrong")).impute.run([UNRATED], provider="llm")
    with pytest.raises(ConfigurationError, match="no model 'gpt-9'"):
        KnowledgeBase(url, settings=llm_settings(fake, llm_model="gpt-9")).impute.run([UNRATED], provider="llm")
    with pytest.raises(ConfigurationError, match="JOBFORGE_LLM_MODEL"):
        KnowledgeBase(url, settings=llm_settings(fake, llm_model="")).impute.run([UNRATED], provider="llm")
    fake.then(UNRATED, "nested_body")
    with pytest.raises(MalformedResponseError, match="JSON nested too deep"):
        KnowledgeBase(url, settings=llm_settings(fake)).impute.run([UNRATED], provider="llm", domains=["skills"])
    assert not skills(KnowledgeBase(url))


def test_an_answer_too_large_or_a_gzip_bomb_is_refused_unread_with_nothing_stored(
    tmp_path, sample_zip, fake, monkeypatch
):
    monkeypatch.setattr(llm_client, "MAX_ANSWER_BYTES", 100_000)
    kb = KnowledgeBase(loaded(tmp_path, sample_zip, fake), settings=llm_settings(fake))
    fake.then(UNRATED, "huge_body")
    with pytest.raises(MalformedResponseError, match="answers 1,000,015 bytes, more than 100,000"):
        kb.impute.run([UNRATED], provider="llm", domains=["skills"])
    fake.then(UNRATED, "gzip_bomb")
    with pytest.raises(MalformedResponseError, match=r"answered compressed \(gzip\) when asked for the body as it is"):
        kb.impute.run([UNRATED], provider="llm", domains=["skills"])
    assert not skills(kb)


def test_an_answer_sent_a_byte_at_a_time_is_cut_at_the_timeout_and_asked_again(database_url, sample_zip, fake):
    kb = KnowledgeBase(database_url, settings=llm_settings(fake, llm_timeout=0.5))
    kb.upgrade()
    kb.onet.load(sample_zip)
    fake.then(UNRATED, "drip")  # about 10 kB at 50 bytes a second: minutes, if read to the end

    started = time.monotonic()
    report = kb.impute.run([UNRATED], provider="llm", domains=["skills"])

    assert time.monotonic() - started < 10
    assert report.usage.retries == 1 and not report.failures and len(skills(kb)) == 70
    kb.engine.dispose()


def test_the_cli_reports_calls_tokens_and_cost_and_exits_non_zero_on_failures(tmp_path, sample_zip, fake, monkeypatch):
    url = loaded(tmp_path, sample_zip, fake)
    for name, value in {"OPENAI_BASE_URL": fake.base_url, "OPENAI_API_KEY": fake.api_key, "JOBFORGE_LLM_MODEL": fake.model,
                        "JOBFORGE_LLM_INPUT_PRICE": "0.4", "JOBFORGE_LLM_OUTPUT_PRICE": "1.6"}.items():  # fmt: skip
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(
        app, ["--db", url, "impute", UNRATED, "--provider", "llm", "--domain", "skills", "--json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["by_method"] == {"llm": 70} and report["llm"]["calls"] == 1 and report["llm"]["cost"] > 0

    fake.then(OTHERS[0], "refusal", "refusal", "refusal")
    result = CliRunner().invoke(app, ["--db", url, "impute", OTHERS[0], "--provider", "llm", "--domain", "skills"])
    assert result.exit_code == 6, result.output
    assert "no valid answer in 3 attempts: refused: I'm sorry" in result.output
    assert "1 question got no valid answer (nothing of them stored" in result.output

    monkeypatch.setenv("JOBFORGE_LLM_MAX_COST", "0.000001")  # spent by the first call
    monkeypatch.setenv("JOBFORGE_LLM_CONCURRENCY", "1")
    domains = ["--domain", "knowledge", "--domain", "work_values"]
    result = CliRunner().invoke(app, ["--db", url, "impute", OTHERS[1], "--provider", "llm", *domains])
    assert result.exit_code == 6 and "1 was not asked (nothing of them stored" in result.output
    assert "reached its spending cap of $1e-06 (JOBFORGE_LLM_MAX_COST)" in result.output
    result = CliRunner().invoke(app, ["--db", url, "impute", OTHERS[2], "--provider", "llm", *domains, "--json"])
    report = json.loads(result.stdout)
    assert result.exit_code == 6 and report["failures"] == [] and "spending cap" in report["stopped"]
    assert len(report["unasked"]) == report["llm"]["unasked"] == 1 and report["unasked"][0].startswith(OTHERS[2])


@pytest.mark.skipif(not os.environ.get("OPENAI_API_KEY"), reason="live: needs OPENAI_API_KEY (and network)")
def test_live_endpoint_answers_in_the_schema(tmp_path, sample_zip):
    url = f"sqlite:///{tmp_path / 'jf.db'}"
    settings = Settings(onet_api_key="", llm_model=os.environ.get("JOBFORGE_LLM_MODEL", "gpt-4.1-mini"))
    kb = KnowledgeBase(url, settings=settings)
    kb.upgrade()
    kb.onet.load(sample_zip)
    report = kb.impute.run([UNRATED], provider="llm", domains=["skills"])
    assert not report.failures and report.values == 70 and report.usage.prompt_tokens > 0
