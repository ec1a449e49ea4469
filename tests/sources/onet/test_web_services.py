"""The O*NET Web Services client against a real local HTTP server serving v2-shaped answers and faults."""

from __future__ import annotations

import asyncio
import json
import os

import pytest
from sqlalchemy import func, select

from jobforge.config import Settings
from jobforge.errors import ConfigurationError
from jobforge.knowledge_base import KnowledgeBase
from jobforge.provenance.tables import LoadFile, LoadRun
from jobforge.sources.onet import tables as t
from tests.fakes.onet_web import Fault

# 15-1252.00 (Software Developers) has no ratings in O*NET 29.3. The fake serves it the real
from tests.sources.onet.conftest import MISSING, fetch


def stored_ratings(kb, code):
    """Ratings of the fetched domains (the sample already has the occupation's interests)."""
    with kb.engine.connect() as connection:
        return connection.scalar(
            select(func.count())
            .select_from(t.OccupationRating)
            .where(
                t.OccupationRating.soc_code == code, t.OccupationRating.domain.in_(("skills", "knowledge", "abilities"))
            )
        )


def test_fetch_stores_ratings_with_url_provenance_and_answers_a_skill_gap(api_kb, fake):
    report = fetch(api_kb, [MISSING])

    assert report.stored == [MISSING] and not report.failed
    expected = len(fake.rows[("skills", MISSING)]) + len(fake.rows[("knowledge", MISSING)])
    assert report.ratings_stored == stored_ratings(api_kb, MISSING) == expected
    with api_kb.engine.connect() as connection:
        files = connection.execute(
            select(LoadFile.file_name, LoadRun.source)
            .join(LoadRun, LoadRun.id == LoadFile.load_run_id)
            .join(t.OccupationRating, t.OccupationRating.load_file_id == LoadFile.id)
            .where(t.OccupationRating.soc_code == MISSING, t.OccupationRating.domain == "skills")
            .distinct()
        ).all()
    assert {source for _name, source in files} == {"onet_api"}
    assert any("/database/rows/skills" in name and "o_net_soc_code.eq.15-1252.00" in name for name, _ in files)
    gap = api_kb.careers.skill_gap("11-1011.00", MISSING)
    assert gap.to_occupation_title == "Software Developers" and gap.skill_gaps
    # The same values went through the value store, each citing its URL and retrieval time.
    values = api_kb.values.served(MISSING, attribute_prefix="skills/")
    assert len(values) == len(fake.rows[("skills", MISSING)])
    reference = values[0].reference
    assert reference.method == "O*NET Web Services v2" and reference.retrieved_at is not None
    assert reference.url.startswith(fake.base_url) and "/database/rows/skills" in reference.url
    assert api_kb.values.served(MISSING, attribute_prefix="title")[0].value == "Software Developers"


def test_second_run_makes_no_calls_and_refresh_makes_them_again(api_kb, fake):
    first = fetch(api_kb, [MISSING])
    seen = len(fake.log)

    second = fetch(api_kb, [MISSING])
    assert (second.calls, second.cache_hits) == (0, first.calls) and len(fake.log) == seen

    third = fetch(api_kb, [MISSING], refresh=True)
    assert third.calls == first.calls and len(fake.log) == seen + first.calls


def test_429_waits_for_retry_after_then_succeeds(api_kb, fake):
    fake.fail("/database/rows/skills", Fault(429, {"Retry-After": "1"}))

    report = fetch(api_kb, [MISSING])

    assert report.stored == [MISSING] and report.retries == 1
    times = [when for when, path in fake.log if path.startswith("/database/rows/skills")]
    assert len(times) == 2 and times[1] - times[0] >= 0.95


def test_server_error_then_success_is_retried(api_kb, fake):
    fake.fail("/database/rows/knowledge", Fault(500), Fault(503))

    report = fetch(api_kb, [MISSING])

    assert report.stored == [MISSING] and report.retries == 2
    assert fake.requests_to("/database/rows/knowledge") == 3


