"""GET /skill-gap and GET /transitions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from jobforge.api.deps import Kb, MaybeAuthenticated, OnDemand
from jobforge.api.errors import error_responses
from jobforge.api.parameters import occupation_or_role_query
from jobforge.careers.domains import GapDomain
from jobforge.careers.skill_gap import SkillGap
from jobforge.careers.transitions import Transitions

router = APIRouter(tags=["skill gap"])
TOKEN_OPTIONAL = {"x-token-optional": True}  # see api/app.py: documented as "no token, or a valid one"


class SkillGapResponse(BaseModel):
    success: bool = True
    message: str
    result: SkillGap


@router.get(
    "/skill-gap",
    response_model=SkillGapResponse,
    responses=error_responses(400, 401, 404, 429, 502, 503),
    openapi_extra=TOKEN_OPTIONAL,
)
async def skill_gap(
    kb: Kb,
    permit: OnDemand,
    caller: MaybeAuthenticated,
    from_code: Annotated[str, occupation_or_role_query("from", "Occupation (or company role) now")],
    to_code: Annotated[str, occupation_or_role_query("to", "Target occupation (or company role)")],
    domain: GapDomain = GapDomain.skills,
) -> Response:
    """The elements the target needs at a higher level (LV) than the current one has; either side
    may be a company role (`role:42`, with its organisation's token), compared on its resolved
    ratings. What local data lacks is fetched from O*NET Web Services when ONET_API_KEY is set and
    the server fetches on demand (JOBFORGE_ON_DEMAND_FETCH)."""
    roles = kb.roles.profiles_named(caller, [from_code, to_code])
    occupations = [code for code in (from_code, to_code) if code.strip() not in roles]
    gap = await kb.answer_or_fetch(occupations, lambda: kb.careers.skill_gap(from_code, to_code, domain, roles), permit)
    answer = SkillGapResponse(
        message=f"Successfully identified skill gap from '{gap.from_occupation_title}' to "
        f"'{gap.to_occupation_title}' based on '{gap.scale_id}' scale.",
        result=gap,
    )
    # Already a validated model: serialised once here instead of re-validated by FastAPI.
    return Response(answer.model_dump_json(), media_type="application/json")


@router.get(
    "/transitions",
    response_model=Transitions,
    responses=error_responses(400, 401, 404),
    openapi_extra=TOKEN_OPTIONAL,
)
def transitions(
    kb: Kb,
    caller: MaybeAuthenticated,
    from_code: Annotated[str, occupation_or_role_query("from", "Occupation (or company role) now")],
    k: Annotated[int, Query(ge=1, le=100)] = 10,
) -> Transitions:
    """Occupations with the most similar skill/knowledge/ability profile, at most one job zone away
    (from a company role: on its resolved ratings, with its organisation's token)."""
    roles = kb.roles.profiles_named(caller, [from_code])
    return kb.careers.transitions(from_code, k, roles)
