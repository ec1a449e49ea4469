"""Loading O*NET releases end to end, on every backend."""

from __future__ import annotations

from sqlalchemy import func, select

from jobforge.provenance.tables import LoadFile, LoadRun
from jobforge.sources.onet import tables as t
from jobforge.sources.onet.layouts import data_tables, layouts_for
from jobforge.sources.onet.release import Release
from tests.conftest import data_rows

MISSING_FROM_SHARED_COPY = {"Abilities.txt", "Work Activities.txt", "Work Context.txt", "Task Ratings.txt"}


def stored_rows_per_file(kb) -> dict[str, int]:
    """Rows in the data tables grouped by the load file that produced them."""
    counts: dict[str, int] = {}
    with kb.engine.connect() as connection:
        names = dict(connection.execute(select(LoadFile.id, LoadFile.file_name)).all())
        for table in data_tables():
            for file_id, rows in connection.execute(
                select(table.load_file_id, func.count()).group_by(table.load_file_id)
            ):
                counts[names[file_id]] = counts.get(names[file_id], 0) + rows
    return counts


def test_sample_release_stores_every_row_of_every_file(kb, sample_release):
    report = kb.onet.load(sample_release)

    assert report.release == "29.3" and report.status == "loaded"
    present = {path.name for path in sample_release.glob("*.txt")} - {"Read Me.txt"}
    assert {name for name, file in report.files.items() if file.status == "loaded"} == present
    expected = {name: data_rows(sample_release / name) for name in present}
    assert {name: report.files[name].rows_stored for name in present} == expected
    assert stored_rows_per_file(kb) == {name: rows for name, rows in expected.items() if rows}


def test_files_the_release_lacks_are_reported_absent_not_failed(kb, sample_release):
    report = kb.onet.load(sample_release)

    assert {name for name, file in report.files.items() if file.status == "absent"} == MISSING_FROM_SHARED_COPY


def test_constructed_files_in_the_official_layout_load_into_their_tables(kb, complete_release):
    report = kb.onet.load(complete_release)

    for name in MISSING_FROM_SHARED_COPY:
        assert report.files[name].status == "loaded"
        assert report.files[name].rows_stored == data_rows(complete_release / name)
    with kb.engine.connect() as connection:
        domains = dict(
            connection.execute(
                select(t.OccupationRating.domain, func.count()).group_by(t.OccupationRating.domain)
            ).all()
        )
        categories = (
            connection.execute(
                select(t.OccupationRating.category).where(
                    t.OccupationRating.domain == "work_context", t.OccupationRating.scale_id == "CXP"
                )
            )
            .scalars()
            .all()
        )
        frequency_rows = connection.scalar(
            select(func.count()).select_from(t.TaskRating).where(t.TaskRating.scale_id == "FT")
        )
    assert domains["abilities"] == data_rows(complete_release / "Abilities.txt")
    assert domains["work_activities"] == data_rows(complete_release / "Work Activities.txt")
    assert set(categories) == {1, 2, 3, 4, 5}
    assert frequency_rows == 9 * 7


def test_reload_same_release_changes_nothing(kb, sample_release):
    first = kb.onet.load(sample_release)
    before = kb.table_counts()
    with kb.engine.connect() as connection:
        runs_before = connection.execute(select(LoadRun.id, LoadRun.status)).all()

    second = kb.onet.load(sample_release)

    assert second.status == "unchanged"
    assert all(file.status in ("unchanged", "absent") for file in second.files.values())
    assert {n: f.rows_stored for n, f in second.files.items()} == {n: f.rows_stored for n, f in first.files.items()}
    assert kb.table_counts() == before
    with kb.engine.connect() as connection:
        assert connection.execute(select(LoadRun.id, LoadRun.status)).all() == runs_before


def test_zip_and_folder_of_the_same_release_are_the_same_load(kb, sample_release, sample_zip):
    kb.onet.load(sample_zip)

    assert kb.onet.load(sample_release).status == "unchanged"


