"""Skill gap between two occupations or roles (chart, table, CSV) and career transitions."""

from __future__ import annotations

import io
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import HTMLResponse

from jobforge.api.deps import Kb
from jobforge.careers.domains import GapDomain
from jobforge.careers.skill_gap import SkillGap
from jobforge.entities import ONET
from jobforge.errors import NotFoundError
from jobforge.knowledge_base import KnowledgeBase
from jobforge.spreadsheet_csv import SpreadsheetWriter
from jobforge.web import session
from jobforge.web.render import page

router = APIRouter(tags=["pages"], include_in_schema=False)


def compared(request: Request, kb: KnowledgeBase, from_code: str, to_code: str, domain: GapDomain) -> SkillGap:
    """A gap where either side may be a role of the signed-in caller's organisation, or a title."""
    from_code, to_code = picked(kb, from_code, "from"), picked(kb, to_code, "to")
    roles = kb.roles.profiles_named(session.signed_in(request), [from_code, to_code])
    return kb.careers.skill_gap(from_code, to_code, domain, roles)


def picked(kb: KnowledgeBase, text: str, side: str) -> str:
    """A side as typed: an O*NET-SOC code or role:N as it is; words as the occupation whose title
    (or alternate title) they find first, so that nobody needs to know codes to compare."""
    text = text.strip()
    if text.startswith("role:") or ONET.matches(text) or not any(c.isalpha() for c in text):
        return text
    found = kb.occupations.search(text, 1).occupations
    if not found:
        raise NotFoundError(f"'{side}': no occupation title or alternate title has all the words of '{text[:60]}'")
    return found[0].code


@router.get("/gap", response_class=HTMLResponse)
def gap(
    request: Request,
    kb: Kb,
    from_code: Annotated[str, Query(alias="from", max_length=200)] = "",
    to_code: Annotated[str, Query(alias="to", max_length=200)] = "",
    domain: GapDomain = GapDomain.skills,
) -> HTMLResponse:
    found = compared(request, kb, from_code, to_code, domain) if from_code.strip() and to_code.strip() else None
    query = urlencode({"from": from_code, "to": to_code, "domain": domain.value})
    caller = session.signed_in(request)
    roles = kb.roles.search(caller, limit=200).roles if caller else []  # offered beside typing a title or code
    return page(
        request,
        "gap.html",
        from_code=from_code,
        to_code=to_code,
        domain=domain.value,
        domains=[d.value for d in GapDomain],
        gap=found,
        roles=roles,
        csv_url=f"/gap.csv?{query}",
    )


@router.get("/gap.csv")
def gap_csv(
    request: Request,
    kb: Kb,
    from_code: Annotated[str, Query(alias="from", min_length=1, max_length=200)],
    to_code: Annotated[str, Query(alias="to", min_length=1, max_length=200)],
    domain: GapDomain = GapDomain.skills,
) -> Response:
    found = compared(request, kb, from_code, to_code, domain)
    out = io.StringIO()
    writer = SpreadsheetWriter(out)
    columns = ["element_id", "element_name", "scale_id", "from_data_value", "to_data_value", "gap", "to_importance"]
    columns += ["source_kind", "to_confidence", "from_source_kind", "from_confidence"]  # the first two, as before
    writer.writerow(columns)
    for item in found.skill_gaps:
        writer.writerow([getattr(item, column) for column in columns])
    name = f"skill-gap-{found.from_occupation_code}-{found.to_occupation_code}.csv".replace(":", "-")
    return Response(
        out.getvalue(), media_type="text/csv", headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@router.get("/careers/{code}", response_class=HTMLResponse)
def transitions(request: Request, kb: Kb, code: Annotated[str, Path(max_length=40)]) -> HTMLResponse:
    roles = kb.roles.profiles_named(session.signed_in(request), [code])
    found = kb.careers.transitions(code, 15, roles)
    title = roles[code.strip()].title if code.strip() in roles else kb.occupations.title(code)
    return page(request, "transitions.html", code=code.strip(), title=title, found=found)
