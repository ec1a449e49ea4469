"""GET /skill-gap and GET /transitions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from jobforge.api.deps import Kb, OnDemand
from jobforge.api.errors import error_responses
from jobforge.api.parameters import soc_query
from jobforge.careers.domains import GapDomain
from jobforge.careers.skill_gap import SkillGap
from jobforge.careers.transitions import Transition

router = APIRouter(tags=["skill gap"])


class SkillGapResponse(BaseModel):
    success: bool = True
    message: str
    result: SkillGap


class TransitionsResponse(BaseModel):
    from_occupation_code: str
    transitions: list[Transition]


@router.get("/skill-gap", response_model=SkillGapResponse, responses=error_responses(400, 404, 429, 502, 503))
async def skill_gap(
    kb: Kb,
    permit: OnDemand,
    from_code: Annotated[str, soc_query("from", "Occupation now")],
    to_code: Annotated[str, soc_query("to", "Target occupation")],
    domain: GapDomain = GapDomain.skills,
) -> Response:
    """The elements the target occupation needs at a higher level (LV) than the current one has.
    What local data lacks is fetched from O*NET Web Services when ONET_API_KEY is set and the server
    fetches on demand (JOBFORGE_ON_DEMAND_FETCH)."""
    gap = await kb.answer_or_fetch(
        [from_code, to_code], lambda: kb.careers.skill_gap(from_code, to_code, domain), permit
    )
    answer = SkillGapResponse(
        message=f"Successfully identified skill gap from '{gap.from_occupation_title}' to "
        f"'{gap.to_occupation_title}' based on '{gap.scale_id}' scale.",
        result=gap,
    )
    # Already a validated model: serialised once here instead of re-validated by FastAPI.
    return Response(answer.model_dump_json(), media_type="application/json")


@router.get("/transitions", response_model=TransitionsResponse, responses=error_responses(400, 404))
def transitions(
    kb: Kb,
    from_code: Annotated[str, soc_query("from", "Occupation now")],
    k: Annotated[int, Query(ge=1, le=100)] = 10,
) -> TransitionsResponse:
    """Occupations with the most similar skill/knowledge/ability profile, at most one job zone away."""
    return TransitionsResponse(from_occupation_code=from_code.strip(), transitions=kb.careers.transitions(from_code, k))
