"""Bad input gets an error that names the place, and the database keeps what it had."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select

from jobforge.errors import MalformedRowError, ReleaseError, SourceFileError
from jobforge.provenance.tables import LoadFile, LoadRun


def edit_line(path: Path, line: int, edit: Callable[[list[str]], list[str]]) -> None:
    """Apply `edit` to the tab-separated fields of 1-based `line` of a release file."""
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[line - 1] = "\t".join(edit(lines[line - 1].split("\t")))
    path.write_text("\n".join(lines), encoding="utf-8")


def set_field(header: str, value: str, path: Path) -> Callable[[list[str]], list[str]]:
    position = path.read_text(encoding="utf-8").split("\n", 1)[0].split("\t").index(header)
    return lambda fields: fields[:position] + [value] + fields[position + 1 :]


def snapshot(kb) -> tuple:
    with kb.engine.connect() as connection:
        runs = connection.execute(select(LoadRun.id, LoadRun.release, LoadRun.status).order_by(LoadRun.id)).all()
        files = connection.execute(select(LoadFile.id, LoadFile.sha256).order_by(LoadFile.id)).all()
    return kb.table_counts(), runs, files


@pytest.fixture
def live_kb(kb, sample_zip):
    """A database where the real sample is live, so a failed load has something to lose."""
    kb.onet.load(sample_zip)
    return kb


def assert_rejected(kb, release: Path, error: type, *fragments: str, **attributes) -> None:
    before = snapshot(kb)
    with pytest.raises(error) as raised:
        kb.onet.load(release)
    message = str(raised.value)
    for fragment in fragments:
        assert fragment in message, message
    for name, value in attributes.items():
        assert getattr(raised.value, name) == value, message
    assert snapshot(kb) == before, "a failed load changed the database"
    assert kb.onet.live_release() == "29.3"


def test_renamed_header_names_file_line_and_expected_column(live_kb, sample_release):
    path = sample_release / "Skills.txt"
    edit_line(path, 1, lambda fields: [("Value" if f == "Data Value" else f) for f in fields])

    assert_rejected(
        live_kb,
        sample_release,
        MalformedRowError,
        "Skills.txt, line 1",
        "'Data Value'",
        "found 'Value'",
        line=1,
        column="Data Value",
    )


def test_short_row_in_the_last_file_loaded_rolls_back_everything_before_it(live_kb, sample_release):
    path = sample_release / "Occupation Level Metadata.txt"
    edit_line(path, 40, lambda fields: fields[:-1])

    assert_rejected(
        live_kb,
        sample_release,
        MalformedRowError,
        "line 40",
        "expected 6 tab-separated fields, found 5",
        file="Occupation Level Metadata.txt",
        line=40,
    )


def test_non_numeric_rating_names_the_cell(live_kb, sample_release):
    path = sample_release / "Knowledge.txt"
    edit_line(path, 123, set_field("Data Value", "4,5", path))

    assert_rejected(
        live_kb,
        sample_release,
        MalformedRowError,
        "Knowledge.txt, line 123, column 'Data Value'",
        "'4,5' is not a number",
    )


def test_non_utf8_bytes_name_the_line(live_kb, sample_release):
    path = sample_release / "Occupation Data.txt"
    lines = path.read_bytes().split(b"\n")
    lines[2] = lines[2].replace(b"Chief", "Chéf".encode("latin-1"), 1)
    path.write_bytes(b"\n".join(lines))

    assert_rejected(live_kb, sample_release, MalformedRowError, "Occupation Data.txt, line 3", "not UTF-8")


def test_truncated_zip_is_refused_before_anything_is_written(live_kb, sample_zip, tmp_path):
    truncated = tmp_path / "db_29_3_text.zip"
    truncated.write_bytes(sample_zip.read_bytes()[: sample_zip.stat().st_size // 2])

    assert_rejected(live_kb, truncated, SourceFileError, "db_29_3_text.zip", "truncated")


def test_empty_file_is_an_error_not_an_empty_table(live_kb, sample_release):
    (sample_release / "Job Zones.txt").write_bytes(b"")

    assert_rejected(live_kb, sample_release, SourceFileError, "Job Zones.txt", "empty")


def test_unknown_occupation_code_is_named_with_its_line(live_kb, sample_release):
    path = sample_release / "Alternate Titles.txt"
    edit_line(path, 7, set_field("O*NET-SOC Code", "99-9999.99", path))

    assert_rejected(
        live_kb,
        sample_release,
        MalformedRowError,
        "Alternate Titles.txt, line 7",
        "unknown occupation.soc_code '99-9999.99'",
    )


def test_malformed_occupation_code_names_the_expected_form(live_kb, sample_release):
    path = sample_release / "Job Zones.txt"
    edit_line(path, 3, set_field("O*NET-SOC Code", "15-1252", path))

    assert_rejected(live_kb, sample_release, MalformedRowError, "Job Zones.txt, line 3", "NN-NNNN.NN")


def test_duplicate_rating_names_both_lines(live_kb, sample_release):
    path = sample_release / "Skills.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines.insert(50, lines[10])
    path.write_text("\n".join(lines), encoding="utf-8")

    assert_rejected(live_kb, sample_release, MalformedRowError, "Skills.txt, line 51", "duplicate", "first at line 11")


def test_impossible_date_is_rejected(live_kb, sample_release):
    path = sample_release / "Work Values.txt"
    edit_line(path, 2, set_field("Date", "13/2020", path))

    assert_rejected(live_kb, sample_release, MalformedRowError, "Work Values.txt, line 2, column 'Date'", "MM/YYYY")


def test_flag_outside_y_n_is_rejected(live_kb, sample_release):
    path = sample_release / "Technology Skills.txt"
    edit_line(path, 9, set_field("Hot Technology", "Yes", path))

    assert_rejected(
        live_kb,
        sample_release,
        MalformedRowError,
        "Technology Skills.txt, line 9, column 'Hot Technology'",
        "'Yes' is not Y or N",
    )


def test_missing_required_value_is_rejected(live_kb, sample_release):
    path = sample_release / "Skills.txt"
    edit_line(path, 4, set_field("Data Value", "n/a", path))

    assert_rejected(live_kb, sample_release, MalformedRowError, "Skills.txt, line 4", "a value is required")


def test_text_longer_than_its_column_is_rejected_on_every_backend(live_kb, sample_release):
    path = sample_release / "Occupation Data.txt"
    edit_line(path, 5, set_field("Title", "T" * 151, path))

    assert_rejected(live_kb, sample_release, MalformedRowError, "Occupation Data.txt, line 5, column 'Title'", "150")


def test_release_number_given_and_stated_must_agree(live_kb, sample_release):
    with pytest.raises(ReleaseError, match="says release 29.3 but --release 30.1"):
        live_kb.onet.load(sample_release, release="30.1")


def test_unidentifiable_release_asks_for_the_number(live_kb, sample_release, tmp_path):
    (sample_release / "Read Me.txt").unlink()
    anonymous = sample_release.rename(tmp_path / "onet-files")

    with pytest.raises(ReleaseError, match="pass --release"):
        live_kb.onet.load(anonymous)
    assert live_kb.onet.load(anonymous, release="29.3").status == "unchanged"


@pytest.mark.parametrize(("character", "shown"), [("\x00", "U+0000 NUL"), ("\x07", "U+0007"), ("\r", "U+000D CR")])
def test_a_control_character_in_a_cell_is_named_with_file_line_and_column_on_every_backend(
    live_kb, sample_release, character, shown
):
    path = sample_release / "Occupation Data.txt"
    edit_line(path, 4, lambda fields: [fields[0], fields[1][:5] + character + fields[1][5:], *fields[2:]])

    assert_rejected(live_kb, sample_release, MalformedRowError, "Occupation Data.txt, line 4, column 'Title'", shown)


def test_a_zip_bomb_is_refused_before_it_is_read_whole(live_kb, sample_release, tmp_path):
    bomb = tmp_path / "db_29_3_text.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sample_release.iterdir():
            archive.write(path, f"db_29_3_text/{path.name}")
        with archive.open("db_29_3_text/Extra Notes.txt", "w") as huge:  # 40 MB of one byte, a few KB packed
            for _ in range(40):
                huge.write(b"\t" * 1024 * 1024)

    assert_rejected(live_kb, bomb, SourceFileError, "Extra Notes.txt", "compressed", "to 1")


def test_a_file_of_a_folder_far_larger_than_any_release_file_is_refused_before_it_is_read(live_kb, sample_release):
    with (sample_release / "Skills.txt").open("wb") as sparse:  # 300 MB on paper, nothing on disk
        sparse.truncate(300 * 1024 * 1024)

    assert_rejected(live_kb, sample_release, SourceFileError, "Skills.txt: is larger than 268,435,456 bytes")


def test_a_member_larger_than_any_release_file_is_refused(live_kb, sample_release, tmp_path, monkeypatch):
    from jobforge.sources.onet import release_files

    monkeypatch.setattr(release_files, "MAX_SOURCE_FILE_BYTES", 512 * 1024)  # Skills.txt of the sample is 1 MB
    archive_path = tmp_path / "db_29_3_text.zip"
    with zipfile.ZipFile(archive_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sample_release.iterdir():
            archive.write(path, f"db_29_3_text/{path.name}")

    assert_rejected(live_kb, archive_path, SourceFileError, "more than the 524,288 allowed")
