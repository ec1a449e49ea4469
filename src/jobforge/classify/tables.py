"""The `title_vector` table: the embedding of every indexed name, kept so that no process embeds
a name twice (classify/vector_store.py)."""

from __future__ import annotations

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from jobforge.store.base import Base


class TitleVector(Base):
    __tablename__ = "title_vector"
    model: Mapped[str] = mapped_column(String(100), primary_key=True)  # package==version (embeddings.model_key)
    digest: Mapped[str] = mapped_column(String(64), primary_key=True)  # SHA-256 of the normalized name
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # float16, unit length
