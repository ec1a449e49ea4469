"""TBS scrape runs, page versions and group snapshots.

A page gets a new version only when its content hash changes; a new snapshot of the groups
(one row per table row, with its definition) is written when the groups page or the definitions
page changed. Each version keeps its provenance: URL, fetched-at, page title, extraction method
(parser version) and content SHA-256.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from jobforge.sources.onet.web_cache import LONG_TEXT
from jobforge.store.base import Base

BASE_URL_LENGTH = 300


class TbsRun(Base):
    __tablename__ = "tbs_run"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    languages: Mapped[str] = mapped_column(String(10))
    depth: Mapped[int] = mapped_column(Integer)
    base_url: Mapped[str] = mapped_column(String(BASE_URL_LENGTH))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(10))
    message: Mapped[str | None] = mapped_column(Text)
    pages_fetched: Mapped[int] = mapped_column(Integer)
    pages_changed: Mapped[int] = mapped_column(Integer)


class TbsPage(Base):
    __tablename__ = "tbs_page"
    __table_args__ = (Index(None, "url", "id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("tbs_run.id"))
    url: Mapped[str] = mapped_column(String(700))
    lang: Mapped[str] = mapped_column(String(2))
    kind: Mapped[str] = mapped_column(String(20))
    depth: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    fetched_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    parser_version: Mapped[str] = mapped_column(String(20))
    extraction: Mapped[str] = mapped_column(LONG_TEXT)


class TbsGroup(Base):
    __tablename__ = "tbs_group"
    __table_args__ = (Index(None, "lang", "run_id"), Index(None, "abbreviation"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("tbs_run.id"))
    groups_page_id: Mapped[int] = mapped_column(ForeignKey("tbs_page.id"))
    definitions_page_id: Mapped[int | None] = mapped_column(ForeignKey("tbs_page.id"))
    lang: Mapped[str] = mapped_column(String(2))
    position: Mapped[int] = mapped_column(Integer)
    abbreviation: Mapped[str] = mapped_column(String(20))
    code: Mapped[str | None] = mapped_column(String(10))
    occupational_group: Mapped[str] = mapped_column(String(255))
    group_name: Mapped[str | None] = mapped_column(String(255))
    subgroup: Mapped[str | None] = mapped_column(String(255))
    definition_title: Mapped[str | None] = mapped_column(String(500))
    definition_text: Mapped[str | None] = mapped_column(LONG_TEXT)
    inclusions: Mapped[str] = mapped_column(LONG_TEXT)
    exclusions: Mapped[str] = mapped_column(LONG_TEXT)
    links: Mapped[str] = mapped_column(LONG_TEXT)
