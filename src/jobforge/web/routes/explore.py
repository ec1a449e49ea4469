"""Search, occupations with their provenance, NOC unit groups and TBS groups."""

from __future__ import annotations

from contextlib import suppress
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from jobforge.api.deps import Kb
from jobforge.api.parameters import noc_group_path, soc_path
from jobforge.classify.text import normalize
from jobforge.entities import onet_soc
from jobforge.errors import NotFoundError
from jobforge.provenance.sources import SourceKind
from jobforge.web import charts
from jobforge.web.i18n import language
from jobforge.web.render import page

router = APIRouter(tags=["pages"], include_in_schema=False)
SEARCH_TEXT = Query(max_length=200)
OFFSET = Query(ge=0, le=1_000_000)
OCCUPATIONS_PAGE = 20
SCALAR_FIELDS = ("title", "description", "job_zone")


@router.get("/", response_class=HTMLResponse)
def home(request: Request, kb: Kb) -> HTMLResponse:
    return page(request, "home.html", figures=data_status(kb))


@router.get("/search", response_class=HTMLResponse)
def search(
    request: Request, kb: Kb, q: Annotated[str, SEARCH_TEXT] = "", offset: Annotated[int, OFFSET] = 0
) -> HTMLResponse:
    """One box over occupation titles and alternate titles (OCCUPATIONS_PAGE at a time), NOC unit
    groups and the title coder."""
    q = q.strip()
    if not normalize(q):  # nothing the title coder can read ("%%%"): nothing to look up, no index to build
        return page(request, "home.html", figures=data_status(kb))
    onet, noc = _coded(kb, q, "onet"), _coded(kb, q, "noc")
    occupations = kb.occupations.search(q, OCCUPATIONS_PAGE, offset)
    results = {"occupations": occupations, "unit_groups": noc and noc.candidates, "coded": onet}
    return page(request, "home.html", figures=data_status(kb), q=q, results=results)


def _coded(kb, q: str, system: str):
    """The title coder's five best for `q`, or None when that system's data is not loaded (O*NET
    alone, before `jobforge noc load`): the rest of the page still answers."""
    with suppress(NotFoundError):
        return kb.classify([q], system, 5, True)[0]
    return None


def data_status(kb) -> dict:
    coverage = kb.canada.coverage()
    return {
        "release": kb.onet.live_release(),
        "occupations": kb.occupations.search(None, 1).total,
        "unit_groups": coverage.unit_groups,
        "mappings": coverage.mappings,
    }


@router.get("/occupation/{code}", response_class=HTMLResponse)
def occupation(request: Request, kb: Kb, code: Annotated[str, soc_path()]) -> HTMLResponse:
    profile = kb.occupations.profile(code)
    scalars = {v.attribute: v for v in kb.values.served(profile.code) if v.attribute in SCALAR_FIELDS}
    drawn = [
        (domain, charts.bars(profile.code, domain, profile.ratings[domain].ratings))
        for domain in charts.in_order(profile.ratings)
    ]
    return page(
        request,
        "occupation.html",
        profile=profile,
        tasks=sorted(profile.tasks, key=lambda task: task.task_type != "Core"),  # core first, each in O*NET's order
        scalars=scalars,
        charts=[(domain, chart) for domain, chart in drawn if chart is not None],
        related=kb.occupations.related(profile.code),
        release=kb.onet.live_release(),  # tasks, tools and education come from the live release's files
        crosswalk=kb.canada.soc_to_noc(profile.code),
    )


@router.get("/occupation/{code}/provenance", response_class=HTMLResponse)
def provenance(
    request: Request,
    kb: Kb,
    code: Annotated[str, soc_path()],
    attribute: Annotated[str | None, Query(max_length=120)] = None,
) -> HTMLResponse:
    """One attribute's history and override events, or every served value with its citation."""
    soc = onet_soc(code)
    events = [e for e in kb.values.audit(None, soc, 1000) if attribute is None or e.attribute == attribute]
    return page(
        request,
        "provenance.html",
        code=soc,
        title=kb.occupations.title(soc),
        back=f"/occupation/{soc}",
        attribute=attribute,
        history=kb.values.history(soc, attribute) if attribute else [],
        served=[] if attribute else kb.values.served(soc),
        events=events,
    )


@router.get("/noc-groups", response_class=HTMLResponse)
def noc_broad_categories(request: Request, kb: Kb) -> HTMLResponse:
    """The top of NOC 2021, from which every group is reached by going down."""
    return page(request, "noc_groups.html", categories=kb.canada.broad_categories())


@router.get("/noc-group/{code}", response_class=HTMLResponse)
@router.get("/unit-group/{code}", response_class=HTMLResponse)
def unit_group(request: Request, kb: Kb, code: Annotated[str, noc_group_path()]) -> HTMLResponse:
    """A NOC group: its path, definition and the groups in it; a unit group its OaSIS values first
    (authoritative), then O*NET's aggregate with its contributions."""
    group = kb.canada.group(code)
    values = kb.canada.profile(group.code).values if group.level == 5 else []
    authoritative = [v for v in values if v.source_kind == SourceKind.AUTHORITATIVE.value]
    aggregate = [v for v in values if v.source_kind != SourceKind.AUTHORITATIVE.value]
    return page(request, "unit_group.html", group=group, authoritative=authoritative, aggregate=aggregate)


@router.get("/tbs-groups", response_class=HTMLResponse)
def tbs_groups(request: Request, kb: Kb) -> HTMLResponse:
    """The TBS groups in the page's language when that snapshot exists, else in the one there is."""
    wanted = language(request)
    for lang in dict.fromkeys((wanted, "en", "fr")):
        with suppress(NotFoundError):
            return page(request, "tbs.html", groups=kb.tbs.groups(lang), g_lang=lang)
    return page(request, "tbs.html", groups=[], g_lang=wanted)


@router.get("/data/coverage", response_class=HTMLResponse)
def data_coverage(request: Request, kb: Kb) -> HTMLResponse:
    """How complete the data is, per field, as charts (the figures: GET /coverage)."""
    return page(request, "coverage.html", report=kb.enrich.coverage(), queue=kb.enrich.counts())
