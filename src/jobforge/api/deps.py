"""What route handlers receive from the application state, declared once (async: a sync
dependency would cost a thread-pool hop on every request)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from jobforge.errors import UnauthenticatedError
from jobforge.knowledge_base import KnowledgeBase
from jobforge.roles.access import Caller


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


_bearer = HTTPBearer(auto_error=False, description="An organisation's API token (`jobforge tokens create`)")


def caller(request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Caller:
    """Who asks, from the bearer token; 401 without a valid one — an Authorization header of
    another scheme included (sync: it reads the database)."""
    sent = credentials.credentials if credentials else None
    if sent is None and "authorization" in request.headers:
        raise UnauthenticatedError("the Authorization header must be 'Bearer <token>'")
    return request.app.state.kb.roles.tokens.authenticate(sent)


def optional_caller(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
) -> Caller | None:
    """The caller when credentials came (public routes that can also name a company role): any
    credentials sent must be valid."""
    return caller(request, credentials) if "authorization" in request.headers else None


Authenticated = Annotated[Caller, Depends(caller)]
MaybeAuthenticated = Annotated[Caller | None, Depends(optional_caller)]
