"""Alembic environment: runs migrations on the engine JobForge hands over (never a URL in an ini)."""

from alembic import context

import jobforge.classify.tables
import jobforge.impute.llm_cache
import jobforge.jobs.tables
import jobforge.provenance.tables
import jobforge.provenance.value_tables
import jobforge.roles.tables
import jobforge.sources.noc.tables
import jobforge.sources.onet.tables
import jobforge.sources.onet.web_cache
import jobforge.sources.tbs.tables  # noqa: F401
from jobforge.store.base import Base

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    context.run_migrations()
