"""What route handlers receive from the application state."""

from __future__ import annotations

from fastapi import Request

from jobforge.knowledge_base import KnowledgeBase
from jobforge.sources.onet.web_client import OnetWebClient


def knowledge_base(request: Request) -> KnowledgeBase:
    return request.app.state.kb


def onet_client(request: Request) -> OnetWebClient | None:
    """The shared Web Services client, or None when no key is configured."""
    return request.app.state.onet_client
