"""The migrations build exactly the schema the models describe, on every backend."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from jobforge.store.base import Base


def test_migrations_match_the_models(kb):
    with kb.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
    assert kb.schema_is_current()


def test_every_model_table_exists_after_upgrade(kb):
    assert set(Base.metadata.tables) <= set(inspect(kb.engine).get_table_names())


def test_upgrade_twice_is_harmless(kb):
    kb.upgrade()
    assert kb.schema_is_current()


def test_the_head_revision_read_from_the_files_is_alembics(kb):
    from alembic.script import ScriptDirectory

    from jobforge.store import migrate

    assert migrate.head_revision() == ScriptDirectory(str(migrate.MIGRATIONS)).get_current_head()
    with kb.engine.connect() as connection:
        assert migrate.current_revision(kb.engine) == MigrationContext.configure(connection).get_current_revision()
