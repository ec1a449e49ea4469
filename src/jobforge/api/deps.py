"""What route handlers receive from the application state, declared once (async: a sync
dependency would cost a thread-pool hop on every request)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from jobforge.knowledge_base import KnowledgeBase


async def knowledge_base(request: Request) -> KnowledgeBase:
    return request.app.state.kb


Kb = Annotated[KnowledgeBase, Depends(knowledge_base)]


async def on_demand_permit(request: Request) -> Callable[[], None] | None:
    """The permit this request's reads fetch with: None when the server does not fetch on demand
    (JOBFORGE_ON_DEMAND_FETCH, see create_app), else the per-client limit on fetches."""
    if not request.app.state.on_demand:
        return None
    limit = request.app.state.rate_limits["fetches"]
    return lambda: limit.take(request)


OnDemand = Annotated[Callable[[], None] | None, Depends(on_demand_permit)]
