"""Settings in one typed object, read once from the environment and passed down."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_FILE = "jobforge.db"


class Settings(BaseSettings):
    """JobForge configuration; every field can be set by a `JOBFORGE_`-prefixed variable."""

    model_config = SettingsConfigDict(env_prefix="JOBFORGE_", extra="ignore")

    database_url: str = Field(
        default="",
        description="SQLAlchemy URL; empty means a SQLite file `jobforge.db` in the working directory.",
    )

    def resolved_database_url(self) -> str:
        """The URL to connect to; the default is resolved against the working directory at call time."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{Path.cwd() / DEFAULT_DATABASE_FILE}"
