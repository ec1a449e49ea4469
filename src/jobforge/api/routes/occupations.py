"""Occupation search, profiles and O*NET's related occupations."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response

from jobforge.api.deps import Kb, OnDemand
from jobforge.api.errors import error_responses
from jobforge.api.parameters import WRITTEN, Filters, soc_path
from jobforge.entities import onet_soc
from jobforge.occupations.queries import OccupationProfile, RelatedOccupation
from jobforge.occupations.search import OccupationPage
from jobforge.provenance.read import VALUES, StoredValue

router = APIRouter(prefix="/occupations", tags=["occupations"])
Code = Annotated[str, soc_path()]


@router.get("", response_model=OccupationPage, responses=error_responses(400))
def search(
    kb: Kb,
    q: Annotated[
        str | None, Query(max_length=200, description="Words that must all occur in the title or an alternate title")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> OccupationPage:
    """Search occupations by title and alternate titles; title matches first."""
    return kb.occupations.search(q, limit, offset)


@router.get("/{code}", response_model=OccupationProfile, responses=error_responses(400, 404, 429, 502, 503))
async def profile(kb: Kb, permit: OnDemand, code: Code, filters: Filters) -> OccupationProfile:
    """Everything known about one occupation: the served value of each rating, grouped by domain,
    with its provenance, filtered by source kind, confidence and moment. An occupation local data
    lacks is fetched from O*NET Web Services when ONET_API_KEY is set and the server fetches on
    demand (JOBFORGE_ON_DEMAND_FETCH)."""
    return await kb.answer_or_fetch([code], lambda: kb.occupations.profile(code, filters), permit)


@router.get("/{code}/values", response_model=list[StoredValue], responses=error_responses(400, 404))
def values(
    kb: Kb,
    code: Code,
    filters: Filters,
    attribute: Annotated[
        str | None, Query(max_length=120, json_schema_extra=WRITTEN, description="Only attributes starting with this")
    ] = None,
) -> Response:
    """Every served value of the occupation with its full provenance: source kind, confidence,
    and the reference (release, file and line; URL and retrieval time; model and prompt hash;
    or the editor), method, rationale and run."""
    # Serialized by the declared type in one pass (no re-validation of records the store just built).
    return Response(
        VALUES.dump_json(kb.values.served(onet_soc(code), filters, attribute)), media_type="application/json"
    )


@router.get(
    "/{code}/provenance",
    responses={
        200: {
            "description": "W3C PROV-JSON document (format=prov-json) or CSV (format=csv)",
            "content": {"application/json": {"schema": {"type": "object"}}, "text/csv": {"schema": {"type": "string"}}},
        },
        **error_responses(400, 404),
    },
)
def provenance(
    kb: Kb,
    code: Code,
    filters: Filters,
    format: Annotated[Literal["prov-json", "csv"], Query(description="prov-json or csv")] = "prov-json",
) -> Response:
    """The provenance of the occupation's served values, as W3C PROV-JSON (entities, activities,
    agents and their relations) or as CSV with one row per value."""
    soc = onet_soc(code)
    if format == "csv":
        return Response(
            kb.values.csv(soc, filters),
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{soc}-provenance.csv"'},
        )
    return JSONResponse(kb.values.prov_json(soc, filters), media_type="application/json")


@router.get("/{code}/related", response_model=list[RelatedOccupation], responses=error_responses(400, 404))
def related(kb: Kb, code: Code) -> list[RelatedOccupation]:
    """O*NET's related occupations, best first, with their relatedness tier."""
    return kb.occupations.related(code)
