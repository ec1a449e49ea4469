"""Signing in with an API token, and the CSRF check on every form.

The session is Starlette's signed cookie (HttpOnly, SameSite=Lax) and holds only the token's
SHA-256 and a CSRF secret; the token itself is looked up again on each request, so revoking it
signs its sessions out at once.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request

from jobforge.errors import ForbiddenError, UnauthenticatedError
from jobforge.roles.access import Caller, digest

SESSION_HOURS = 8


def csrf_token(request: Request) -> str:
    """The session's CSRF secret, made on the first page that shows a form."""
    if "session" not in request.scope:
        return ""
    token = request.session.get("csrf")
    if token is None:
        token = request.session["csrf"] = secrets.token_urlsafe(24)
    return token


def check_csrf(request: Request, sent: str | None) -> None:
    expected = request.session.get("csrf") if "session" in request.scope else None
    if not expected or not sent or not hmac.compare_digest(expected, sent):
        raise ForbiddenError("the form's CSRF token is missing or stale: reload the page and send it again")


def sign_in(request: Request, token: str) -> Caller:
    caller = request.app.state.kb.roles.tokens.authenticate(token.strip())
    request.session.clear()  # a new session on sign-in (no fixation), with a new CSRF secret
    request.session["token"] = digest(token.strip())
    csrf_token(request)
    return caller


def sign_out(request: Request) -> None:
    request.session.clear()


def signed_in(request: Request) -> Caller | None:
    if "session" not in request.scope:
        return None
    held = request.session.get("token")
    if held is None:
        return None
    if "jobforge.caller" not in request.scope:
        try:
            request.scope["jobforge.caller"] = request.app.state.kb.roles.tokens.by_digest(held)
        except UnauthenticatedError:
            request.session.pop("token", None)  # revoked meanwhile
            request.scope["jobforge.caller"] = None
    return request.scope["jobforge.caller"]


def required(request: Request) -> Caller:
    """The signed-in caller; UnauthenticatedError (the sign-in page) without one."""
    caller = signed_in(request)
    if caller is None:
        raise UnauthenticatedError("sign in with an API token to use the roles admin")
    return caller


async def form_checked(request: Request) -> None:
    """Route dependency of every form post: the CSRF token from the form (or htmx's header) must
    match the session's."""
    form = await request.form()
    sent = form.get("csrf") or request.headers.get("x-csrf-token")
    check_csrf(request, sent if isinstance(sent, str) else None)
