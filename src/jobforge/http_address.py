"""Whether an address a person gave (a setting, `--base-url`) is that of an HTTP server, said
before any request: a malformed one fails deep inside the HTTP client (a ValueError traceback for
"http://[::1"), and one of another scheme fails once per request, after the work began."""

from __future__ import annotations

from urllib.parse import urlsplit


def address_problem(url: str) -> str | None:
    """What makes `url` no http(s) address of a server, or None when it is one."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 — read for its check: a port that is not a number raises
    except ValueError as error:
        return f"not a URL ({error})"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "not the http:// or https:// address of a server"
    return None
