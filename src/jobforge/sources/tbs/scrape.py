"""One TBS scrape: fetch and check every page of every language first, then store all of it in
one transaction and write the JSON/CSV files; a failure stores nothing but the run's status."""

from __future__ import annotations

import csv
import json
import os
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx2
from sqlalchemy import Connection, Engine, func, insert, select

from jobforge.errors import JobForgeError, OutputFileError, PageStructureError
from jobforge.output_files import writable_folder
from jobforge.sources.tbs import parse
from jobforge.sources.tbs.crawl import Crawler, Fetched
from jobforge.sources.tbs.parse import Definition, GroupRow
from jobforge.sources.tbs.queries import current_groups
from jobforge.sources.tbs.site import DEFAULT_BASE_URL, GROUPS_PATH, PARSER_VERSION, SECTION_PREFIX
from jobforge.sources.tbs.tables import TbsGroup, TbsPage, TbsRun
from jobforge.spreadsheet_csv import inert


@dataclass
class PageResult:
    fetched: Fetched
    kind: str
    depth: int
    title: str
    extraction: dict
    previous_id: int | None  # the stored version with the same hash, when unchanged


@dataclass
class LanguageResult:
    lang: str
    groups: list[GroupRow]
    definitions: dict[str, Definition]
    pages: list[PageResult] = field(default_factory=list)


@dataclass
class ScrapeReport:
    status: str
    languages: dict[str, dict] = field(default_factory=dict)
    requests: int = 0
    retries: int = 0
    seconds: float = 0.0
    run_id: int | None = None

    def to_json(self) -> dict:
        return asdict(self)


def scrape(
    engine: Engine,
    *,
    languages: tuple[str, ...] = ("en", "fr"),
    depth: int = 2,
    base_url: str = DEFAULT_BASE_URL,
    out_dir: Path | None = None,
    rate: float = 1.0,
    transport: httpx2.BaseTransport | None = None,
) -> ScrapeReport:
    started_at, started = datetime.now(UTC), time.perf_counter()
    if out_dir is not None:  # known now, not after minutes of polite requests
        writable_folder(Path(out_dir))
    crawler = Crawler(base_url, rate=rate, transport=transport)
    results: list[LanguageResult] = []
    try:
        with engine.connect() as connection:
            for lang in languages:
                results.append(_scrape_language(connection, crawler, lang, depth))
    except Exception as error:  # recorded, then re-raised: `tbs status` must never show a stale "ok"
        cause = str(error) if isinstance(error, JobForgeError) else f"{type(error).__name__}: {error}"
        _record_run(engine, languages, depth, base_url, started_at, "failed", cause, crawler.requests, 0)
        raise
    finally:
        crawler.close()
    report = ScrapeReport("ok", requests=crawler.requests, retries=crawler.retries)
    with engine.begin() as connection:
        changed = sum(1 for result in results for page in result.pages if page.previous_id is None)
        run_id = _insert_run(
            connection, languages, depth, base_url, started_at, "ok", None, sum(len(r.pages) for r in results), changed
        )
        for result in results:
            report.languages[result.lang] = _store_language(connection, run_id, result)
    if out_dir is not None:
        try:
            for result in results:
                write_files(engine, result.lang, Path(out_dir))
        except OSError as error:  # a full disk, say: the run is in the database all the same
            problem = f"{error.strerror or error}; the scrape itself is stored, as run {run_id}"
            raise OutputFileError(out_dir, problem) from None
    report.run_id = run_id
    report.seconds = time.perf_counter() - started
    return report


