"""The LLM's second opinion on a role's candidate codes, when an endpoint is configured.

The title coder sees only the title; a model can read the role's description and language too.
It is asked to judge each candidate the coder proposed — never to invent a code — with a fit
(0–1) and a rationale; its answer is checked (only the candidates, each once, fit inside [0, 1], a
rationale) and a bad one asked again (`llm_attempts`), then given up with its reason. Its choices
join the review queue as method `llm`, beside the coder's: a person still decides.
"""

from __future__ import annotations

import asyncio
import json
import math

import pydantic
from pydantic import BaseModel, ConfigDict

from jobforge.config import Settings
from jobforge.errors import JobForgeError
from jobforge.llm_client import BAD_ANSWERS, LlmUsage, StructuredCalls, bad_answer

SYSTEM = (
    "You review the occupation codes an automatic coder proposed for a company's job role. For each "
    "candidate, say how well it fits the role (fit, 0 to 1) and why, in one or two sentences that name "
    "what in the role supports or contradicts it. Judge only the candidates given, each exactly once."
)


class Choice(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str
    fit: float
    rationale: str


class Refinement(BaseModel):
    model_config = ConfigDict(extra="forbid")
    choices: list[Choice]


class BadRefinement(Exception):
    pass


def messages(title: str, description: str, language: str, candidates: list[dict]) -> list[dict]:
    user = "\n".join([
        f"Role: {title}", f"Language of the role: {language}", f"Description: {description or '(none)'}",
        "Candidates (code, title, the coder's score):",
        "<candidates>" + json.dumps(candidates, ensure_ascii=False) + "</candidates>",
    ])  # fmt: skip
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]


def checked(answer: Refinement, codes: list[str]) -> list[Choice]:
    seen: dict[str, Choice] = {}
    for position, choice in enumerate(answer.choices, start=1):
        if choice.code not in codes:
            raise BadRefinement(f"choice {position}: {choice.code} was not a candidate")
        if choice.code in seen:
            raise BadRefinement(f"choice {position}: {choice.code} judged twice")
        if not math.isfinite(choice.fit) or not 0 <= choice.fit <= 1:
            raise BadRefinement(f"choice {position}: fit {choice.fit:g} is outside 0–1")
        if not choice.rationale.strip():
            raise BadRefinement(f"choice {position}: no rationale")
        seen[choice.code] = choice
    if len(seen) != len(codes):
        raise BadRefinement(f"{len(codes) - len(seen)} of the {len(codes)} candidates were not judged")
    return list(seen.values())


def refined(
    settings: Settings, title: str, description: str, language: str, candidates: list[dict]
) -> tuple[list[Choice], str | None]:
    """The model's judged candidates, or none and why (any failure: role coding goes on without it)."""
    prompt = messages(title, description, language, candidates)
    codes = [candidate["code"] for candidate in candidates]

    async def ask() -> tuple[list[Choice], str | None]:
        problems = []
        async with StructuredCalls(settings, LlmUsage()) as calls:
            for _attempt in range(settings.llm_attempts):
                try:
                    completion = await calls.parse(prompt, Refinement)
                    message = completion.choices[0].message
                    if message.refusal or message.parsed is None:
                        raise BadRefinement(f"refused: {(message.refusal or 'no answer')[:200]}")
                    return checked(message.parsed, codes), None
                except (BadRefinement, *BAD_ANSWERS) as error:
                    problems.append(bad_answer(error))
                except pydantic.ValidationError as error:
                    problems.append(f"not valid for the answer schema ({error.errors()[0]['msg']})")
        return [], f"no valid answer in {len(problems)} attempts: {'; '.join(problems)}"

    try:
        return asyncio.run(ask())
    except JobForgeError as error:
        return [], str(error)
