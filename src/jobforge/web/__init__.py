"""The web pages, served by the API's own app: server-rendered templates that work without
JavaScript (htmx, served from here, only makes search live), in English and French.

A page is a thin shell like an API route: it parses the request, calls `KnowledgeBase`, and
renders a template of `templates/`. See docs/architecture.md.
"""

from __future__ import annotations

import secrets
from importlib.resources import files

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from jobforge.web import session


def mount_pages(app: FastAPI, secret: str) -> None:
    from jobforge.web.routes import admin, careers, coding, explore

    for router in (explore.router, careers.router, coding.router, admin.router, admin.posted):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=str(files("jobforge.web") / "static")), name="static")
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret or secrets.token_urlsafe(32),
        session_cookie="jobforge_session",
        max_age=session.SESSION_HOURS * 3600,
        same_site="lax",
    )
