"""Value history and the override audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from jobforge.api.deps import Kb
from jobforge.api.errors import error_responses
from jobforge.api.parameters import entity_query, moment
from jobforge.provenance.read import VALUES, OverrideRecord, StoredValue

router = APIRouter(prefix="/provenance", tags=["provenance"])


@router.get("/history", response_model=list[StoredValue], responses=error_responses(400, 404))
def history(
    kb: Kb,
    entity: Annotated[str, entity_query("The entity")],
    attribute: Annotated[
        str, Query(min_length=1, max_length=120, description="e.g. skills/2.A.1.a/LV, title, job_zone")
    ],
) -> Response:
    """Every value ever recorded for one attribute, oldest first: served, candidate or replaced."""
    return Response(VALUES.dump_json(kb.values.history(entity, attribute)), media_type="application/json")


@router.get("/audit", response_model=list[OverrideRecord], responses=error_responses(400))
def audit(
    kb: Kb,
    since: Annotated[
        str | None,
        Query(
            description="Only events at or after this moment (ISO 8601; UTC if no zone)",
            json_schema_extra={"format": "date-time"},
        ),
    ] = None,
    entity: Annotated[str | None, entity_query("Only events of this entity")] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 1000,
) -> list[OverrideRecord]:
    """Override events: each time the served value of an attribute changed, from what to what, by whom."""
    return kb.values.audit(moment("since", since), entity, limit)