def _scrape_language(connection: Connection, crawler: Crawler, lang: str, depth: int) -> LanguageResult:
    groups_url = crawler.absolute(GROUPS_PATH[lang])
    page = _page(connection, crawler.fetch(groups_url), "groups", 0, lang)
    groups = [
        GroupRow(**{**row, "links": {k: parse.GroupLink(**v) for k, v in row["links"].items()}})
        for row in page.extraction["rows"]
    ]
    result = LanguageResult(lang, groups, {}, [page])
    if depth < 1:
        return result
    targets: dict[str, str] = {}
    for group in groups:
        for kind, link in group.links.items():
            if link.url and crawler.same_host(link.url):
                targets.setdefault(link.url.split("#")[0], kind)
    level_one: dict[str, PageResult] = {}
    for url, kind in targets.items():
        fetched = crawler.fetch(url)
        level_one[url] = _page(connection, fetched, "definitions" if kind == "definition" else "linked", 1, lang)
        result.pages.append(level_one[url])
    for group in groups:
        for kind, link in group.links.items():
            if link.url and link.anchor and link.url.split("#")[0] in level_one:
                anchors = set(level_one[link.url.split("#")[0]].extraction["anchors"])
                if link.anchor not in anchors:
                    raise PageStructureError(
                        link.url,
                        f"expected the anchor '#{link.anchor}' ({group.abbreviation}, {kind}) to exist on its page",
                    )
    for page_result in level_one.values():
        if page_result.kind == "definitions":
            result.definitions = {
                key: Definition(**value) for key, value in page_result.extraction["definitions"].items()
            }
    if depth < 2:
        return result
    seen = set(targets) | {groups_url}
    for page_result in list(level_one.values()):
        for link in page_result.extraction.get("links", []):
            url = link.split("#")[0]
            path = urlsplit(url).path
            if (
                url in seen
                or not crawler.same_host(url)
                or not path.startswith(SECTION_PREFIX[lang])
                or not path.endswith(".html")
            ):
                continue
            seen.add(url)
            result.pages.append(_page(connection, crawler.fetch(url), "linked", 2, lang))
    return result


def _page(connection: Connection, fetched: Fetched, kind: str, depth: int, lang: str) -> PageResult:
    """The page's extraction: reused from the stored version when the content hash is unchanged."""
    previous = connection.execute(
        select(TbsPage.id, TbsPage.sha256, TbsPage.title, TbsPage.extraction)
        .where(TbsPage.url == fetched.url)
        .order_by(TbsPage.id.desc())
        .limit(1)
    ).first()
    if previous is not None and previous.sha256 == fetched.sha256:
        return PageResult(fetched, kind, depth, previous.title, json.loads(previous.extraction), previous.id)
    soup = parse.soup_of(fetched.html, fetched.url, lang)
    if kind == "groups":
        title, rows = parse.parse_groups_page(soup, fetched.url, lang)
        extraction = {"rows": [row.to_json() for row in rows], "anchors": []}
    elif kind == "definitions":
        title, definitions = parse.parse_definitions(soup, fetched.url)
        extraction = {
            "definitions": {k: asdict(v) for k, v in definitions.items()},
            "anchors": sorted(parse.anchors_of(soup)),
            "links": parse.parse_linked_page(soup, fetched.url).links,
        }
    else:
        linked = parse.parse_linked_page(soup, fetched.url)
        title = linked.title
        extraction = {"headings": linked.headings, "links": linked.links, "anchors": sorted(parse.anchors_of(soup))}
    return PageResult(fetched, kind, depth, title, extraction, None)


