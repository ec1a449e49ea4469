"""The FastAPI application factory."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI

import jobforge
from jobforge.api.deps import caller
from jobforge.api.errors import install_error_handlers
from jobforge.api.head import HeadAsGet
from jobforge.api.limits import RateLimit, RequestLimits
from jobforge.api.parameters import NO_CONTROL_CHARACTERS
from jobforge.api.query_names import known_query_names
from jobforge.api.routes import classify, enrich, health, noc, occupations, provenance, roles, skill_gap, tbs
from jobforge.knowledge_base import KnowledgeBase
from jobforge.long_lived import settle
from jobforge.web import mount_pages


def _warm(kb: KnowledgeBase) -> None:
    kb.classify.warm()
    settle()


def create_app(kb: KnowledgeBase, *, public: bool = False) -> FastAPI:
    """An API over `kb` (held in the app state). `public`: it listens beyond loopback, so anonymous
    reads do not spend the O*NET key's quota unless JOBFORGE_ON_DEMAND_FETCH=on says they may."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        kb.careers.profiles.current()  # build the in-memory rating profiles before the first request
        kb.careers.profiles.serve_previous_while_building = True
        kb.classify.serve_previous_while_building = True
        # The title indexes take seconds on full data: built beside the server starting, so
        # neither the start nor (usually) the first /classify waits for them.
        warming = threading.Thread(target=_warm, args=(kb,), name="classify-index", daemon=True)
        warming.start()
        try:
            async with kb.onet.serving():  # one Web Services client, shared by every on-demand fetch
                yield
        finally:
            warming.join()

    app = FastAPI(
        lifespan=lifespan,
        title="JobForge",
        version=jobforge.__version__,
        description="Occupational data (O*NET, NOC) with the provenance of every value. "
        "This API includes information from the O*NET 29.3 Database by the U.S. Department of Labor, "
        "Employment and Training Administration (USDOL/ETA), used under the CC BY 4.0 license.",
    )
    app.state.kb = kb
    install_error_handlers(app)
    app.add_middleware(RequestLimits)
    app.add_middleware(HeadAsGet)
    rate = kb.settings.api_batch_rate
    app.state.rate_limits = {"batches": RateLimit(rate, "POST /classify")} if rate > 0 else {}
    app.state.rate_limits["fetches"] = RateLimit(FETCHES_PER_SECOND, "on-demand O*NET fetch")
    setting = kb.settings.on_demand_fetch
    app.state.on_demand = setting == "on" or (setting == "auto" and not public)
    for router in (
        health.router,
        classify.router,
        occupations.router,
        provenance.router,
        skill_gap.router,
        noc.router,
        tbs.router,
        enrich.router,
    ):
        app.include_router(router, dependencies=[Depends(known_query_names)])
    # Who asks comes first: a caller without a valid token learns nothing of what a route takes.
    app.include_router(roles.router, dependencies=[Depends(caller), Depends(known_query_names)])
    mount_pages(app, kb.settings.web_secret)
    _documented_as_answered(app)
    return app


def _without_control_characters(schema: dict) -> None:
    for option in (schema, *schema.get("anyOf", []), schema.get("items", {})):
        if option.get("type") == "string" and "pattern" not in option and "enum" not in option:
            option["pattern"] = NO_CONTROL_CHARACTERS


FETCHES_PER_SECOND = 0.5  # per client: each fetch is four Web Services calls on the server's key


def _documented_as_answered(app: FastAPI) -> None:
    """The OpenAPI document as the API behaves: FastAPI documents a 422 on every route with
    parameters, but validation errors answer 400 here (declared on each route); and a query string
    parameter never takes a control character (RequestLimits refuses it), which its schema says;
    and a route whose token is optional says so (`security: [{}, bearer]`, which FastAPI cannot)."""
    generate = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = generate()
            for path in schema.get("paths", {}).values():
                for operation in path.values():
                    operation.get("responses", {}).pop("422", None)
                    if operation.pop("x-token-optional", False):  # a public route that also takes a token
                        operation["security"] = [{}, *operation.get("security", [])]
                    for parameter in operation.get("parameters", []):
                        _without_control_characters(parameter.get("schema", {}))
            for name in ("HTTPValidationError", "ValidationError"):
                schema.get("components", {}).get("schemas", {}).pop(name, None)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi
