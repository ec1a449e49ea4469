"""The FastAPI application factory."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

import jobforge
from jobforge.api.errors import install_error_handlers
from jobforge.api.routes import classify, health, noc, occupations, provenance, skill_gap, tbs
from jobforge.knowledge_base import KnowledgeBase


def create_app(kb: KnowledgeBase) -> FastAPI:
    """An API over `kb` (held in the app state)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        kb.careers.profiles.current()  # build the in-memory rating profiles before the first request
        # The title indexes take seconds on full data: built beside the server starting, so
        # neither the start nor (usually) the first /classify waits for them.
        warming = threading.Thread(target=kb.classify.warm, name="classify-index", daemon=True)
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
    for router in (
        health.router,
        classify.router,
        occupations.router,
        provenance.router,
        skill_gap.router,
        noc.router,
        tbs.router,
    ):
        app.include_router(router)
    _without_unused_422(app)
    return app


def _without_unused_422(app: FastAPI) -> None:
    """FastAPI documents a 422 on every route with parameters, but validation errors answer 400
    here (declared on each route), so the generated 422 would be a status the API never sends."""
    generate = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = generate()
            for path in schema.get("paths", {}).values():
                for operation in path.values():
                    operation.get("responses", {}).pop("422", None)
            for name in ("HTTPValidationError", "ValidationError"):
                schema.get("components", {}).get("schemas", {}).pop(name, None)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi
