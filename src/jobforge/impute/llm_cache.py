"""Answers of the LLM endpoint, kept by prompt hash in the JobForge database.

The same question (model, messages and answer schema) is never paid for twice: a rerun after a
failure, or on a second machine sharing the PostgreSQL database, reuses every valid answer. Only
answers that passed validation are kept, so a cached answer is always one that could be stored.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Engine, Integer, String, delete, insert, select
from sqlalchemy.orm import Mapped, mapped_column

from jobforge.store.base import Base
from jobforge.store.types import LONG_TEXT


class LlmAnswer(Base):
    __tablename__ = "llm_answer"
    prompt_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    model: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(LONG_TEXT)
    prompt_tokens: Mapped[int] = mapped_column(Integer)
    completion_tokens: Mapped[int] = mapped_column(Integer)
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AnswerCache:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, prompt_hash: str) -> str | None:
        with self.engine.connect() as connection:
            return connection.scalar(select(LlmAnswer.body).where(LlmAnswer.prompt_hash == prompt_hash))

    def put(self, prompt_hash: str, model: str, body: str, prompt_tokens: int, completion_tokens: int) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(LlmAnswer).where(LlmAnswer.prompt_hash == prompt_hash))
            connection.execute(
                insert(LlmAnswer).values(
                    prompt_hash=prompt_hash,
                    model=model,
                    body=body,
                    prompt_tokens=prompt_tokens,
                    completion_tokens=completion_tokens,
                    answered_at=datetime.now(UTC),
                )  # fmt: skip
            )