def test_newer_release_replaces_the_live_one_and_keeps_its_record(kb, sample_release):
    kb.onet.load(sample_release)
    readme = sample_release / "Read Me.txt"
    readme.write_text(readme.read_text(encoding="utf-8").replace("29.3", "29.4"), encoding="utf-8")
    occupations = sample_release / "Occupation Data.txt"
    occupations.write_text(
        occupations.read_text(encoding="utf-8").replace("Chief Executives", "Chief Executive Officers"),
        encoding="utf-8",
    )

    report = kb.onet.load(sample_release)

    assert (report.release, report.replaced_release) == ("29.4", "29.3")
    assert kb.onet.live_release() == "29.4"
    with kb.engine.connect() as connection:
        runs = dict(connection.execute(select(LoadRun.release, LoadRun.status)).all())
        title = connection.scalar(select(t.Occupation.title).where(t.Occupation.soc_code == "11-1011.00"))
    assert runs == {"29.3": "superseded", "29.4": "live"}
    assert title == "Chief Executive Officers"
    assert kb.table_counts()["occupation"] == data_rows(occupations)


def test_older_release_does_not_replace_a_newer_one_unless_asked(kb, sample_release):
    import pytest

    from jobforge.errors import ReleaseError

    readme = sample_release / "Read Me.txt"
    original = readme.read_text(encoding="utf-8")
    readme.write_text(original.replace("29.3", "30.0"), encoding="utf-8")
    kb.onet.load(sample_release)
    readme.write_text(original, encoding="utf-8")

    with pytest.raises(ReleaseError, match="30.0 is live"):
        kb.onet.load(sample_release)
    assert kb.onet.live_release() == "30.0"
    assert kb.onet.load(sample_release, allow_downgrade=True).replaced_release == "30.0"
    assert kb.onet.live_release() == "29.3"


def test_every_stored_row_carries_provenance_of_the_live_load(kb, sample_release):
    kb.onet.load(sample_release)

    with kb.engine.connect() as connection:
        live_files = set(
            connection.execute(
                select(LoadFile.id).join(LoadRun, LoadRun.id == LoadFile.load_run_id).where(LoadRun.status == "live")
            ).scalars()
        )
        for table in data_tables():
            kinds = set(connection.execute(select(table.source_kind).distinct()).scalars())
            files = set(connection.execute(select(table.load_file_id).distinct()).scalars())
            low, high = connection.execute(select(func.min(table.confidence), func.max(table.confidence))).one()
            if low is None:
                continue
            assert kinds == {"onet"}, table.__tablename__
            assert files <= live_files, table.__tablename__
            assert 0.0 <= low <= high <= 1.0, table.__tablename__


def test_rating_confidence_follows_the_published_statistics(kb, sample_release):
    kb.onet.load(sample_release)

    with kb.engine.connect() as connection:
        rows = connection.execute(
            select(
                t.OccupationRating.confidence,
                t.OccupationRating.recommend_suppress,
                t.OccupationRating.lower_ci_bound,
                t.OccupationRating.upper_ci_bound,
            ).where(t.OccupationRating.domain == "knowledge", t.OccupationRating.scale_id == "LV")
        ).all()
    suppressed = [c for c, s, lo, hi in rows if s]
    tight = [c for c, s, lo, hi in rows if not s and lo is not None and hi - lo < 0.5]
    wide = [c for c, s, lo, hi in rows if not s and lo is not None and hi - lo > 3]
    assert suppressed and tight and wide
    assert max(suppressed) <= 0.5
    assert min(tight) > max(wide)


def test_layouts_cover_every_file_of_the_release(sample_release):
    names = {layout.file_name for layout in layouts_for(Release(29, 3))}

    assert {p.name for p in sample_release.glob("*.txt")} - {"Read Me.txt"} <= names
    assert names >= MISSING_FROM_SHARED_COPY
    assert len(names) == 40