def test_timeout_is_retried(api_kb, fake):
    fake.fail("/online/occupations", Fault(delay=1.5))

    report = fetch(api_kb, [MISSING], timeout=0.5)

    assert report.stored == [MISSING] and report.retries == 1


def test_rejected_key_is_reported_once_without_retries_and_stores_nothing(api_kb, fake):
    fake.api_key = "another-key"

    report = fetch(api_kb, [MISSING])

    assert report.stored == [] and "rejected the API key (HTTP 403)" in report.failed[MISSING]
    assert report.retries == 0 and len(fake.log) == 1
    assert stored_ratings(api_kb, MISSING) == 0


@pytest.mark.parametrize(
    ("body", "said"),
    [("{'row': [oops", "not JSON"), ('{"row": ' + "[" * 200_000 + "]" * 200_000 + "}", "nested too deep")],
)
def test_malformed_json_names_the_url_and_stores_nothing(api_kb, fake, body, said):
    fake.fail("/database/rows/knowledge", Fault(200, body=body))

    report = fetch(api_kb, [MISSING])

    assert report.stored == [] and "/database/rows/knowledge" in report.failed[MISSING]
    assert said in report.failed[MISSING]
    assert stored_ratings(api_kb, MISSING) == 0
    with api_kb.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(LoadRun).where(LoadRun.source == "onet_api")) == 0


