"""Fetching what local O*NET data lacks from Web Services, and storing it with its provenance.

For each occupation: its title and description (`/online/occupations/{code}/`) and its LV/IM
ratings with their statistics from the database tables (`/database/rows/{table}`, since the v2
details endpoints give importance only). An occupation is stored only when every part of it
arrived intact, in one transaction; elements the local release already rates are left alone
(same source kind: the release file stays the reference). Stored rows are `onet` rows whose
load record is a `onet_api` run: the load file is the URL, its checksum the body's, and the run's
time is when it was retrieved; confidence follows the same rule as the release files.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date

from sqlalchemy import Engine, and_, exists, insert, select

from jobforge.entities import ONET, onet_soc
from jobforge.errors import JobForgeError, MalformedResponseError, NotFoundError
from jobforge.provenance import loads
from jobforge.provenance.attributes import AttributeKey
from jobforge.provenance.confidence import rating_confidences
from jobforge.provenance.sources import SourceKind
from jobforge.provenance.statements import Assertion, Source
from jobforge.provenance.write import write_values
from jobforge.sources.onet import tables as t
from jobforge.sources.onet.web_client import ApiResponse, OnetWebClient

SOURCE = "onet_api"
WEB_SERVICES = "O*NET Web Services v2"
ACTOR = "jobforge onet fetch"
RATING_TABLES = ("skills", "knowledge", "abilities")
_DATE = re.compile(r"(\d{4})-(\d{2})-\d{2}|(\d{2})/(\d{4})")


@dataclass
class FetchedOccupation:
    code: str
    title: str
    description: str
    ratings: dict[str, list[dict]] = field(default_factory=dict)  # domain -> rows
    responses: list[ApiResponse] = field(default_factory=list)


@dataclass
class FetchReport:
    requested: int
    stored: list[str] = field(default_factory=list)
    errors: dict[str, JobForgeError] = field(default_factory=dict)  # the failures themselves, by code
    ratings_stored: int = 0
    calls: int = 0
    cache_hits: int = 0
    retries: int = 0
    failures: int = 0
    seconds: float = 0.0

    @property
    def failed(self) -> dict[str, str]:
        """Why each failed code failed, as a person reads it."""
        return {code: str(error) for code, error in self.errors.items()}

    def to_json(self) -> dict:
        fields = {name: value for name, value in self.__dict__.items() if name != "errors"}
        return {**fields, "failed": self.failed, "seconds": round(self.seconds, 3)}


def occupations_lacking_ratings(engine: Engine) -> list[str]:
    """Occupations of the loaded data without any skills rating (about 137 in O*NET 29.3)."""
    r = t.OccupationRating
    with engine.connect() as connection:
        return list(
            connection.execute(
                select(t.Occupation.soc_code)
                .where(~exists().where(and_(r.soc_code == t.Occupation.soc_code, r.domain == "skills")))
                .order_by(t.Occupation.soc_code)
            ).scalars()
        )


async def fetch_occupations(
    client: OnetWebClient, engine: Engine, codes: list[str], on_done: Callable[[str], None] | None = None
) -> FetchReport:
    """Fetch and store every occupation in `codes`; failures are reported, not stored."""
    started = time.perf_counter()
    report = FetchReport(requested=len(codes))

    async def one(code: str) -> FetchedOccupation | None:
        try:
            return await _fetch_one(client, onet_soc(code))
        except JobForgeError as error:
            report.errors[code] = error
            return None
        finally:
            if on_done:
                on_done(code)

    fetched = [item for item in await asyncio.gather(*(one(code) for code in codes)) if item is not None]
    if fetched:
        report.ratings_stored, report.stored = _store(engine, fetched, report)
    report.calls, report.cache_hits = client.stats.calls, client.stats.cache_hits
    report.retries, report.failures = client.stats.retries, client.stats.failures
    report.seconds = time.perf_counter() - started
    return report


async def _fetch_one(client: OnetWebClient, code: str) -> FetchedOccupation:
    summary = await client.get(f"online/occupations/{code}/")
    if summary.data is None:
        raise NotFoundError(f"O*NET Web Services knows no occupation {code}")
    if not isinstance(summary.data, dict) or not summary.data.get("title"):
        raise MalformedResponseError(summary.url, "no occupation title in the answer")
    occupation = FetchedOccupation(
        code, summary.data["title"], summary.data.get("description") or "", responses=[summary]
    )
    for table in RATING_TABLES:
        column = await client.filter_column(table)
        pages = await client.pages(f"database/rows/{table}", {"filter": f"{column}.eq.{code}"}, "row")
        occupation.responses += pages
        occupation.ratings[table] = [row for page in pages if page.data for row in page.data.get("row", [])]
    if not any(occupation.ratings.values()):
        raise NotFoundError(f"O*NET Web Services has no {', '.join(RATING_TABLES)} ratings for {code} either")
    return occupation


def _store(engine: Engine, fetched: list[FetchedOccupation], report: FetchReport) -> tuple[int, list[str]]:
    with engine.begin() as connection:
        elements = set(connection.execute(select(t.ContentElement.element_id)).scalars())
        scales = {
            s: float(hi - lo)
            for s, lo, hi in connection.execute(select(t.Scale.scale_id, t.Scale.minimum, t.Scale.maximum))
        }
        known = set(connection.execute(select(t.Occupation.soc_code)).scalars())
        rated = set(
            connection.execute(
                select(t.OccupationRating.soc_code, t.OccupationRating.element_id, t.OccupationRating.scale_id)
            ).all()
        )
        run_id = loads.start_run(connection, SOURCE, "O*NET Web Services v2", str(fetched[0].responses[0].url))
        total, stored = 0, []
        for occupation in fetched:
            file_ids = {
                response.url: loads.record_file(
                    connection,
                    run_id,
                    response.url[-200:],
                    hashlib.sha256(json.dumps(response.data, sort_keys=True).encode()).hexdigest(),
                )
                for response in occupation.responses
            }
            if occupation.code not in known:
                connection.execute(
                    insert(t.Occupation).values(
                        soc_code=occupation.code,
                        title=occupation.title[:150],
                        description=occupation.description,
                        source_kind=SourceKind.ONET.value,
                        confidence=1.0,
                        load_file_id=file_ids[occupation.responses[0].url],
                    )
                )
            rows, urls = [], []
            for domain, api_rows in occupation.ratings.items():
                url = next(r.url for r in occupation.responses if f"/rows/{domain}" in r.url)
                for api_row in api_rows:
                    row = _rating_row(url, occupation.code, domain, api_row, elements, scales)
                    if (row["soc_code"], row["element_id"], row["scale_id"]) not in rated:
                        row["load_file_id"] = file_ids[url]
                        rows.append(row)
                        urls.append(url)
            if rows:
                confidences = rating_confidences({k: [r[k] for r in rows] for k in rows[0]}, scales)
                for row, confidence in zip(rows, confidences):
                    row["confidence"] = confidence
                connection.execute(insert(t.OccupationRating), rows)
            _write_values(connection, run_id, occupation, list(zip(rows, urls)), occupation.code not in known)
            total += len(rows)
            stored.append(occupation.code)
        loads.finish_run(connection, run_id)
    return total, stored


def _write_values(
    connection, run_id: int, occupation: FetchedOccupation, rows: list[tuple[dict, str]], new: bool
) -> None:
    """Put what was stored through the value write path, one detailed-provenance record per URL."""
    entity = ONET.entity(occupation.code)
    by_url: dict[str, list[Assertion]] = {}
    if new:
        by_url[occupation.responses[0].url] = [
            Assertion(entity, "title", occupation.title[:150], 1.0),
            Assertion(entity, "description", occupation.description, 1.0),
        ]
    for row, url in rows:
        by_url.setdefault(url, []).append(
            Assertion(
                entity,
                AttributeKey.rating(row["domain"], row["element_id"], row["scale_id"]),
                row["data_value"],
                row["confidence"],
            )
        )
    retrieved = {response.url: response.retrieved_at for response in occupation.responses}
    for url, assertions in by_url.items():
        moment = retrieved[url]
        write_values(
            connection,
            Source(
                SourceKind.ONET,
                WEB_SERVICES,
                ACTOR,
                load_run_id=run_id,
                url=url,
                retrieved_at=moment if moment.tzinfo else moment.replace(tzinfo=UTC),
            ),
            assertions,
        )


def _rating_row(url: str, code: str, domain: str, row: dict, elements: set, scales: dict) -> dict:
    def value(*names, required=True):
        for name in names:
            if name in row and row[name] not in (None, "", "n/a"):
                return row[name]
        if required:
            raise MalformedResponseError(url, f"a row lacks '{names[0]}': {row}")
        return None

    if value("o_net_soc_code", "onetsoc_code") != code:
        raise MalformedResponseError(url, f"a row belongs to {row.get('o_net_soc_code')}, not {code}")
    element, scale = value("element_id"), value("scale_id")
    if element not in elements:
        raise MalformedResponseError(url, f"element '{element}' is not in the loaded content model")
    if scale not in scales:
        raise MalformedResponseError(url, f"scale '{scale}' is not in the loaded scales reference")

    def number(*names):
        found = value(*names, required=False)
        return None if found is None else float(found)

    try:
        sample = value("n", required=False)
        rating = {
            "soc_code": code,
            "domain": domain,
            "element_id": element,
            "scale_id": scale,
            "category": None,
            "data_value": float(value("data_value")),
            "sample_size": int(sample) if sample is not None else None,
            "standard_error": number("standard_error"),
            "lower_ci_bound": number("lower_ci_bound"),
            "upper_ci_bound": number("upper_ci_bound"),
            "recommend_suppress": _flag(value("recommend_suppress", required=False)),
            "not_relevant": _flag(value("not_relevant", required=False)),
            "updated_on": _date(url, value("date_updated", "date")),
            "domain_source": str(value("domain_source")),
            "source_kind": SourceKind.ONET.value,
        }
    except (TypeError, ValueError) as error:
        raise MalformedResponseError(url, f"a row of {element}/{scale} has a malformed value ({error})") from None
    return rating


def _flag(value) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if value in ("Y", "N"):
        return value == "Y"
    raise ValueError(f"'{value}' is not Y or N")


def _date(url: str, text: str) -> date:
    match = _DATE.fullmatch(str(text))
    if not match:
        raise MalformedResponseError(url, f"'{text}' is not a date (YYYY-MM-DD or MM/YYYY)")
    year, month = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
    return date(int(year), int(month), 1)
