"""Occupation search, profiles and O*NET's related occupations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from jobforge import occupations
from jobforge.api.dependencies import knowledge_base, onet_client
from jobforge.api.errors import error_responses
from jobforge.api.on_demand import answer_or_fetch
from jobforge.api.parameters import soc_path
from jobforge.knowledge_base import KnowledgeBase
from jobforge.sources.onet.web_client import OnetWebClient

router = APIRouter(prefix="/occupations", tags=["occupations"])
Code = Annotated[str, soc_path()]
Kb = Annotated[KnowledgeBase, Depends(knowledge_base)]


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
                  code: Code) -> occupations.OccupationProfile:
    """Everything known about one occupation, ratings grouped by domain with their provenance.
    An occupation local data lacks is fetched from O*NET Web Services when ONET_API_KEY is set."""
    return await answer_or_fetch(kb, client, [code], lambda: occupations.occupation_profile(kb.engine, code))


@router.get("/{code}/related", response_model=list[occupations.RelatedOccupation], responses=error_responses(400, 404))
def related(kb: Kb, code: Code) -> list[occupations.RelatedOccupation]:
    """O*NET's related occupations, best first, with their relatedness tier."""
    return occupations.related_occupations(kb.engine, code)
