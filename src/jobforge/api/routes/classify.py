"""GET /classify (one title) and POST /classify (a batch)."""

from __future__ import annotations

import json
import os
import time
from typing import Annotated

from anyio import CapacityLimiter, to_thread
from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, StrictBool, model_validator

from jobforge.api.deps import Kb
from jobforge.api.errors import error_responses
from jobforge.api.limits import rate_limited
from jobforge.classify.rules import ACCEPT_RULE_TEXT, MAX_EXPLAINED, MAX_K, MAX_TITLE, System
from jobforge.errors import DeadlineExceededError, InputError
from jobforge.knowledge_base import KnowledgeBase

router = APIRouter(tags=["classify"])
CHUNK = 500  # titles coded between two checks of the client and the deadline
REQUEST_DEADLINE = 10.0
_CODING = CapacityLimiter(os.cpu_count() or 2)  # batches coded at once, whatever the request count
# One request's work is bounded (at most about 1.5 s of CPU on the full release, bench/api_limits.py):
MAX_BATCH = 5_000  # titles, scored by the word model
MAX_BATCH_EMBEDDED = 300  # titles, when sentence embeddings score them too (each costs ~20 times the CPU)
MAX_CANDIDATES = 25_000  # titles × k


def most_titles(kb: KnowledgeBase) -> int:
    """Titles one request may send: what bounds is the work, so fewer when each costs more."""
    return MAX_BATCH_EMBEDDED if kb.classify.embeddings else MAX_BATCH


class EvidenceOut(BaseModel):
    name: str = Field(description="The candidate's indexed name closest to the title")
    origin: str = Field(
        description="Where the name comes from: title, alternate, short, reported, label, "
        "example, french or borrowed (the other system's, through the crosswalk)"
    )


class CandidateOut(BaseModel):
    code: str = Field(description="O*NET-SOC code (NN-NNNN.NN) or NOC 2021 unit group (NNNNN)")
    title: str
    score: float = Field(
        description="Calibrated probability that this is a right occupation for the title "
        "(a title can have several, so scores need not add up to 1)"
    )
    evidence: EvidenceOut | None = Field(None, description="Only with explain=true")


class ClassificationOut(BaseModel):
    title: str
    candidates: list[CandidateOut]
    needs_review: bool = Field(description=ACCEPT_RULE_TEXT)


class TitleErrorOut(BaseModel):
    title: str
    error: str = Field(description="Why this title was not coded (empty, no letter or digit, too long)")


class BatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")  # {"sytem": "noc"} ignored would code with O*NET
    titles: list[str] = Field(
        min_length=1,
        max_length=MAX_BATCH,
        description="Job titles; one that cannot be coded is answered with its error, in its place",
    )
    k: int = Field(5, ge=1, le=MAX_K, strict=True)  # JSON true is no count (lax, it was 1)
    system: System = System.onet
    explain: StrictBool = False

    @model_validator(mode="after")
    def bounded(self) -> BatchRequest:
        limit, what = (MAX_EXPLAINED, "with explain") if self.explain else (MAX_CANDIDATES, "")
        if len(self.titles) * self.k > limit:
            raise ValueError(
                f"{len(self.titles):,} titles × k={self.k} asks for {len(self.titles) * self.k:,} candidates; "
                f"at most {limit:,} per request{' ' + what if what else ''}: send fewer titles or a smaller k"
            )
        return self


class BatchResponse(BaseModel):
    system: System
    results: list[ClassificationOut | TitleErrorOut] = Field(description="One per title, in order")


@router.get(
    "/classify", response_model=ClassificationOut, response_model_exclude_none=True, responses=error_responses(400, 404)
)
def classify_title(
    kb: Kb,
    title: Annotated[str, Query(min_length=1, max_length=MAX_TITLE, description="A job title, e.g. 'Sr. Data Eng.'")],
    k: Annotated[int, Query(ge=1, le=MAX_K)] = 5,
    system: System = System.onet,
    explain: Annotated[bool, Query(description="Add each candidate's indexed name closest to the title")] = False,
) -> dict:
    """The likeliest occupations for one job title, with calibrated scores and the accept/review
    decision. A title POST /classify would answer with an error is refused with that error (400)."""
    answer = kb.classify.batch([title], system.value, k, explain)[0]
    if "error" in answer:  # the batch's own test of a title, so that both routes code the same titles
        raise InputError(f"query parameter 'title': {answer['error']}")
    return answer


@router.post(
    "/classify",
    response_model=BatchResponse,
    response_model_exclude_none=True,
    responses=error_responses(400, 404, 413, 429, 503),
    dependencies=[Depends(rate_limited("batches"))],
)
async def classify_titles(kb: Kb, request: BatchRequest, http: Request) -> Response:
    """Up to 5,000 titles in one call (300 when sentence embeddings score them too, see /health;
    titles × k at most 25,000; 1,000 with explain), answered in
    order, one answer per title: a title that cannot be coded (empty, no letter or digit, over 500
    characters) is answered `{"title", "error"}` in its place and the others are coded. Per client at most
    JOBFORGE_API_BATCH_RATE calls a second (2 by default; bursts of 2.5 times that): 429 with
    Retry-After beyond. The titles are coded a chunk at a time off the event loop (at most as
    many batches at once as the machine has cores), the work stops if the client goes away, and
    a batch still unfinished after REQUEST_DEADLINE seconds answers 503."""
    most = most_titles(kb)
    if len(request.titles) > most:
        raise InputError(
            f"{len(request.titles):,} titles in one request; at most {most:,} while sentence embeddings score "
            "them too: send fewer per request"
        )
    deadline = time.monotonic() + REQUEST_DEADLINE
    results: list[dict] = []
    for start in range(0, len(request.titles), CHUNK):
        if await http.is_disconnected():
            return Response(status_code=499)  # nobody to answer: stop spending CPU on it
        if start and time.monotonic() > deadline:
            raise DeadlineExceededError(
                f"the batch was not coded within {REQUEST_DEADLINE:.0f} s ({start:,} of {len(request.titles):,} titles "
                "done); send fewer titles per request"
            )
        chunk = request.titles[start : start + CHUNK]

        def code(titles: list[str] = chunk) -> list[dict]:
            return kb.classify.batch(titles, request.system.value, request.k, request.explain)

        results += await to_thread.run_sync(code, limiter=_CODING)
    # Serialised off the event loop too, and once: the answer is already in its documented shape.
    body = await to_thread.run_sync(json.dumps, {"system": request.system.value, "results": results})
    return Response(body, media_type="application/json")