def test_paged_results_are_followed_to_the_end(api_kb, fake):
    fake.page_size = 10

    report = fetch(api_kb, [MISSING])

    pages = -(-len(fake.rows[("skills", MISSING)]) // 10)
    assert fake.requests_to("/database/rows/skills") == pages > 1
    assert report.ratings_stored == len(fake.rows[("skills", MISSING)]) + len(fake.rows[("knowledge", MISSING)])


def test_unknown_occupation_is_absent_not_an_error_of_the_client(api_kb, fake):
    report = fetch(api_kb, ["15-9999.00"])

    assert report.failed == {"15-9999.00": "O*NET Web Services knows no occupation 15-9999.00"}
    assert report.retries == 0 and report.failures == 0


def test_request_rate_seen_by_the_server_respects_the_limit(api_kb, fake):
    limited = KnowledgeBase(
        api_kb.database_url,
        engine=api_kb.engine,
        settings=Settings(onet_api_key=fake.api_key, onet_api_base_url=fake.base_url, onet_api_rate=4),
    )

    fetch(limited, [MISSING, "15-1299.08"], max_concurrency=8)

    times = sorted(when for when, _path in fake.log)
    assert len(times) == 11  # two summaries, six rating listings, and each table's information once
    # aiolimiter lets one second's worth (4) through at once, then one every 0.25 s; unlimited,
    # all 11 would arrive within a few milliseconds.
    assert sum(1 for t in times if t - times[0] < 0.2) <= 4
    assert times[-1] - times[0] >= 1.6


def test_without_a_key_the_client_says_how_to_configure_one(kb):
    keyless = KnowledgeBase(kb.database_url, engine=kb.engine, settings=Settings(onet_api_key=""))
    with pytest.raises(ConfigurationError, match="set ONET_API_KEY"):
        asyncio.run(keyless.onet.fetch([MISSING]))


@pytest.mark.skipif(not os.environ.get("ONET_API_KEY"), reason="live test: needs ONET_API_KEY")
def test_live_fetch_from_o_net_web_services(kb, sample_zip):
    kb.onet.load(sample_zip)
    live = KnowledgeBase(kb.database_url, engine=kb.engine, settings=Settings())
    report = asyncio.run(live.onet.fetch([MISSING]))
    assert report.stored == [MISSING] and report.ratings_stored > 0


def test_api_fetches_on_demand_what_local_data_lacks(api_kb, fake):
    from fastapi.testclient import TestClient

    from jobforge.api import create_app

    with TestClient(create_app(api_kb)) as client:
        response = client.get("/skill-gap", params={"from": "11-1011.00", "to": MISSING})
        again = client.get("/skill-gap", params={"from": "11-1011.00", "to": MISSING})
    assert response.status_code == 200 and response.json()["result"]["skill_gaps"]
    assert again.json() == response.json()
    assert fake.requests_to("/database/rows/skills") == 1


def test_api_without_a_key_says_how_to_get_the_missing_data(kb, sample_zip):
    from fastapi.testclient import TestClient

    from jobforge.api import create_app

    kb.onet.load(sample_zip)
    keyless = KnowledgeBase(kb.database_url, engine=kb.engine, settings=Settings(onet_api_key=""))
    with TestClient(create_app(keyless)) as client:
        response = client.get("/skill-gap", params={"from": "11-1011.00", "to": MISSING})
    assert response.status_code == 404
    assert "has no skills ratings" in response.json()["message"] and "ONET_API_KEY" in response.json()["message"]


def _skill_gap_to_missing(kb):
    from fastapi.testclient import TestClient

    from jobforge.api import create_app

    with TestClient(create_app(kb)) as client:
        return client.get("/skill-gap", params={"from": "11-1011.00", "to": MISSING})


def test_on_demand_fetch_that_fails_transiently_answers_503_with_retry_after(api_kb, fake):
    fake.fail("/online/occupations", *[Fault(503, {"Retry-After": "0"})] * 5, Fault(503, {"Retry-After": "7"}))

    response = _skill_gap_to_missing(api_kb)

    assert response.status_code == 503 and response.headers["Retry-After"] == "7"
    assert "O*NET Web Services" in response.json()["message"] and "HTTP 503" in response.json()["message"]


def test_on_demand_fetch_with_a_rejected_key_answers_502_saying_so(api_kb, fake):
    rejected = KnowledgeBase(
        api_kb.database_url,
        engine=api_kb.engine,
        settings=Settings(onet_api_key="not-the-key", onet_api_base_url=fake.base_url, onet_api_rate=50),
    )

    response = _skill_gap_to_missing(rejected)

    assert response.status_code == 502 and "rejected the API key" in response.json()["message"]


def test_on_demand_fetch_of_an_occupation_o_net_lacks_stays_404(api_kb, fake):
    del fake.occupations[MISSING]

    response = _skill_gap_to_missing(api_kb)

    assert response.status_code == 404 and "knows no occupation" in response.json()["message"]


def test_cli_skill_gap_fetches_on_demand_too(api_kb, fake):
    from typer.testing import CliRunner

    from jobforge.cli import app

    result = CliRunner().invoke(
        app,
        ["--db", api_kb.database_url, "skill-gap", "11-1011.00", MISSING, "--json"],
        env={"ONET_API_KEY": fake.api_key, "ONET_API_BASE_URL": fake.base_url},
    )

    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["to_occupation_title"] and fake.requests_to("/database/rows/skills") == 1


def test_a_public_server_does_not_spend_the_key_on_anonymous_reads_unless_told(api_kb, fake):
    from fastapi.testclient import TestClient

    from jobforge.api import create_app

    with TestClient(create_app(api_kb, public=True)) as client:
        refused = client.get("/skill-gap", params={"from": "11-1011.00", "to": MISSING})
    assert refused.status_code == 404 and "JOBFORGE_ON_DEMAND_FETCH" in refused.json()["message"]
    assert fake.requests_to("/") == 0

    told = KnowledgeBase(
        api_kb.database_url, engine=api_kb.engine, settings=api_kb.settings.model_copy(update={"on_demand_fetch": "on"})
    )
    with TestClient(create_app(told, public=True)) as client:
        assert client.get("/skill-gap", params={"from": "11-1011.00", "to": MISSING}).status_code == 200


def test_the_cli_serves_publicly_only_beyond_loopback():
    from jobforge.cli.serve import _loopback

    assert _loopback("127.0.0.1") and _loopback("::1") and _loopback("localhost")
    assert not _loopback("0.0.0.0") and not _loopback("192.0.2.1") and not _loopback("jobforge.example")
