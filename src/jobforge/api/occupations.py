"""Occupation search, profiles and O*NET's related occupations."""

from __future__ import annotations

from typing import Annotated

from typing import Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response

from jobforge import occupations
from jobforge.codes import onet_soc
from jobforge.api.dependencies import knowledge_base, onet_client
from jobforge.api.errors import error_responses
from jobforge.api.on_demand import answer_or_fetch
from jobforge.api.parameters import soc_path, value_filter
from jobforge.api.provenance import ValueOut
from jobforge.provenance.read import ValueFilter
from jobforge.knowledge_base import KnowledgeBase
from jobforge.sources.onet.web_client import OnetWebClient

router = APIRouter(prefix="/occupations", tags=["occupations"])
Code = Annotated[str, soc_path()]
Kb = Annotated[KnowledgeBase, Depends(knowledge_base)]
Filters = Annotated[ValueFilter, Depends(value_filter)]


@router.get("", response_model=occupations.OccupationPage, responses=error_responses(400))
def search(
    kb: Kb,
    q: Annotated[str | None, Query(max_length=200, description="Words that must all occur in the title or an alternate title")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> occupations.OccupationPage:
    """Search occupations by title and alternate titles; title matches first."""
    return occupations.search_occupations(kb.engine, q, limit, offset)


@router.get("/{code}", response_model=occupations.OccupationProfile, responses=error_responses(400, 404))
async def profile(kb: Kb, client: Annotated[OnetWebClient | None, Depends(onet_client)],
                  code: Code, filters: Filters) -> occupations.OccupationProfile:
    """Everything known about one occupation: the served value of each rating, grouped by domain,
    with its provenance, filtered by source kind, confidence and moment. An occupation local data
    lacks is fetched from O*NET Web Services when ONET_API_KEY is set."""
    return await answer_or_fetch(kb, client, [code], lambda: occupations.occupation_profile(kb.engine, code, filters))


@router.get("/{code}/values", responses={200: {"model": list[ValueOut]}, **error_responses(400, 404)})
def values(kb: Kb, code: Code, filters: Filters,
           attribute: Annotated[str | None, Query(max_length=120, description="Only attributes starting with this")] = None,
           ) -> Response:
    """Every served value of the occupation with its full provenance: source kind, confidence,
    and the reference (release, file and line; URL and retrieval time; model and prompt hash;
    or the editor), method, rationale and run."""
    served = kb.values.served(onet_soc(code), filters, attribute)
    return JSONResponse([value.to_json() for value in served])


@router.get("/{code}/provenance", responses={
    200: {"description": "W3C PROV-JSON document (format=prov-json) or CSV (format=csv)",
          "content": {"application/json": {"schema": {"type": "object"}}, "text/csv": {"schema": {"type": "string"}}}},
    **error_responses(400, 404)})
def provenance(kb: Kb, code: Code, filters: Filters,
               format: Annotated[Literal["prov-json", "csv"], Query(description="prov-json or csv")] = "prov-json",
               ) -> Response:
    """The provenance of the occupation's served values, as W3C PROV-JSON (entities, activities,
    agents and their relations) or as CSV with one row per value."""
    soc = onet_soc(code)
    if format == "csv":
        return Response(kb.values.csv(soc, filters), media_type="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{soc}-provenance.csv"'})
    return JSONResponse(kb.values.prov_json(soc, filters), media_type="application/json")


@router.get("/{code}/related", response_model=list[occupations.RelatedOccupation], responses=error_responses(400, 404))
def related(kb: Kb, code: Code) -> list[occupations.RelatedOccupation]:
    """O*NET's related occupations, best first, with their relatedness tier."""
    return occupations.related_occupations(kb.engine, code)
