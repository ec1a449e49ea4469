"""The TBS scraper against a local copy of the site: complete extraction, versions, loud failure."""

from __future__ import annotations

import json
import os
import time

import pytest
from sqlalchemy import func, select

from jobforge.errors import (
    InputError,
    InvalidCodeError,
    NotFoundError,
    OutputFileError,
    PageStructureError,
    SourceUnavailableError,
)
from jobforge.sources.tbs import queries
from jobforge.sources.tbs.crawl import Crawler
from jobforge.sources.tbs.site import GROUPS_PATH
from jobforge.sources.tbs.tables import TbsGroup, TbsPage
from tests.fakes.tbs_site import DEFINITIONS_PATH, Page, build_site


@pytest.fixture
def site():
    server = build_site().start()
    yield server
    server.stop()


def run(kb, site, tmp_path, **options):
    options.setdefault("languages", ("en",))
    return kb.tbs.scrape(base_url=site.base_url, out_dir=tmp_path / "tbs", rate=0, **options)


def snapshot_state(kb, tmp_path) -> tuple:
    with kb.engine.connect() as connection:
        groups = connection.scalar(select(func.count()).select_from(TbsGroup))
        pages = connection.scalar(select(func.count()).select_from(TbsPage))
    files = {p.name: p.read_bytes() for p in (tmp_path / "tbs").glob("*")} if (tmp_path / "tbs").exists() else {}
    return groups, pages, [g.model_dump() for g in queries.current_groups(kb.engine, "en")], files


def test_all_217_english_rows_with_every_link_resolved_and_definitions(kb, site, tmp_path):
    report = run(kb, site, tmp_path, depth=1)

    groups = queries.current_groups(kb.engine, "en")
    assert report.languages["en"]["groups"] == len(groups) == 217
    links = [link for g in groups for link in g.links.values() if link["url"]]
    assert len(links) == 1288 and all(link["url"].startswith(site.base_url + "/") for link in links)
    ai = [g for g in groups if g.abbreviation == "AI"]
    assert [g.subgroup for g in ai] == [None, "Non-Operational (AI-NOP)", "Operational (AI-OPS)"][: len(ai)]
    assert ai[0].definition_title == "Air Traffic Control (AI) Group Definition"
    assert ai[0].inclusions and ai[0].exclusions and ai[0].links["definition"]["anchor"] == "def-ai"
    assert ai[0].source_url.endswith(GROUPS_PATH["en"]) and len(ai[0].content_sha256) == 64
    with_definitions = [g for g in groups if g.links["definition"]["anchor"]]
    assert all(g.definition_title for g in with_definitions)
    saved = json.loads((tmp_path / "tbs" / "groups.en.json").read_text(encoding="utf-8"))
    assert len(saved) == 217 and (tmp_path / "tbs" / "groups.en.csv").exists()
    assert (tmp_path / "tbs" / "definitions.en.csv").exists()


def test_french_pages_are_scraped_and_stored_separately(kb, site, tmp_path):
    report = run(kb, site, tmp_path, languages=("en", "fr"), depth=1)

    french = queries.current_groups(kb.engine, "fr")
    assert report.languages["fr"]["groups"] == len(french) == 217
    assert "/fr/secretariat-conseil-tresor/" in french[0].links["definition"]["url"]
    assert json.loads((tmp_path / "tbs" / "groups.fr.json").read_text(encoding="utf-8"))[0]["abbreviation"] == "AI"


def test_two_levels_follow_links_within_the_section_only(kb, site, tmp_path):
    report = run(kb, site, tmp_path, depth=2)

    assert report.languages["en"]["pages"] == 250
    assert site.hits["/private/never.html"] == 0
    assert not any("example.invalid" in path for path in site.hits)


def test_rate_limit_and_user_agent_seen_by_the_server(kb, site, tmp_path):
    report = kb.tbs.scrape(languages=("en",), depth=1, base_url=site.base_url, rate=40)

    pages = [t for t in site.times]
    assert report.requests == 80 and (pages[-1] - pages[1]) >= (80 - 1) / 40 * 0.95
    assert all(agent.startswith("JobForge/") for agent in site.agents)


def test_depth_zero_reads_the_groups_page_alone(kb, site, tmp_path):
    report = run(kb, site, tmp_path, depth=0)

    assert report.languages["en"]["pages"] == 1 and report.requests == 1


