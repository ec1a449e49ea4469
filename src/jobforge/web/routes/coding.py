"""Many job titles at once, pasted or uploaded: ranked candidates with evidence and the review
decision, on the page or as CSV."""

from __future__ import annotations

import io
from typing import Annotated

from anyio import to_thread
from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from fastapi.responses import HTMLResponse

from jobforge.api.deps import Kb
from jobforge.api.routes.classify import most_titles
from jobforge.classify.rules import MAX_EXPLAINED, System
from jobforge.coded_title_rows import HEADER, rows
from jobforge.errors import InputError
from jobforge.spreadsheet_csv import SpreadsheetWriter
from jobforge.text_input import decoded_text
from jobforge.title_table import header_name, table_titles
from jobforge.web import session
from jobforge.web.render import page

router = APIRouter(tags=["pages"], include_in_schema=False)
CANDIDATES = 5


@router.get("/coding", response_class=HTMLResponse)
def coding_form(request: Request) -> HTMLResponse:
    return page(request, "coding.html", titles_text="", system="onet", results=None)


@router.post("/coding", response_model=None)
async def code_titles(
    request: Request,
    kb: Kb,
    csrf: Annotated[str, Form(max_length=100)] = "",
    titles: Annotated[str, Form(max_length=1_000_000)] = "",
    system: Annotated[System, Form()] = System.onet,
    format: Annotated[str, Form(pattern="^(html|csv)$")] = "html",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    session.check_csrf(request, csrf)
    wanted = listed(titles, "the pasted titles")
    if file is not None and file.filename:
        text = decoded_text(await file.read(), f"file '{file.filename}'")
        wanted += listed(text, f"file '{file.filename}'", as_table=file.filename.lower().endswith(".csv"))
    if not wanted:
        raise InputError("no title to code: paste titles, one per line, or choose a file")
    most = most_titles(kb)
    if len(wanted) > most:
        raise InputError(f"{len(wanted):,} titles; at most {most:,} at once")
    # Evidence costs a comparison with every name of each candidate: given as far as the API gives it.
    explained = len(wanted) * CANDIDATES <= MAX_EXPLAINED
    # CPU-bound (up to most_titles): in a worker thread, not on the event loop every page shares
    results = await to_thread.run_sync(kb.classify.batch, wanted, system.value, CANDIDATES, explained)
    if format == "csv":
        return Response(
            as_csv(results),
            media_type="text/csv",
            headers={"Content-Disposition": f'attachment; filename="coded-titles-{system.value}.csv"'},
        )
    return page(request, "coding.html", titles_text=titles, system=system.value, results=results, explained=explained)


def listed(text: str, where: str, *, as_table: bool = False) -> list[str]:
    """The titles of a paste or a file: one per line (split at line feeds only: a carriage return
    inside a line is part of its title; a first line 'Title' or 'Job title' is a header), or a CSV
    file's title column (`title_table`); blank lines are separators and skipped. A title that
    cannot be coded stays, to be answered with its own error in its place."""
    if "\x00" in text:
        raise InputError(f"{where} holds a NUL character: is it a text file?")
    if as_table:
        return [title for title in table_titles(text, where)[0] if title.strip()]
    titles = [line for line in (line.removesuffix("\r") for line in text.split("\n")) if line.strip()]
    if titles and header_name(titles[0]) in ("title", "job title", "titre"):
        titles = titles[1:]
    return titles


def as_csv(results: list[dict]) -> str:
    out = io.StringIO()
    writer = SpreadsheetWriter(out)
    writer.writerow(HEADER)
    for result in results:
        writer.writerows(rows(result))
    return out.getvalue()
