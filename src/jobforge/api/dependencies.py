"""What route handlers receive from the application state."""

from __future__ import annotations

from fastapi import Request

from jobforge.knowledge_base import KnowledgeBase


def knowledge_base(request: Request) -> KnowledgeBase:
    return request.app.state.kb
