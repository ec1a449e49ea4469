"""What route handlers receive from the application state, declared once (async: a sync
dependency would cost a thread-pool hop on every request)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from jobforge.knowledge_base import KnowledgeBase


async def knowledge_base(request: Request) -> KnowledgeBase:
    return request.app.state.kb


Kb = Annotated[KnowledgeBase, Depends(knowledge_base)]
