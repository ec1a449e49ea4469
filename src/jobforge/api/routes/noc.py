"""NOC groups (every level), unit groups' profiles, and the NOC↔O*NET-SOC crosswalk."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from jobforge.api.deps import Kb
from jobforge.api.errors import error_responses
from jobforge.api.parameters import moment, noc_group_path, noc_path, soc_path
from jobforge.canada import queries as noc
from jobforge.provenance.sources import SourceKind
from jobforge.sources.noc.crosswalk import Coverage

router = APIRouter(tags=["NOC and crosswalk"])
NocCode = Annotated[str, noc_path()]


@router.get("/noc", response_model=list[noc.CodeTitle], responses=error_responses(404))
def noc_broad_categories(kb: Kb) -> list[noc.CodeTitle]:
    """The ten broad categories at the top of NOC 2021; `/noc/{code}` goes down from each."""
    return kb.canada.broad_categories()


@router.get("/noc/{code}", response_model=noc.NocGroupView, responses=error_responses(400, 404))
def noc_group(kb: Kb, code: Annotated[str, noc_group_path()]) -> noc.NocGroupView:
    """A NOC group of any level — broad category (2), major (21), sub-major (212), minor (2123) or unit
    group (21232): its path from the broad category, definition and the groups one level down; a unit
    group also its OaSIS profiles, example titles and mapped SOC codes."""
    return kb.canada.group(code)


@router.get("/noc/{code}/profile", response_model=noc.NocProfile, responses=error_responses(400, 404))
def noc_profile(
    kb: Kb,
    code: NocCode,
    source: Annotated[list[SourceKind] | None, Query(description="Keep only these source kinds (repeatable)")] = None,
    min_confidence: Annotated[float, Query(ge=0, le=1, description="Keep only values at least this confident")] = 0.0,
    as_of: Annotated[
        str | None,
        Query(
            description="As the store stood at this moment (ISO 8601; UTC if no zone)",
            json_schema_extra={"format": "date-time"},
        ),
    ] = None,
) -> noc.NocProfile:
    """OaSIS values (authoritative) and O*NET values aggregated over the mapped occupations, with provenance."""
    return kb.canada.profile(
        code, [s.value for s in source] if source else None, min_confidence, moment("as_of", as_of)
    )


@router.get("/crosswalk/noc/{code}", response_model=noc.NocMapping, responses=error_responses(400, 404))
async def crosswalk_noc(kb: Kb, code: NocCode) -> Response:
    """The O*NET-SOC occupations a NOC unit group maps to."""
    return Response(kb.canada.noc_to_soc(code).model_dump_json(), media_type="application/json")


@router.get("/crosswalk/soc/{code}", response_model=noc.SocMapping, responses=error_responses(400, 404))
async def crosswalk_soc(kb: Kb, code: Annotated[str, soc_path()]) -> Response:
    """The NOC unit groups that map to an O*NET-SOC occupation."""
    return Response(kb.canada.soc_to_noc(code).model_dump_json(), media_type="application/json")


@router.get("/crosswalk/coverage", response_model=Coverage, responses=error_responses())
def crosswalk_coverage(kb: Kb) -> Coverage:
    """How much of NOC 2021 the crosswalk covers."""
    return kb.canada.coverage()
