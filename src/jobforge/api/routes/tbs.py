"""TBS occupational groups from the last good snapshot, and the last scrape's status."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from jobforge.api.deps import Kb
from jobforge.api.errors import error_responses
from jobforge.sources.tbs import queries

router = APIRouter(prefix="/tbs", tags=["TBS occupational groups"])
Lang = Annotated[Literal["en", "fr"], Query(description="Language of the snapshot")]


@router.get("/groups", response_model=list[queries.TbsGroupView], responses=error_responses(400, 404))
def groups(kb: Kb, lang: Lang = "en") -> list[queries.TbsGroupView]:
    """Every row of the occupational groups table, with definitions and links, with provenance;
    404 before the first good scrape in that language, saying how to run one."""
    return kb.tbs.groups(lang)


@router.get("/groups/{code}", response_model=list[queries.TbsGroupView], responses=error_responses(400, 404))
def group(
    kb: Kb,
    code: Annotated[str, Path(description="Group abbreviation (AI) or code (402)", max_length=20)],
    lang: Lang = "en",
) -> list[queries.TbsGroupView]:
    """A group's rows (one per subgroup)."""
    return kb.tbs.group(code, lang)


@router.get("/status", response_model=queries.TbsRunView | None, responses=error_responses())
def status(kb: Kb) -> queries.TbsRunView | None:
    """The last scrape: status (ok or failed, with the reason), time, pages."""
    return kb.tbs.last_run()
