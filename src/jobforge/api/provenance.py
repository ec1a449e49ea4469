"""Value history and the override audit log."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from jobforge.api.dependencies import knowledge_base
from jobforge.api.errors import error_responses
from jobforge.api.parameters import moment
from jobforge.knowledge_base import KnowledgeBase
from jobforge.provenance.read import OverrideRecord

router = APIRouter(prefix="/provenance", tags=["provenance"])
ENTITY_PATTERN = r"^(onet:)?\d{2}-\d{4}\.\d{2}$|^(noc:)?\d{5}$|^(oasis:)?\d{5}\.\d{2}$"
Kb = Annotated[KnowledgeBase, Depends(knowledge_base)]


class ReferenceOut(BaseModel):
    citation: str
    source_id: int
    method: str
    actor: str
    load_run_id: int | None
    release: str | None
    file_name: str | None
    row: int | None
    url: str | None
    retrieved_at: datetime | None
    model: str | None
    prompt_hash: str | None
    rationale: str | None


class ValueOut(BaseModel):
    """A value with its provenance (the shape of StoredValue.to_json)."""

    id: int
    entity: str
    attribute: str
    value: float | str
    source_kind: str
    confidence: float
    recorded_at: datetime
    replaced_at: datetime | None
    status: str | None = None
    reference: ReferenceOut


@router.get("/history", responses={200: {"model": list[ValueOut]}, **error_responses(400, 404)})
def history(
    kb: Kb,
    entity: Annotated[str, Query(description="O*NET-SOC code, NOC unit group or OaSIS profile (onet:/noc:/oasis: prefix optional)",
                                 pattern=ENTITY_PATTERN)],
    attribute: Annotated[str, Query(max_length=120, description="e.g. skills/2.A.1.a/LV, title, job_zone")],
) -> Response:
    """Every value ever recorded for one attribute, oldest first: served, candidate or replaced."""
    return JSONResponse([entry.to_json() for entry in kb.values.history(entity, attribute)])


@router.get("/audit", response_model=list[OverrideRecord], responses=error_responses(400))
def audit(
    kb: Kb,
    since: Annotated[str | None, Query(description="Only events at or after this moment (ISO 8601; UTC if no zone)",
                                       json_schema_extra={"format": "date-time"})] = None,
    entity: Annotated[str | None, Query(description="Only events of this entity", pattern=ENTITY_PATTERN)] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> list[OverrideRecord]:
    """Override events: each time the served value of an attribute changed, from what to what, by whom."""
    return kb.values.audit(moment("since", since), entity, limit)
