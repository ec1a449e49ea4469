"""Load records: every stored row points at the file load that produced it (dlt-style lineage)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Double, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from jobforge.store.base import Base


class LoadRun(Base):
    """One successful load of one release of one source.

    `status` is `live` for the run whose rows are in the data tables and `superseded` once a
    later release replaced them; superseded runs stay as the record of what was once served.
    """

    __tablename__ = "load_run"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(40), index=True)
    release: Mapped[str] = mapped_column(String(40))
    origin: Mapped[str] = mapped_column(String(500))
    jobforge_version: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    status: Mapped[str] = mapped_column(String(20))


class LoadFile(Base):
    """One file of a load run: its checksum and what became of its rows."""

    __tablename__ = "load_file"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    load_run_id: Mapped[int] = mapped_column(ForeignKey("load_run.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str | None] = mapped_column(String(64))
    rows_read: Mapped[int] = mapped_column(Integer)
    rows_stored: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[float] = mapped_column(Double)
    status: Mapped[str] = mapped_column(String(20))


class RowProvenance:
    """Inline provenance every data table carries: the kind of source (for precedence), a
    confidence (jobforge.provenance.confidence) and the file load that produced the row."""

    load_file_id: Mapped[int] = mapped_column(ForeignKey("load_file.id"))
    source_kind: Mapped[str] = mapped_column(String(20))
    confidence: Mapped[float] = mapped_column(Double)