def test_unchanged_pages_are_not_reparsed_and_a_change_makes_a_new_version(kb, site, tmp_path):
    first = run(kb, site, tmp_path, depth=1)
    again = run(kb, site, tmp_path, depth=1)
    assert again.languages["en"]["changed"] == 0 and not again.languages["en"]["new_snapshot"]

    page = site.pages[DEFINITIONS_PATH["en"]]
    site.pages[DEFINITIONS_PATH["en"]] = Page(
        page.body.replace(
            "The Air Traffic Control Group comprises positions", "The Air Traffic Control Group now comprises positions"
        )
    )
    changed = run(kb, site, tmp_path, depth=1)

    assert changed.languages["en"]["changed"] == 1 and changed.languages["en"]["new_snapshot"]
    versions = queries.history(kb.engine, "AI")
    assert [v["snapshot"] for v in versions] == [first.run_id, changed.run_id]
    assert versions[-1]["changes"] == {"(group)": ["definition"]}
    difference = queries.diff(kb.engine, "en")
    assert list(difference["changed"]) == ["AI"] and difference["added"] == difference["removed"] == []
    assert queries.diff(kb.engine, "en", first.run_id, changed.run_id) == difference
    # a run that made no snapshot (nothing changed) is not one: read as empty, every group looked removed
    with pytest.raises(NotFoundError, match=rf"no TBS snapshot {again.run_id} in 'en'"):
        queries.diff(kb.engine, "en", again.run_id, changed.run_id)
    with pytest.raises(InvalidCodeError, match="language 'xx' is not one of en, fr"):
        queries.diff(kb.engine, "xx", first.run_id, changed.run_id)


def mutate(site, path, old, new):
    site.pages[path] = Page(site.pages[path].body.replace(old, new))


MUTATIONS = {
    "table missing": (
        lambda s: mutate(s, GROUPS_PATH["en"], "<table", "<div"),
        "expected the occupational groups table",
    ),
    "header renamed": (
        lambda s: mutate(s, GROUPS_PATH["en"], ">Qualification standard<", ">Qualification<"),
        "expected the header",
    ),
    "linked page 404": (lambda s: s.pages.pop(DEFINITIONS_PATH["en"]), "HTTP 404"),
    "redirect loop": (
        lambda s: s.pages.update({DEFINITIONS_PATH["en"]: Page("", 302, location=DEFINITIONS_PATH["en"])}),
        "redirect loop",
    ),
    "non-HTML content": (
        lambda s: s.pages.update({DEFINITIONS_PATH["en"]: Page("%PDF-1.7", content_type="application/pdf")}),
        "expected an HTML page",
    ),
    "unexpected language": (
        lambda s: mutate(s, GROUPS_PATH["en"], 'lang="en"', 'lang="de"'),
        "expected a page in 'en'",
    ),
    "anchor gone": (
        lambda s: mutate(s, DEFINITIONS_PATH["en"], 'id="def-ai-nop"', 'id="def-ai-nop-old"'),
        "expected the anchor '#def-ai-nop'",
    ),
    "page too large": (
        lambda s: s.pages.update({DEFINITIONS_PATH["en"]: Page("<html lang='en'>" + "<p>x</p>" * 1_100_000)}),
        "expected a page under 8,388,608 bytes, got 8,800,016",
    ),
    "compressed page too large once expanded": (
        lambda s: s.pages.update({DEFINITIONS_PATH["en"]: Page("<html lang='en'>" + " " * 50_000_000, gzip=True)}),
        "expected a page under 8,388,608 bytes; not read further",
    ),
    "robots.txt forbids": (lambda s: setattr(s, "robots", "User-agent: *\nDisallow: /en/\n"), "robots.txt disallows"),
}


@pytest.mark.parametrize("mutation", sorted(MUTATIONS))
def test_structure_change_fails_loudly_and_keeps_the_last_good_snapshot(kb, site, tmp_path, mutation):
    run(kb, site, tmp_path, depth=1)
    before = snapshot_state(kb, tmp_path)
    apply, expectation = MUTATIONS[mutation]
    apply(site)

    with pytest.raises(PageStructureError) as raised:
        run(kb, site, tmp_path, depth=1)

    assert expectation in str(raised.value) and site.base_url in raised.value.url
    assert snapshot_state(kb, tmp_path) == before
    last = queries.last_run(kb.engine)
    assert last.status == "failed" and expectation in last.message


def test_server_error_then_success_is_retried(kb, site, tmp_path):
    site.faults[DEFINITIONS_PATH["en"]].append(Page("busy", 503))

    report = run(kb, site, tmp_path, depth=1)

    assert report.status == "ok" and report.retries == 1 and site.hits[DEFINITIONS_PATH["en"]] == 2


def test_api_serves_groups_with_provenance_and_the_last_run(kb, site, tmp_path):
    from fastapi.testclient import TestClient

    from jobforge.api import create_app

    run(kb, site, tmp_path, languages=("en", "fr"), depth=1)
    with TestClient(create_app(kb)) as client:
        by_code = client.get("/tbs/groups/402", params={"lang": "fr"}).json()
        listing = client.get("/tbs/groups").json()
        status = client.get("/tbs/status").json()
        missing = client.get("/tbs/groups/ZZ")
    assert by_code[0]["abbreviation"] == "AI" and by_code[0]["page_title"]
    assert len(listing) == 217 and status["status"] == "ok"
    assert missing.status_code == 404 and missing.json()["success"] is False


