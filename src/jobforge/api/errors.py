"""Every error answer has one shape, {"success": false, "message": ...}, and is declared in OpenAPI.

A JobForgeError answers with the HTTP status of its kind (jobforge.errors.ErrorKind), and a
transient one also with `Retry-After` when the source said when to come back."""

from __future__ import annotations

import logging
import math
from urllib.parse import urlencode

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException
from starlette.routing import compile_path

from jobforge.api.parameters import pattern_meaning
from jobforge.errors import JobForgeError
from jobforge.store import failures
from jobforge.web import render as web

log = logging.getLogger("jobforge.api")


class ErrorResponse(BaseModel):
    success: bool = False
    message: str


def error_responses(*codes: int) -> dict:
    """The `responses=` entry that declares these error statuses on a route."""
    meaning = {
        400: "Bad request: a parameter is missing or malformed",
        401: "No valid token: send 'Authorization: Bearer <token>'",
        403: "The token's access level does not allow this",
        404: "Not found in the loaded data",
        409: "Conflicts with the stored state",
        500: "Unexpected server error or a misconfiguration",
        502: "A remote source (O*NET Web Services) rejected this server's credentials",
        503: "A remote source is unavailable for now; Retry-After says when to try again, when known",
        413: "The request body is larger than the server accepts (2 MiB)",
        429: "Too many requests from this client; Retry-After says when to try again",
    }
    return {code: {"model": ErrorResponse, "description": meaning[code]} for code in (*codes, 500)}


def _answer(status: int, message: str, request: Request | None = None) -> Response:
    """The JSON error, or for a web page the same message as a page (a page needing a sign-in
    sends the browser to it)."""
    if request is not None and web.is_page(request):
        if status == 401:
            return RedirectResponse(f"/admin/sign-in?{urlencode({'next': request.url.path})}", status_code=303)
        return web.error_page(request, status, message)
    return JSONResponse(status_code=status, content={"success": False, "message": message})


def _whole_body(issue: dict, request: Request) -> str | None:
    """A problem with the body itself, not with one of its fields: FastAPI reports it at the place
    ("body", 19) or ("body",), which read as a parameter named '19' or as "request"."""
    kind, location = issue.get("type"), issue["loc"]
    if kind == "json_invalid":
        at = location[1] if len(location) > 1 else 0
        return (
            f"the request body is not valid JSON: {issue.get('ctx', {}).get('error', issue['msg'])} at character {at}"
        )
    if len(location) > 1:
        return None
    if kind == "missing":
        return "the request body is required: a JSON object"
    if kind not in ("model_attributes_type", "model_type", "dict_type"):
        return None  # a check of the whole object (too many titles in all), said as it is
    sent = request.headers.get("content-type", "")
    hint = "" if "json" in sent else f" sent as application/json (it was sent as {sent[:60] or 'no content type'})"
    return f"the request body must be a JSON object{hint}"


def _unreadable(cause: BaseException, request: Request) -> str:
    """Why a body could not even be parsed (FastAPI says only that it could not)."""
    if "form" in request.headers.get("content-type", ""):
        return f"the form could not be read: {str(cause)[:200] or type(cause).__name__}"
    if isinstance(cause, UnicodeDecodeError):
        return f"the request body is not UTF-8: byte 0x{cause.object[cause.start]:02x} at position {cause.start}"
    if isinstance(cause, RecursionError):
        return "the request body nests arrays or objects too deeply to read"
    return f"the request body could not be read as JSON: {str(cause)[:200] or type(cause).__name__}"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError) -> Response:
        problems = []
        for issue in error.errors():
            location = issue.get("loc", ())
            whole = _whole_body(issue, request) if location[:1] == ("body",) else None
            if whole:
                problems.append(whole)
                continue
            name = f"{location[0]} parameter '{location[1]}'" if len(location) > 1 else "request"
            for part in location[2:]:  # roles item 2 initial_code; value list item 3
                name += f" item {part + 1}" if isinstance(part, int) else f" {part}" if part.isidentifier() else ""
            meaning = (
                pattern_meaning(issue.get("ctx", {}).get("pattern", ""))
                if issue.get("type") == "string_pattern_mismatch"
                else None
            )
            said = {"missing": "is required", "extra_forbidden": "is unknown here"}.get(issue.get("type", ""))
            problems.append(f"{name} {said}" if said else f"{name}: {meaning or issue['msg']}")
        return _answer(400, "; ".join(problems), request)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        """Starlette's own errors (a body that is not JSON, an unsupported method) in the one shape.
        Its Allow header lists the methods of the first route of the path only; a path served by two
        routes (GET and POST /classify) must list both, as the OpenAPI document does; a fixed path
        (/roles/updates) lists its own methods, not those of a template it also matches (/roles/{id})."""
        if error.status_code == 400 and error.__cause__ is not None and request.method in ("POST", "PUT", "PATCH"):
            return _answer(400, _unreadable(error.__cause__, request), request)  # FastAPI's "error parsing the body"
        if error.status_code != 405:
            return _answer(error.status_code, str(error.detail), request)
        paths = app.openapi()["paths"]
        path = request.url.path
        matching = [path] if path in paths else [t for t in paths if compile_path(t)[0].fullmatch(path)]
        allowed = sorted({method.upper() for template in matching for method in paths[template]})
        answer = _answer(405, f"{request.method} is not allowed here; use {', '.join(allowed)}")
        answer.headers["Allow"] = ", ".join(allowed)
        return answer

    @app.exception_handler(JobForgeError)
    async def by_kind(request: Request, error: JobForgeError) -> Response:
        answer = _answer(error.kind.http_status, str(error), request)
        if error.kind.http_status == 401 and isinstance(answer, JSONResponse):
            answer.headers["WWW-Authenticate"] = "Bearer"
        if error.retry_after is not None:
            answer.headers["Retry-After"] = str(max(0, math.ceil(error.retry_after)))
        return answer

    async def unexpected(request: Request, error: Exception) -> Response:
        """A database that cannot serve (out of reach, damaged, busy, full) answers 503 naming it
        (without its password), whether the driver's error came through SQLAlchemy or from a bulk
        path that bypasses it; any other failure is a bug."""
        explained = failures.explained(error, request.app.state.kb.engine.url)
        if explained is not None:
            return await by_kind(request, explained)
        log.exception("unhandled error on %s", request.url.path)
        return _answer(500, f"unexpected server error ({type(error).__name__}); see the server log", request)

    # For DBAPIError on its own too: Starlette answers a named class in its inner middleware, without
    # the re-raise (and logged traceback) it gives the catch-all, so a database merely out of reach
    # is not logged as a crash.
    app.exception_handler(DBAPIError)(unexpected)
    app.exception_handler(Exception)(unexpected)
