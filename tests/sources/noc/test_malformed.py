"""Bad Canadian input: an error naming file, line and problem, and nothing stored."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from jobforge.errors import MalformedRowError, SourceFileError
from jobforge.sources.noc import tables as n
from tests.conftest import BACKENDS, CROSSWALK_CSV, NOC_DATA, loaded_kb


@pytest.fixture
def noc_copy(tmp_path) -> Path:
    return Path(shutil.copytree(NOC_DATA, tmp_path / "noc"))


def replace_line(path: Path, line: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8-sig").split("\n")
    assert old in lines[line - 1], lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


def counts(kb) -> dict:
    with kb.engine.connect() as connection:
        return {
            table.__tablename__: connection.scalar(select(func.count()).select_from(table))
            for table in (n.NocGroup, n.OasisProfile, n.OasisRating, n.CopsProjection, n.NocSocMapping)
        }


@pytest.fixture(scope="module", params=BACKENDS)
def noc_kb(request, tmp_path_factory):
    """The NOC data loaded once per backend: every test that uses it checks that its failed (or
    unchanged) load left the database as it was, which also keeps it fit for the next test."""
    with loaded_kb(
        request.param, tmp_path_factory.mktemp(f"noc-{request.param}"), lambda kb: kb.canada.load_noc(NOC_DATA)
    ) as kb:
        yield kb


def test_structure_code_of_the_wrong_length_is_named(kb, noc_copy):
    replace_line(noc_copy / "noc_2021_version_1.0_-_classification_structure.csv", 6, ",00010,", ",0010,")

    with pytest.raises(
        MalformedRowError, match=r"classification_structure.csv, line 6, column 'Code - NOC 2021 V1.0'.*level-5"
    ):
        kb.canada.load_noc(noc_copy)
    assert counts(kb)["noc_group"] == 0


def test_oasis_profile_of_an_unknown_unit_group_leaves_the_previous_load(noc_kb, noc_copy):
    before = counts(noc_kb)
    replace_line(noc_copy / "oasis_2023" / "skills_oasis_2023_v1.0.csv", 3, "00011.00", "99998.00")

    with pytest.raises(MalformedRowError, match=r"skills_oasis_2023_v1.0.csv, line 3.*'99998' unknown"):
        noc_kb.canada.load_noc(noc_copy)
    assert counts(noc_kb) == before


def test_non_numeric_cops_figure_is_named(noc_kb, noc_copy):
    before = counts(noc_kb)
    replace_line(noc_copy / "cops_2024_2033" / "employment_emploi_2024_2033_noc2021.csv", 2, ",20170900,", ",twenty,")

    with pytest.raises(MalformedRowError, match=r"employment_emploi_2024_2033_noc2021.csv, line 2, column '2023'"):
        noc_kb.canada.load_noc(noc_copy)
    assert counts(noc_kb) == before


def test_missing_oasis_file_is_named(kb, noc_copy):
    (noc_copy / "oasis_2023" / "labels_oasis_2023_v1.0.csv").unlink()

    with pytest.raises(SourceFileError, match="labels_oasis_2023_v1.0.csv"):
        kb.canada.load_noc(noc_copy)


def test_reloading_the_same_folder_changes_nothing(noc_kb):
    before = counts(noc_kb)
    assert noc_kb.canada.load_noc(NOC_DATA).status == "unchanged"
    assert counts(noc_kb) == before


@pytest.mark.parametrize(
    ("line", "old", "new", "fragment"),
    [
        (2, "10,", "1O,", "'1O' is not a NOC code"),
        (3, "11,", "1234,", "'01234' is not a NOC 2021 unit group"),
        (4, "11-1011.03", "11-1011", "is not an O*NET-SOC code"),
    ],
)
def test_bad_crosswalk_row_names_its_line_and_stores_nothing(noc_kb, tmp_path, line, old, new, fragment):
    broken = tmp_path / "noc2021_onet26.csv"
    shutil.copy(CROSSWALK_CSV, broken)
    text = broken.read_text(encoding="utf-8").split("\n")
    assert text[line - 1].startswith(old) or old in text[line - 1]
    text[line - 1] = text[line - 1].replace(old, new, 1)
    broken.write_text("\n".join(text), encoding="utf-8")

    with pytest.raises(MalformedRowError, match=f"noc2021_onet26.csv, line {line}") as raised:
        noc_kb.canada.load_crosswalk(broken)
    assert fragment in str(raised.value)
    assert counts(noc_kb)["noc_soc_mapping"] == 0


def test_crosswalk_needs_the_structure_first(kb):
    with pytest.raises(SourceFileError, match="jobforge noc load"):
        kb.canada.load_crosswalk(CROSSWALK_CSV)


def test_crosswalk_with_a_renamed_column_is_refused(noc_kb, tmp_path):
    broken = tmp_path / "noc2021_onet26.csv"
    broken.write_text(CROSSWALK_CSV.read_text(encoding="utf-8").replace("onet_title", "soc_title", 1), encoding="utf-8")
    with pytest.raises(MalformedRowError, match="line 1"):
        noc_kb.canada.load_crosswalk(broken)


def test_a_nul_in_a_field_is_named_with_file_line_and_column(noc_kb, noc_copy):
    before = counts(noc_kb)
    replace_line(
        noc_copy / "oasis_2023" / "labels_oasis_2023_v1.0.csv",
        3,
        ",",
        ",\x00",
    )

    with pytest.raises(MalformedRowError, match=r"labels_oasis_2023_v1.0.csv, line 3, column 'Label'.*U\+0000 NUL"):
        noc_kb.canada.load_noc(noc_copy)
    assert counts(noc_kb) == before


def test_a_crosswalk_with_a_header_and_no_rows_is_refused_and_keeps_the_loaded_one(kb, tmp_path):
    """Such a file is a truncated export; loaded, it replaced every mapping with none."""
    kb.canada.load_noc(NOC_DATA)
    kb.canada.load_crosswalk(CROSSWALK_CSV)
    truncated = tmp_path / "noc2021_onet26.csv"
    truncated.write_text(CROSSWALK_CSV.read_text(encoding="utf-8").split("\n")[0] + "\n", encoding="utf-8")

    with pytest.raises(SourceFileError, match="noc2021_onet26.csv: has a header but no data rows"):
        kb.canada.load_crosswalk(truncated)
    assert counts(kb)["noc_soc_mapping"] == 1467


def test_a_crosswalk_far_larger_than_any_or_not_a_file_is_refused_before_it_is_read(kb, tmp_path):
    kb.canada.load_noc(NOC_DATA)
    kb.canada.load_crosswalk(CROSSWALK_CSV)
    huge = tmp_path / "noc2021_onet26.csv"
    with huge.open("wb") as sparse:  # 300 MB on paper, nothing on disk
        sparse.truncate(300 * 1024 * 1024)

    with pytest.raises(SourceFileError, match="is larger than 268,435,456 bytes, more than any file of its kind"):
        kb.canada.load_crosswalk(huge)
    with pytest.raises(SourceFileError, match="is a folder, not a file"):
        kb.canada.load_crosswalk(tmp_path)
    with pytest.raises(SourceFileError, match="/dev/zero: is not a regular file"):
        kb.canada.load_crosswalk(Path("/dev/zero"))
    assert counts(kb)["noc_soc_mapping"] == 1467


def test_a_cops_file_with_a_header_and_no_rows_is_refused(noc_kb, noc_copy):
    before = counts(noc_kb)
    cops = noc_copy / "cops_2024_2033" / "employment_emploi_2024_2033_noc2021.csv"
    cops.write_text(cops.read_text(encoding="utf-8-sig").split("\n")[0] + "\n", encoding="utf-8")

    with pytest.raises(SourceFileError, match="employment_emploi_2024_2033_noc2021.csv: has a header but no data rows"):
        noc_kb.canada.load_noc(noc_copy)
    assert counts(noc_kb) == before