def _store_language(connection: Connection, run_id: int, result: LanguageResult) -> dict:
    page_ids: dict[str, int] = {}
    for page in result.pages:
        if page.previous_id is not None:
            page_ids[page.fetched.url] = page.previous_id
            continue
        page_ids[page.fetched.url] = connection.execute(
            insert(TbsPage).values(
                run_id=run_id,
                url=page.fetched.url,
                lang=result.lang,
                kind=page.kind,
                depth=page.depth,
                title=page.title[:500],
                sha256=page.fetched.sha256,
                fetched_at=datetime.fromtimestamp(page.fetched.fetched_at, UTC),
                parser_version=PARSER_VERSION,
                extraction=json.dumps(page.extraction, ensure_ascii=False),
            )
        ).inserted_primary_key[0]
    groups_page = result.pages[0]
    definitions_page = next((p for p in result.pages if p.kind == "definitions"), None)
    key_pages_changed = groups_page.previous_id is None or (definitions_page and definitions_page.previous_id is None)
    has_snapshot = connection.scalar(select(func.count()).select_from(TbsGroup).where(TbsGroup.lang == result.lang))
    if key_pages_changed or not has_snapshot:
        rows = []
        for position, group in enumerate(result.groups, start=1):
            anchor = group.links["definition"].anchor if "definition" in group.links else None
            definition = result.definitions.get(anchor) if anchor else None
            rows.append(
                dict(
                    run_id=run_id,
                    groups_page_id=page_ids[groups_page.fetched.url],
                    definitions_page_id=page_ids[definitions_page.fetched.url] if definitions_page else None,
                    lang=result.lang,
                    position=position,
                    abbreviation=group.abbreviation,
                    code=group.code,
                    occupational_group=group.occupational_group,
                    group_name=group.group,
                    subgroup=group.subgroup,
                    definition_title=definition.title if definition else None,
                    definition_text=definition.text if definition else None,
                    inclusions=json.dumps(definition.inclusions if definition else [], ensure_ascii=False),
                    exclusions=json.dumps(definition.exclusions if definition else [], ensure_ascii=False),
                    links=json.dumps({k: asdict(v) for k, v in group.links.items()}, ensure_ascii=False),
                )
            )
        connection.execute(insert(TbsGroup), rows)
    return {
        "pages": len(result.pages),
        "changed": sum(1 for p in result.pages if p.previous_id is None),
        "groups": len(result.groups),
        "definitions": len(result.definitions),
        "new_snapshot": bool(key_pages_changed or not has_snapshot),
    }


def _insert_run(
    connection: Connection, languages, depth, base_url, started_at, status, message, fetched, changed
) -> int:
    return connection.execute(
        insert(TbsRun).values(
            languages=",".join(languages),
            depth=depth,
            base_url=base_url[:300],
            started_at=started_at,
            finished_at=datetime.now(UTC),
            status=status,
            message=message,
            pages_fetched=fetched,
            pages_changed=changed,
        )
    ).inserted_primary_key[0]


def _record_run(engine: Engine, *args) -> None:
    with engine.begin() as connection:
        _insert_run(connection, *args)


def write_files(engine: Engine, lang: str, out_dir: Path) -> None:
    """groups.LANG.json/.csv and definitions.LANG.json/.csv from the current snapshot, each
    written to a temporary name and renamed, so a reader never sees half a file. `out_dir` was
    made (and checked) by `scrape` before its first request."""
    groups = current_groups(engine, lang)
    _atomic_json(out_dir / f"groups.{lang}.json", [g.model_dump() for g in groups])
    _atomic_csv(
        out_dir / f"groups.{lang}.csv",
        [
            {
                **{
                    k: v
                    for k, v in g.model_dump().items()
                    if k not in ("links", "definition", "inclusions", "exclusions")
                },
                **{f"{kind}_url": link.get("url") for kind, link in g.links.items()},
                **{f"{kind}_available": link.get("available") for kind, link in g.links.items()},
            }
            for g in groups
        ],
    )
    definitions = [
        {
            "abbreviation": g.abbreviation,
            "subgroup": g.subgroup,
            "title": g.definition_title,
            "text": g.definition,
            "inclusions": g.inclusions,
            "exclusions": g.exclusions,
        }
        for g in groups
        if g.definition_title
    ]
    _atomic_json(out_dir / f"definitions.{lang}.json", definitions)
    _atomic_csv(
        out_dir / f"definitions.{lang}.csv",
        [
            {**d, "inclusions": " | ".join(d["inclusions"]), "exclusions": " | ".join(d["exclusions"])}
            for d in definitions
        ],
    )


def _atomic_json(path: Path, data) -> None:
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(temporary, path)


def _atomic_csv(path: Path, rows: list[dict]) -> None:
    temporary = path.with_suffix(path.suffix + ".tmp")
    with temporary.open("w", encoding="utf-8", newline="") as handle:
        if rows:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows({key: inert(value) for key, value in row.items()} for row in rows)
    os.replace(temporary, path)
