"""Turning a template and its data into a page: the language, the signed-in caller and the CSRF
token every page needs, and the error page every failure gets."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from jobforge.provenance.sources import SourceKind
from jobforge.web import charts, session
from jobforge.web.i18n import COOKIE, LANGUAGES, language, said, translator

ENVIRONMENT = Environment(
    loader=PackageLoader("jobforge.web"),
    autoescape=select_autoescape(default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
ENVIRONMENT.globals.update(
    bars=charts.bars,
    gap_bars=charts.gap_bars,
    coverage_bars=charts.coverage_bars,
    source_kinds=[kind.name.lower() for kind in SourceKind],
)
# What a browser may do with a page. Its script, style sheet and images come from this server
# alone (htmx is served from here and no page holds inline script or style); no other site may
# show it in a frame, so the admin forms cannot be clicked through a hidden one (clickjacking);
# forms post only here; and the address of a page, which may hold a role's number, is not sent
# to other sites.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
ENVIRONMENT.filters["percent"] = lambda value: f"{value * 100:.0f}%" if value is not None else "–"
ENVIRONMENT.filters["number"] = lambda value: f"{value:.2f}" if isinstance(value, float) else value


def page(request: Request, template: str, status: int = 200, **data: Any) -> HTMLResponse:
    lang = language(request)
    other = LANGUAGES[1 - LANGUAGES.index(lang)]
    query = {**request.query_params, "lang": other}
    html = ENVIRONMENT.get_template(template).render(
        request=request,
        lang=lang,
        t=translator(lang),
        switch_url=f"{request.url.path}?{urlencode(query)}",
        csrf=session.csrf_token(request),
        caller=session.signed_in(request),
        path=request.url.path,
        flash=said(lang, request.session.pop("flash", None)) if "session" in request.scope else None,
        **data,
    )
    response = HTMLResponse(html, status_code=status, headers=PAGE_HEADERS)
    if request.query_params.get("lang") in LANGUAGES:  # the switch was used: remembered for the next pages
        response.set_cookie(COOKIE, lang, max_age=365 * 86400, samesite="lax", httponly=True)
    return response


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return page(request, "error.html", status=status, status_code=status, message=message)


def is_page(request: Request) -> bool:
    """Whether a failure on this request is answered as a page: a route of the web pages, or no route
    at all for a browser (an address typed wrong), instead of the API's JSON error."""
    route = request.scope.get("route")
    if route is not None:
        return "pages" in getattr(route, "tags", ())
    return "text/html" in request.headers.get("accept", "")
