"""The `llm` imputer: ratings from any OpenAI-compatible endpoint, through the `openai` SDK's
structured outputs (`chat.completions.parse` with a Pydantic schema).

One call asks for every missing element of one domain of one occupation (both scales). Nothing
an answer says is stored until it passes `checked`: every element asked rated exactly once, no
element or scale that was not asked, each value inside its scale's bounds, each confidence in
[0, 1], a rationale. An answer that fails — not JSON for the schema, truncated at the length
limit, refused, or invalid — is asked again, up to `llm_attempts` times, and then reported with
each attempt's reason; it never reaches the value store. Transient HTTP failures (429, 5xx,
timeouts) are retried separately, honouring Retry-After (the project's `http_retry` rules), under
a rate limit and a cap on requests in flight. Valid answers are cached by prompt hash
(`llm_cache`), so a rerun only asks what failed.

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

import openai
import pydantic
from aiolimiter import AsyncLimiter
from sqlalchemy import Engine
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, stop_after_delay

from jobforge.config import Settings
from jobforge.errors import ApiKeyRejectedError, ConfigurationError, MalformedResponseError, SourceUnavailableError
from jobforge.http_retry import beyond_the_wait, retry_after_seconds, waiting, worth_waiting_for
from jobforge.impute.estimates import Estimate
from jobforge.impute.llm_cache import AnswerCache
from jobforge.impute.llm_prompt import ElementRating, Question, RatingsAnswer

CONFIDENCE_CAP = 0.75
TRANSIENT_ATTEMPTS = 5
TRANSIENT_DEADLINE = 300.0  # seconds one question may spend waiting out transient failures


class InvalidAnswer(Exception):
    """An answer that must not be stored; the message says what is wrong with it."""


@dataclass
class LlmUsage:
    calls: int = 0  # requests sent
    cached: int = 0  # questions answered from the cache
    retries: int = 0  # transient failures waited out
    reasked: int = 0  # invalid answers asked again
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float | None = None  # USD, when both prices are set


@dataclass
class LlmAnswers:
    estimates: list[Estimate] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
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
        if not settings.llm_model:
            raise ConfigurationError("the llm provider needs a model: set JOBFORGE_LLM_MODEL (e.g. gpt-4.1-mini)")
        if not settings.llm_api_key and "api.openai.com" in settings.llm_base_url:
            raise ConfigurationError(
                "the llm provider needs OPENAI_API_KEY for api.openai.com (or OPENAI_BASE_URL for another endpoint)"
            )
        self.settings = settings
        self.model = settings.llm_model
        self.cache = AnswerCache(engine)

    def answer(self, questions: list[Question], progress: Callable[[int, int], None] | None = None) -> LlmAnswers:
        """Every question's estimates, or a failure naming it; a rejected key, an unknown model or
        a refused request ends the run (every other call would fail alike)."""
        answers = LlmAnswers()
        asyncio.run(self._answer_all(questions, answers, progress))
        prices = self.settings.llm_input_price, self.settings.llm_output_price
        if prices[0] is not None and prices[1] is not None:
            usage = answers.usage
            answers.usage.cost = round((usage.prompt_tokens * prices[0] + usage.completion_tokens * prices[1]) / 1e6, 4)
        return answers

    async def _answer_all(
        self, questions: list[Question], answers: LlmAnswers, progress: Callable[[int, int], None] | None
    ) -> None:
        settings = self.settings
        self._limiter = AsyncLimiter(settings.llm_rate, 1)
        self._slots = asyncio.Semaphore(settings.llm_concurrency)
        done = 0
        async with openai.AsyncOpenAI(
            base_url=settings.llm_base_url, api_key=settings.llm_api_key or "unused",
            max_retries=0, timeout=settings.llm_timeout,
        ) as client:  # fmt: skip
            self._client = client

            async def one(question: Question) -> None:
                nonlocal done
                await self._answer(question, answers)
                done += 1
                if progress:
                    progress(done, len(questions))

            await asyncio.gather(*(one(question) for question in questions))

    async def _answer(self, question: Question, answers: LlmAnswers) -> None:
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
                completion = await self._ask(question, usage)
                message = completion.choices[0].message
                if message.refusal:
                    raise InvalidAnswer(f"refused: {message.refusal[:200]}")
                if message.parsed is None:
                    raise InvalidAnswer("no answer in the response")
                ratings = checked(message.parsed, question)
            except SourceUnavailableError as error:
                answers.failures.append(f"{question.code} {question.domain}: {error}")
                return
            except (InvalidAnswer, openai.LengthFinishReasonError, openai.ContentFilterFinishReasonError) as error:
                problems.append(_reason(error))
                continue
            except pydantic.ValidationError as error:
                problems.append(f"not valid for the answer schema ({error.errors()[0]['msg']})")
                continue
            self.cache.put(
                question.prompt_hash, self.model, message.parsed.model_dump_json(),
                *_tokens(completion),
            )  # fmt: skip
            answers.estimates += self._estimates(question, ratings)
            return
        answers.failures.append(
            f"{question.code} {question.domain}: no valid answer in {len(problems)} attempts: {'; '.join(problems)}"
        )

    async def _ask(self, question: Question, usage: LlmUsage):  # -> ParsedChatCompletion[RatingsAnswer]
        """One request, its transient failures waited out; tokens counted even for bad answers."""
        async for attempt in AsyncRetrying(
            stop=stop_after_attempt(TRANSIENT_ATTEMPTS) | stop_after_delay(TRANSIENT_DEADLINE),
            wait=waiting(1.0),
            retry=retry_if_exception(worth_waiting_for),
            before_sleep=lambda _state: setattr(usage, "retries", usage.retries + 1),
            reraise=True,
        ):
            with attempt:
                async with self._slots, self._limiter:
                    usage.calls += 1
                    try:
                        completion = await self._client.chat.completions.parse(
                            model=self.model, messages=question.messages,  # type: ignore[arg-type]
                            response_format=RatingsAnswer,
                        )  # fmt: skip
                    except (openai.LengthFinishReasonError, openai.ContentFilterFinishReasonError) as error:
                        _count(usage, error.completion)
                        raise
                    except openai.APIError as error:
                        raise self._translated(error) from None
                _count(usage, completion)
                return completion
        raise AssertionError("unreachable: tenacity reraises the last failure")

    def _translated(self, error: openai.APIError) -> Exception:
        url = self.settings.llm_base_url
        if isinstance(error, openai.APITimeoutError):
            return SourceUnavailableError(url, "the LLM endpoint timed out")
        if isinstance(error, openai.APIConnectionError):
            return SourceUnavailableError(url, f"the LLM endpoint could not be reached ({error})")
        if not isinstance(error, openai.APIStatusError):
            return MalformedResponseError(url, f"the LLM endpoint answered with something unreadable ({error})")
        status = error.status_code
        if status in (401, 403):
            return ApiKeyRejectedError(f"the LLM endpoint {url} rejected the key (HTTP {status}); check OPENAI_API_KEY")
        if status == 429 or status >= 500:
            wait = retry_after_seconds(error.response.headers.get("Retry-After"))
            return SourceUnavailableError(url, f"the LLM endpoint answered HTTP {status}{beyond_the_wait(wait)}", wait)
        if status == 404:
            return ConfigurationError(
                f"the LLM endpoint {url} has no model '{self.model}' (HTTP 404); check JOBFORGE_LLM_MODEL"
            )
        return MalformedResponseError(
            url, f"the LLM endpoint refused the request (HTTP {status}): {error.message[:300]}"
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


def _reason(error: Exception) -> str:
    if isinstance(error, openai.LengthFinishReasonError):
        return "truncated (the answer reached the length limit)"
    if isinstance(error, openai.ContentFilterFinishReasonError):
        return "refused by the endpoint's content filter"
    return str(error)


def _tokens(completion) -> tuple[int, int]:
    usage = getattr(completion, "usage", None)
    return (usage.prompt_tokens, usage.completion_tokens) if usage else (0, 0)


def _count(usage: LlmUsage, completion) -> None:
    prompt, answer = _tokens(completion) if completion is not None else (0, 0)
    usage.prompt_tokens += prompt
    usage.completion_tokens += answer
