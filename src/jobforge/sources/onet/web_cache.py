"""The persistent cache of O*NET Web Services responses, in the JobForge database itself.

Kept in the store rather than a side file so that every backend has it, it survives with the
data it explains, and a fetched value's provenance can name the URL and when it was retrieved.
A cached answer is reused for `onet_api_cache_days` (90 by default) unless a refresh is asked.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import DateTime, Engine, Integer, String, delete, insert, select
from sqlalchemy.orm import Mapped, mapped_column

from jobforge.store.base import Base
from jobforge.store.types import LONG_TEXT


class OnetApiResponse(Base):
    __tablename__ = "onet_api_response"
    url: Mapped[str] = mapped_column(String(700), primary_key=True)
    status: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(LONG_TEXT)
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ResponseCache:
    def __init__(self, engine: Engine, ttl: timedelta) -> None:
        self.engine = engine
        self.ttl = ttl

    def get(self, url: str) -> tuple[int, str, datetime] | None:
        with self.engine.connect() as connection:
            row = connection.execute(
                select(OnetApiResponse.status, OnetApiResponse.body, OnetApiResponse.fetched_at).where(
                    OnetApiResponse.url == url
                )
            ).first()
        if row is None:
            return None
        fetched_at = row.fetched_at if row.fetched_at.tzinfo else row.fetched_at.replace(tzinfo=UTC)
        if datetime.now(UTC) - fetched_at > self.ttl:
            return None
        return row.status, row.body, fetched_at

    def put(self, url: str, status: int, body: str) -> datetime:
        fetched_at = datetime.now(UTC)
        with self.engine.begin() as connection:
            connection.execute(delete(OnetApiResponse).where(OnetApiResponse.url == url))
            connection.execute(insert(OnetApiResponse).values(url=url, status=status, body=body, fetched_at=fetched_at))
        return fetched_at