def test_before_the_first_good_scrape_the_groups_are_not_found_with_why_not_an_empty_table(kb, site, tmp_path):
    from fastapi.testclient import TestClient

    from jobforge.api import create_app

    with TestClient(create_app(kb)) as client:
        never = client.get("/tbs/groups")
        MUTATIONS["robots.txt forbids"][0](site)
        with pytest.raises(PageStructureError):
            run(kb, site, tmp_path, depth=0)
        after_failure = client.get("/tbs/groups/AI", params={"lang": "fr"})
        page = client.get("/tbs-groups")
    assert never.status_code == 404
    assert never.json()["message"] == "no TBS snapshot in 'en' yet: `jobforge tbs scrape --lang en` makes one"
    assert after_failure.status_code == 404
    assert after_failure.json()["message"].startswith("no TBS snapshot in 'fr' yet")
    assert "failed: " in after_failure.json()["message"] and "robots.txt disallows" in after_failure.json()["message"]
    with pytest.raises(NotFoundError, match="no TBS snapshot in 'en' yet"):
        kb.tbs.history("AI")
    assert page.status_code == 200 and "No TBS snapshot yet" in page.text


def test_an_output_folder_that_cannot_be_written_is_refused_before_any_request(kb, site, tmp_path):
    (tmp_path / "tbs").write_text("a file where the folder should be")
    with pytest.raises(OutputFileError, match="tbs: cannot be written .a file is there, not a folder"):
        run(kb, site, tmp_path, depth=0)
    assert sum(site.hits.values()) == 0
    assert queries.last_run(kb.engine) is None


@pytest.mark.skipif(os.environ.get("JOBFORGE_LIVE_TBS") != "1", reason="live test: set JOBFORGE_LIVE_TBS=1")
def test_live_scrape_of_canada_ca(kb, tmp_path):
    report = kb.tbs.scrape(languages=("en",), depth=0, out_dir=tmp_path / "tbs")
    assert report.languages["en"]["groups"] >= 150


def test_an_unexpected_crash_is_recorded_as_a_failed_run_with_its_cause(kb, site, tmp_path, monkeypatch):
    from jobforge.sources.tbs import parse

    def crash(*_args, **_kwargs):
        raise RuntimeError("parser bug")

    monkeypatch.setattr(parse, "parse_groups_page", crash)
    with pytest.raises(RuntimeError):
        run(kb, site, tmp_path, depth=0)

    last = queries.last_run(kb.engine)
    assert last.status == "failed" and last.message == "RuntimeError: parser bug"


def test_an_off_site_redirect_is_refused_before_it_is_followed(kb, site, tmp_path):
    elsewhere = build_site().start()
    try:
        site.pages[DEFINITIONS_PATH["en"]] = Page("", 302, location=f"{elsewhere.base_url}{DEFINITIONS_PATH['en']}")
        with pytest.raises(PageStructureError, match="redirected to"):
            run(kb, site, tmp_path, depth=1)
    finally:
        elsewhere.stop()
    assert sum(elsewhere.hits.values()) == 0


def test_robots_txt_that_errors_means_crawl_nothing_and_the_run_fails(kb, site, tmp_path):
    site.robots_status = 503
    with pytest.raises(SourceUnavailableError, match="RFC 9309"):
        run(kb, site, tmp_path, depth=0)
    assert sum(count for path, count in site.hits.items() if path != "/robots.txt") == 0
    assert queries.last_run(kb.engine).status == "failed"


def test_robots_txt_that_is_missing_means_everything_is_allowed(kb, site, tmp_path):
    site.robots_status = 404
    assert run(kb, site, tmp_path, depth=0).status == "ok"


def test_a_compressed_page_is_read_and_one_that_trickles_past_the_deadline_is_given_up(site):
    site.pages["/en/slow.html"] = Page("<html lang='en'><h1>Slow</h1></html>", drip_seconds=3.0)
    site.pages["/en/zipped.html"] = Page("<html lang='en'><h1>Zipped é</h1></html>", gzip=True)
    crawler = Crawler(site.base_url, rate=0, attempts=1, deadline=1.0)
    assert "Zipped é" in crawler.fetch(site.base_url + "/en/zipped.html").html
    started = time.monotonic()
    with pytest.raises(SourceUnavailableError, match="still arriving after 1 s"):
        crawler.fetch(site.base_url + "/en/slow.html")
    assert time.monotonic() - started < 2.5  # given up at the deadline, not when the page ended


@pytest.mark.parametrize("rate", [-5.0, float("nan")])
def test_a_rate_that_is_not_a_number_of_requests_per_second_is_refused_before_any_request(kb, site, tmp_path, rate):
    with pytest.raises(InputError, match="is not a number of requests per second"):
        kb.tbs.scrape(base_url=site.base_url, out_dir=tmp_path / "tbs", rate=rate)
    assert not site.hits


@pytest.mark.parametrize(
    ("base_url", "said"),
    [
        ("http://[::1", "Invalid IPv6 URL"),
        ("ftp://example.org", "not the http:// or https:// address of a server"),
        ("canada.ca/en", "not the http:// or https:// address of a server"),
        ("http://example.org/" + "a" * 300, "at most 300"),
    ],
)
def test_a_base_url_that_is_no_site_is_refused_before_a_request_or_a_recorded_run(kb, tmp_path, base_url, said):
    with pytest.raises(InputError, match=said):
        kb.tbs.scrape(base_url=base_url, out_dir=tmp_path / "tbs")
    assert kb.tbs.last_run() is None
