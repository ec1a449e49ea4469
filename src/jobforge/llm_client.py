"""Structured-output calls to an OpenAI-compatible endpoint (OpenAI, Gemini's compatible endpoint,
Ollama, vLLM), shared by imputation and role coding.

Through the official `openai` SDK (`chat.completions.parse` with a Pydantic schema), with its own
retries switched off: transient failures (429, 5xx, time-outs) are waited out by the project's
`http_retry` rules (Retry-After honoured up to MAX_WAIT), under a rate limit and a cap on requests
in flight; a rejected key, an unknown model or a refused request becomes the error of its kind.
Tokens are counted for every answer, a bad one included. Each answer is read within bounds
(`bounded_http`): at most MAX_ANSWER_BYTES, whole within `llm_timeout` seconds.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import openai
from aiolimiter import AsyncLimiter
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, stop_after_delay

from jobforge.bounded_http import BoundedTransport
from jobforge.config import Settings
from jobforge.errors import (
    ApiKeyRejectedError,
    ConfigurationError,
    MalformedResponseError,
    SourceUnavailableError,
    SpendingCapError,
)
from jobforge.http_retry import beyond_the_wait, retry_after_seconds, waiting, worth_waiting_for

TRANSIENT_ATTEMPTS = 5
TRANSIENT_DEADLINE = 300.0  # seconds one question may spend waiting out transient failures
MAX_ANSWER_BYTES = 8 * 1024 * 1024  # an answer for a whole domain is tens of kilobytes
BAD_ANSWERS = (openai.LengthFinishReasonError, openai.ContentFilterFinishReasonError)


@dataclass
class LlmUsage:
    calls: int = 0  # requests sent
    cached: int = 0  # questions answered from the cache
    retries: int = 0  # transient failures waited out
    reasked: int = 0  # invalid answers asked again
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float | None = None  # USD, when both prices are set
    unasked: int = 0  # questions not sent because the run reached its spending cap

    def priced(self, settings: Settings) -> None:
        self.cost = self.spent(settings)

    def spent(self, settings: Settings) -> float | None:
        """USD so far, when both prices are set."""
        prices = settings.llm_input_price, settings.llm_output_price
        if prices[0] is None or prices[1] is None:
            return None
        return round((self.prompt_tokens * prices[0] + self.completion_tokens * prices[1]) / 1e6, 4)


def configured(settings: Settings, purpose: str) -> str:
    """The model to ask, or ConfigurationError saying which setting is missing."""
    if settings.llm_max_cost is not None and None in (settings.llm_input_price, settings.llm_output_price):
        raise ConfigurationError(
            "JOBFORGE_LLM_MAX_COST needs JOBFORGE_LLM_INPUT_PRICE and JOBFORGE_LLM_OUTPUT_PRICE to count what is spent"
        )
    if not settings.llm_model:
        raise ConfigurationError(f"{purpose} needs a model: set JOBFORGE_LLM_MODEL (e.g. gpt-4.1-mini)")
    if not settings.llm_api_key and "api.openai.com" in settings.llm_base_url:
        raise ConfigurationError(
            f"{purpose} needs OPENAI_API_KEY for api.openai.com (or OPENAI_BASE_URL for another endpoint)"
        )
    return settings.llm_model


class StructuredCalls:
    """One async session with the endpoint: `async with StructuredCalls(settings) as calls:`."""

    def __init__(self, settings: Settings, usage: LlmUsage) -> None:
        self.settings = settings
        self.model = settings.llm_model
        self.usage = usage

    async def __aenter__(self) -> StructuredCalls:
        settings = self.settings
        self._limiter = AsyncLimiter(settings.llm_rate, 1)
        self._slots = asyncio.Semaphore(settings.llm_concurrency)
        self._client = openai.AsyncOpenAI(
            base_url=settings.llm_base_url, api_key=settings.llm_api_key or "unused",
            max_retries=0, timeout=settings.llm_timeout,
            http_client=openai.DefaultAsyncHttpxClient(
                transport=BoundedTransport(MAX_ANSWER_BYTES, settings.llm_timeout)
            ),
        )  # fmt: skip
        return self

    async def __aexit__(self, *_exc) -> None:
        await self._client.close()

    async def parse(self, messages: list[dict], schema: type) -> Any:
        """One request, its transient failures waited out (ParsedChatCompletion of `schema`)."""
        usage = self.usage
        async for attempt in AsyncRetrying(
            stop=stop_after_attempt(TRANSIENT_ATTEMPTS) | stop_after_delay(TRANSIENT_DEADLINE),
            wait=waiting(1.0),
            retry=retry_if_exception(worth_waiting_for),
            before_sleep=lambda _state: setattr(usage, "retries", usage.retries + 1),
            reraise=True,
        ):
            with attempt:
                async with self._slots, self._limiter:
                    self._within_the_cap()
                    usage.calls += 1
                    try:
                        completion = await self._client.chat.completions.parse(
                            model=self.model, messages=messages, response_format=schema,  # type: ignore[arg-type]
                        )  # fmt: skip
                    except BAD_ANSWERS as error:
                        _count(usage, error.completion)
                        raise
                    except openai.APIError as error:
                        raise self._translated(error) from None
                    except RecursionError:  # the SDK reads the body with Python's parser, which gives up deep down
                        raise MalformedResponseError(
                            self.settings.llm_base_url, "the LLM endpoint answered JSON nested too deep to read"
                        ) from None
                _count(usage, completion)
                return completion
        raise AssertionError("unreachable: tenacity reraises the last failure")

    def _within_the_cap(self) -> None:
        """Checked as each request takes its slot, so that requests queued behind the cap are not sent."""
        cap, spent = self.settings.llm_max_cost, self.usage.spent(self.settings)
        if cap is not None and spent is not None and spent >= cap:
            raise SpendingCapError(f"the run has spent ${spent:.4f} of its ${cap:g} cap (JOBFORGE_LLM_MAX_COST)")

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


def bad_answer(error: Exception) -> str:
    """Why an answer was not usable, in a few words."""
    if isinstance(error, openai.LengthFinishReasonError):
        return "truncated (the answer reached the length limit)"
    if isinstance(error, openai.ContentFilterFinishReasonError):
        return "refused by the endpoint's content filter"
    return str(error)


def tokens(completion) -> tuple[int, int]:
    usage = getattr(completion, "usage", None)
    return (usage.prompt_tokens, usage.completion_tokens) if usage else (0, 0)


def _count(usage: LlmUsage, completion) -> None:
    prompt, answer = tokens(completion) if completion is not None else (0, 0)
    usage.prompt_tokens += prompt
    usage.completion_tokens += answer
