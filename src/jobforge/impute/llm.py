"""The `llm` imputer: ratings from any OpenAI-compatible endpoint, through the `openai` SDK's
structured outputs (`chat.completions.parse` with a Pydantic schema).

One call asks for every missing element of one domain of one occupation (on each of its scales). Nothing
an answer says is stored until it passes `checked`: every element asked rated exactly once, no
element or scale that was not asked, each value inside its scale's bounds, each confidence in
[0, 1], a rationale. An answer that fails — not JSON for the schema, truncated at the length
limit, refused, or invalid — is asked again, up to `llm_attempts` times, and then reported with
each attempt's reason; it never reaches the value store. Transient HTTP failures (429, 5xx,
timeouts) are retried separately by `jobforge.llm_client` (Retry-After honoured), under
a rate limit and a cap on requests in flight. Valid answers are cached by prompt hash
(`llm_cache`), so a rerun only asks what failed. A run given a spending cap (`llm_max_cost`) sends
no request once its cost reaches it; the questions left are reported, and a rerun goes on.

    confidence = min(the model's own confidence, 0.75)

A model's self-assessment is not calibrated here (no held-out run against a live model is part
of the benchmark), so it is capped below the neighbours' calibrated top band and says "llm" in
its method and rationale for anyone filtering it out.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import pydantic
from sqlalchemy import Engine

from jobforge.config import Settings
from jobforge.errors import SourceUnavailableError, SpendingCapError
from jobforge.impute.estimates import Estimate, Unanswered
from jobforge.impute.llm_cache import AnswerCache
from jobforge.impute.llm_prompt import ElementRating, Question, RatingsAnswer
from jobforge.llm_client import BAD_ANSWERS, LlmUsage, StructuredCalls, bad_answer, configured, tokens

CONFIDENCE_CAP = 0.75


class InvalidAnswer(Exception):
    """An answer that must not be stored; the message says what is wrong with it."""


@dataclass
class LlmAnswers:
    estimates: list[Estimate] = field(default_factory=list)
    failures: list[Unanswered] = field(default_factory=list)  # asked, and no valid answer came
    unasked: list[Unanswered] = field(default_factory=list)  # never sent: the run reached its spending cap
    stopped: str | None = None  # why some questions were not asked
    usage: LlmUsage = field(default_factory=LlmUsage)


def checked(answer: RatingsAnswer, question: Question) -> list[ElementRating]:
    """The answer's ratings, if every one is valid and every element asked is rated once."""
    expected = {(item.element, item.scale): item for item in question.asked}
    seen: dict[tuple[str, str], ElementRating] = {}
    for position, rating in enumerate(answer.ratings, start=1):
        key = (rating.element_id, rating.scale_id)
        where = f"rating {position} ({rating.element_id} {rating.scale_id})"
        if key not in expected:
            raise InvalidAnswer(f"{where}: that element and scale were not asked for")
        if key in seen:
            raise InvalidAnswer(f"{where}: rated twice")
        bounds = expected[key]
        if not math.isfinite(rating.value) or not bounds.low <= rating.value <= bounds.high:
            raise InvalidAnswer(
                f"{where}: value {rating.value:g} is outside the scale's {bounds.low:g}–{bounds.high:g}"
            )
        if not math.isfinite(rating.confidence) or not 0 <= rating.confidence <= 1:
            raise InvalidAnswer(f"{where}: confidence {rating.confidence:g} is outside 0–1")
        if not rating.rationale.strip():
            raise InvalidAnswer(f"{where}: no rationale")
        seen[key] = rating
    missing = sorted(set(expected) - set(seen))
    if missing:
        raise InvalidAnswer(f"{len(missing)} of the {len(expected)} elements asked were not rated ({missing[0][0]} …)")
    return list(seen.values())


class LlmImputer:
    method = "llm"

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.model = configured(settings, "the llm provider")
        self.settings = settings
        self.cache = AnswerCache(engine)

    def answer(self, questions: list[Question], progress: Callable[[int, int], None] | None = None) -> LlmAnswers:
        """Every question's estimates, or a failure naming it; a rejected key, an unknown model or
        a refused request ends the run (every other call would fail alike)."""
        answers = LlmAnswers()
        asyncio.run(self._answer_all(questions, answers, progress))
        usage = answers.usage
        usage.priced(self.settings)
        usage.unasked = len(answers.unasked)
        if answers.unasked:
            answers.stopped = (
                f"{usage.unasked} of {len(questions)} questions not asked: the run reached its spending cap of "
                f"${self.settings.llm_max_cost:g} (JOBFORGE_LLM_MAX_COST); run it again to go on (the answers "
                "already given are cached, not paid for twice)"
            )
        return answers

    async def _answer_all(
        self, questions: list[Question], answers: LlmAnswers, progress: Callable[[int, int], None] | None
    ) -> None:
        done = 0
        async with StructuredCalls(self.settings, answers.usage) as calls:

            async def one(question: Question) -> None:
                nonlocal done
                await self._answer(calls, question, answers)
                done += 1
                if progress:
                    progress(done, len(questions))

            await asyncio.gather(*(one(question) for question in questions))

    async def _answer(self, calls: StructuredCalls, question: Question, answers: LlmAnswers) -> None:
        usage = answers.usage
        cached = self.cache.get(question.prompt_hash)
        if cached is not None:
            try:
                ratings = checked(RatingsAnswer.model_validate_json(cached), question)
            except (InvalidAnswer, pydantic.ValidationError):
                pass  # written by a version that checked less: asked again
            else:
                usage.cached += 1
                answers.estimates += self._estimates(question, ratings)
                return
        problems: list[str] = []
        for attempt in range(self.settings.llm_attempts):
            if attempt:
                usage.reasked += 1
            try:
                completion = await calls.parse(question.messages, RatingsAnswer)
                message = completion.choices[0].message
                if message.refusal:
                    raise InvalidAnswer(f"refused: {message.refusal[:200]}")
                if message.parsed is None:
                    raise InvalidAnswer("no answer in the response")
                ratings = checked(message.parsed, question)
            except SpendingCapError:
                answers.unasked.append(Unanswered(question.code, question.domain, "not asked: spending cap reached"))
                return
            except SourceUnavailableError as error:
                answers.failures.append(Unanswered(question.code, question.domain, str(error)))
                return
            except (InvalidAnswer, *BAD_ANSWERS) as error:
                problems.append(bad_answer(error))
                continue
            except pydantic.ValidationError as error:
                problems.append(f"not valid for the answer schema ({error.errors()[0]['msg']})")
                continue
            self.cache.put(question.prompt_hash, self.model, message.parsed.model_dump_json(), *tokens(completion))
            answers.estimates += self._estimates(question, ratings)
            return
        answers.failures.append(
            Unanswered(
                question.code, question.domain, f"no valid answer in {len(problems)} attempts: {'; '.join(problems)}"
            )
        )

    def _estimates(self, question: Question, ratings: list[ElementRating]) -> list[Estimate]:
        return [
            Estimate(
                question.code,
                question.domain,
                rating.scale_id,
                rating.element_id,
                round(rating.value, 2),
                round(min(rating.confidence, CONFIDENCE_CAP), 3),
                self.method,
                f"llm ({self.model}): {rating.rationale.strip()[:1000]}",
                self.model,
                question.prompt_hash,
            )  # fmt: skip
            for rating in ratings
        ]
