"""GET /health: the service is up and its database answers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel

from jobforge.api.dependencies import knowledge_base
from jobforge.api.errors import error_responses
from jobforge.knowledge_base import KnowledgeBase

router = APIRouter(tags=["service"])


class Health(BaseModel):
    status: str
    onet_release: str | None
    database: str


@router.get("/health", response_model=Health, responses=error_responses())
async def health(kb: Annotated[KnowledgeBase, Depends(knowledge_base)]) -> Health:
    """Liveness and readiness in one: answers only when the database does."""
    return Health(status="ok", onet_release=kb.live_onet_release(), database=kb.engine.dialect.name)
