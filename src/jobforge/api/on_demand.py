"""Answering from O*NET Web Services what the local data lacks, when a key is configured."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from jobforge.errors import JobForgeError, NotFoundError
from jobforge.knowledge_base import KnowledgeBase
from jobforge.sources.onet.web_client import OnetWebClient

T = TypeVar("T")
HOW_TO_ENABLE = ("set ONET_API_KEY (a free O*NET Web Services key, services.onetcenter.org) to let JobForge "
                 "fetch what local data lacks on demand")


async def answer_or_fetch(kb: KnowledgeBase, client: OnetWebClient | None, codes: list[str],
                          answer: Callable[[], T]) -> T:
    """`answer()`; if local data lacks what it needs, fetch `codes` once and answer again."""
    try:
        return answer()
    except NotFoundError as missing:
        if client is None:
            raise NotFoundError(f"{missing}; local data lacks it: {HOW_TO_ENABLE}") from None
        lacking = [code for code in codes if _lacks(kb, code)]
        if not lacking:
            raise
        try:
            report = await kb.fetch_onet(lacking, client=client)
        except JobForgeError as error:
            raise NotFoundError(f"{missing}; fetching it from O*NET Web Services failed: {error}") from None
        if report.failed:
            raise NotFoundError(f"{missing}; O*NET Web Services could not supply it: "
                                + "; ".join(f"{code}: {why}" for code, why in report.failed.items())) from None
        return answer()


def _lacks(kb: KnowledgeBase, code: str) -> bool:
    snapshot = kb.profiles.current()
    code = code.strip()
    return code not in snapshot.titles or code not in snapshot.levels
