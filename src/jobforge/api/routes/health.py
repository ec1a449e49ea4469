"""GET /health: the service is up and its database answers."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from jobforge.api.deps import Kb
from jobforge.api.errors import error_responses

router = APIRouter(tags=["service"])


class Health(BaseModel):
    status: str
    onet_release: str | None
    database: str
    title_coding: Literal["words", "words+embeddings"] = Field(
        description="What /classify scores titles with: the word model, or fused with sentence embeddings"
    )


@router.get("/health", response_model=Health, responses=error_responses())
async def health(kb: Kb) -> Health:
    """Liveness and readiness in one: answers only when the database does."""
    return Health(
        status="ok",
        onet_release=kb.onet.live_release(),
        database=kb.engine.dialect.name,
        title_coding="words+embeddings" if kb.classify.embeddings else "words",
    )
