"""The migrations build exactly the schema the models describe, on every backend."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from jobforge.errors import ConflictError
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


def test_a_schema_written_by_a_newer_jobforge_is_refused_and_left_as_it_is(kb):
    """Alembic's own answer was a traceback ("Can't locate revision"), from `db upgrade` and `serve`."""
    with kb.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    with pytest.raises(ConflictError, match="revision 0099, which JobForge .* does not know: a newer JobForge"):
        kb.upgrade()
    with kb.engine.connect() as connection:
        assert connection.scalar(text("SELECT version_num FROM alembic_version")) == "0099"


def test_a_roles_blank_family_unit_or_level_written_before_0012_is_none_after(database_url):
    """Blank ones were kept as '', a second 'none' that a search by family told apart from NULL."""
    from datetime import UTC, datetime

    from sqlalchemy import create_engine, insert, select

    from jobforge.roles.tables import Organisation, Role
    from jobforge.store.migrate import upgrade

    engine = create_engine(database_url)
    try:
        upgrade(engine, "0011")
        now = datetime.now(UTC)
        with engine.begin() as connection:
            connection.execute(insert(Organisation).values(id=1, slug="acme", name="Acme", created_at=now))
            common = {"organisation_id": 1, "description": "", "language": "en", "status": "active", "version": 1}
            connection.execute(
                insert(Role),
                [
                    {
                        **common,
                        "title": "Blank",
                        "family": "",
                        "unit": "",
                        "level": "",
                        "created_at": now,
                        "updated_at": now,
                    },
                    {
                        **common,
                        "title": "Kept",
                        "family": "Care",
                        "unit": None,
                        "level": "2",
                        "created_at": now,
                        "updated_at": now,
                    },
                ],
            )
        upgrade(engine)
        with engine.connect() as connection:
            rows = connection.execute(select(Role.title, Role.family, Role.unit, Role.level).order_by(Role.title)).all()
        assert [tuple(row) for row in rows] == [("Blank", None, None, None), ("Kept", "Care", None, "2")]
    finally:
        engine.dispose()
