"""GET /skill-gap and GET /transitions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel

from jobforge import skill_gap as gaps
from jobforge.api.dependencies import knowledge_base, onet_client
from jobforge.api.errors import error_responses
from jobforge.api.on_demand import answer_or_fetch
from jobforge.api.parameters import soc_query
from jobforge.knowledge_base import KnowledgeBase
from jobforge.sources.onet.web_client import OnetWebClient
from jobforge.transitions import Transition

router = APIRouter(tags=["skill gap"])


class SkillGapResponse(BaseModel):
    success: bool = True
    message: str
    result: gaps.SkillGap


class TransitionsResponse(BaseModel):
    from_occupation_code: str
    transitions: list[Transition]


@router.get("/skill-gap", response_model=SkillGapResponse, responses=error_responses(400, 404))
async def skill_gap(
    kb: Annotated[KnowledgeBase, Depends(knowledge_base)],
    client: Annotated[OnetWebClient | None, Depends(onet_client)],
    from_code: Annotated[str, soc_query("from", "Occupation now")],
    to_code: Annotated[str, soc_query("to", "Target occupation")],
    domain: gaps.GapDomain = gaps.GapDomain.skills,
) -> Response:
    """The elements the target occupation needs at a higher level (LV) than the current one has.
    What local data lacks is fetched from O*NET Web Services when ONET_API_KEY is set."""
    gap = await answer_or_fetch(kb, client, [from_code, to_code], lambda: kb.skill_gap(from_code, to_code, domain))
    answer = SkillGapResponse(
        message=f"Successfully identified skill gap from '{gap.from_occupation_title}' to "
        f"'{gap.to_occupation_title}' based on '{gap.scale_id}' scale.",
        result=gap,
    )
    # Already a validated model: serialised once here instead of re-validated by FastAPI.
    return Response(answer.model_dump_json(), media_type="application/json")


@router.get("/transitions", response_model=TransitionsResponse, responses=error_responses(400, 404))
def transitions(
    kb: Annotated[KnowledgeBase, Depends(knowledge_base)],
    from_code: Annotated[str, soc_query("from", "Occupation now")],
    k: Annotated[int, Query(ge=1, le=100)] = 10,
) -> TransitionsResponse:
    """Occupations with the most similar skill/knowledge/ability profile, at most one job zone away."""
    return TransitionsResponse(from_occupation_code=from_code.strip(), transitions=kb.transitions(from_code, k))
