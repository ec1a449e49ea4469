"""The Web Services client cannot be led astray: other hosts, loops, long waits, slow or huge answers, a
filter the service refuses, an occupation it has not rated. Against the real fake server."""

from __future__ import annotations

import asyncio
import time

from jobforge.errors import MalformedResponseError, NotFoundError, SourceUnavailableError
from jobforge.knowledge_base import KnowledgeBase
from jobforge.sources.onet import web_client
from tests.fakes.onet_web import FakeOnet, Fault
from tests.sources.onet.conftest import MISSING, fetch


def failure(kb: KnowledgeBase, code: str = MISSING) -> Exception:
    report = fetch(kb, [code])
    assert report.stored == [] and code in report.errors
    return report.errors[code]


def test_a_next_link_to_another_host_is_not_followed_and_the_key_stays_home(api_kb, fake):
    elsewhere = FakeOnet(api_key="someone-elses").start()
    try:
        fake.next_links["skills"] = f"{elsewhere.base_url}database/rows/skills?start=2001"
        error = failure(api_kb)
    finally:
        elsewhere.stop()
    assert isinstance(error, MalformedResponseError) and "not followed" in str(error)
    assert elsewhere.log == []


def test_a_next_link_that_loops_is_an_error_not_a_hang(api_kb, fake):
    fake.next_links["skills"] = (
        f"{fake.base_url}database/rows/skills?end=2000&filter=o_net_soc_code.eq.{MISSING}&start=1"
    )
    started = time.perf_counter()
    error = failure(api_kb)
    assert isinstance(error, MalformedResponseError) and "already read (a loop)" in str(error)
    assert time.perf_counter() - started < 10


def test_a_retry_after_beyond_the_cap_is_reported_at_once_with_its_value(api_kb, fake):
    fake.fail("/online/occupations", Fault(429, {"Retry-After": "100000"}))
    started = time.perf_counter()
    error = failure(api_kb)
    assert isinstance(error, SourceUnavailableError) and error.retry_after == 100000
    assert "longer than this client waits" in str(error) and time.perf_counter() - started < 5
    assert fake.requests_to("/online/occupations") == 1


def test_a_fetch_has_an_overall_deadline(api_kb, fake, monkeypatch):
    monkeypatch.setattr(web_client, "FETCH_DEADLINE", 1.0)
    fake.fail("/online/occupations", *[Fault(503, {"Retry-After": "0.9"})] * 10)  # six attempts: 5.4 s
    started = time.perf_counter()
    error = failure(api_kb)
    assert isinstance(error, SourceUnavailableError) and time.perf_counter() - started < 3


def test_an_answer_sent_a_byte_at_a_time_is_not_waited_for_beyond_the_deadline(api_kb, fake, monkeypatch):
    monkeypatch.setattr(web_client, "FETCH_DEADLINE", 1.0)
    fake.drip["/online/occupations"] = 0.05  # a few hundred bytes: half a minute, if read to the end
    started = time.perf_counter()
    error = failure(api_kb)
    assert isinstance(error, SourceUnavailableError) and "still arriving after 1 s" in str(error)
    assert time.perf_counter() - started < 5


def test_an_answer_larger_than_the_cap_is_refused(api_kb, fake, monkeypatch):
    monkeypatch.setattr(web_client, "MAX_RESPONSE_BYTES", 4096)
    fake.occupations[MISSING]["description"] = "x" * 10_000
    error = failure(api_kb)
    assert isinstance(error, MalformedResponseError) and "more than 4,096" in str(error)


def test_the_filter_column_is_the_one_the_table_information_names(api_kb, fake):
    fake.soc_column = "onetsoc_code"
    report = fetch(api_kb, [MISSING])
    assert report.stored == [MISSING] and report.ratings_stored > 0
    assert fake.requests_to("filter=onetsoc_code.eq.") == 3 and fake.requests_to("/database/info/") == 3


def test_a_refused_listing_is_an_error_not_an_occupation_without_ratings(api_kb, fake):
    fake.fail("/database/rows/skills", Fault(422, body='{"error": "Invalid filter"}'))
    error = failure(api_kb)
    assert isinstance(error, MalformedResponseError) and "HTTP 422" in str(error)


def test_an_occupation_the_service_has_not_rated_is_not_stored_as_fetched(api_kb, fake):
    for table in ("skills", "knowledge", "abilities"):
        fake.rows[(table, MISSING)] = []
    error = failure(api_kb)
    assert isinstance(error, NotFoundError) and "no skills, knowledge, abilities ratings" in str(error)


def test_cached_pages_still_let_the_event_loop_run(api_kb, fake):
    fake.page_size = 10
    fetch(api_kb, [MISSING])  # every page now cached, several of them per table

    async def both():
        ticks = 0

        async def tick():
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0)

        ticker = asyncio.create_task(tick())
        async with api_kb.onet.client() as client:
            await client.pages("database/rows/skills", {"filter": f"o_net_soc_code.eq.{MISSING}"}, "row")
        ticker.cancel()
        return ticks

    assert asyncio.run(both()) > 3
