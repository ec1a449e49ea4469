"""What route handlers receive from the application state (async: a sync dependency would cost a
thread-pool hop on every request)."""

from __future__ import annotations

from fastapi import Request

from jobforge.knowledge_base import KnowledgeBase
from jobforge.sources.onet.web_client import OnetWebClient


async def knowledge_base(request: Request) -> KnowledgeBase:
    return request.app.state.kb


async def onet_client(request: Request) -> OnetWebClient | None:
    """The shared Web Services client, or None when no key is configured."""
    return request.app.state.onet_client
