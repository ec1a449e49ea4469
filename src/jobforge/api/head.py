"""HEAD wherever GET is answered.

HTTP requires a general-purpose server to answer HEAD as it answers GET, without the body (RFC
9110, 9.3.2). Uptime monitors, load balancers' health checks, link checkers and `curl -I` ask
HEAD, and FastAPI's routes answer only the methods they name, so each of them got 405. The GET's
answer is sent instead, its status and headers (the length of the body included) kept and the
body left out.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """ASGI middleware: a HEAD request runs as a GET whose body is not sent."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] != "http.response.body":
                await send(message)
            elif not message.get("more_body", False):
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        await self.app({**scope, "method": "GET"}, receive, without_body)
