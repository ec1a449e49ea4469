"""Release identification and layouts that change between releases."""

from __future__ import annotations

import pytest

from jobforge.errors import ReleaseError
from jobforge.sources.onet.layouts import layouts_for
from jobforge.sources.onet.release import Release
from jobforge.sources.onet.release_files import open_release


def test_release_numbers_order_numerically():
    assert Release.parse("29.10") > Release.parse("29.3") > Release.parse("28.3")
    assert str(Release.parse(" 30.1 ")) == "30.1"
    with pytest.raises(ReleaseError, match="not an O\\*NET release number"):
        Release.parse("thirty")


def test_release_is_read_from_read_me_then_from_the_archive_name(sample_release, sample_zip, tmp_path):
    assert str(open_release(sample_release).release) == "29.3"
    (sample_release / "Read Me.txt").unlink()
    renamed = sample_release.rename(tmp_path / "db_28_1_text")
    assert str(open_release(renamed).release) == "28.1"
    assert str(open_release(sample_zip).release) == "29.3"


def test_work_styles_layout_is_chosen_by_release():
    def headers(release):
        return next(layout.header_names for layout in layouts_for(release) if layout.file_name == "Work Styles.txt")

    assert "Standard Error" in headers(Release(29, 3))
    assert "Standard Error" in headers(Release(30, 0))
    assert headers(Release(30, 1)) == (
        "O*NET-SOC Code",
        "Element ID",
        "Element Name",
        "Scale ID",
        "Data Value",
        "Date",
        "Domain Source",
    )


def _as_release(folder, number: str) -> None:
    readme = folder / "Read Me.txt"
    readme.write_text(readme.read_text(encoding="utf-8").replace("29.3", number), encoding="utf-8")


def _work_styles_in_30_1_layout(folder) -> None:
    """Rewrite Work Styles the way 30.1 publishes it: no sampling statistics, WI/DR scales."""
    path = folder / "Work Styles.txt"
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").split("\n")]
    keep = [0, 1, 2, 3, 4, 10, 11]
    out = ["\t".join(rows[0][i] for i in keep)]
    for row in rows[1:]:
        out.append("\t".join([row[0], row[1], row[2], "WI", row[4], "12/2025", "AI/Expert"]))
    path.write_text("\n".join(out), encoding="utf-8")
    scales = folder / "Scales Reference.txt"
    scales.write_text(scales.read_text(encoding="utf-8") + "\nWI\tWork Styles Impact\t-3\t3", encoding="utf-8")


def test_release_30_1_work_styles_load_without_statistics(kb, sample_release):
    _as_release(sample_release, "30.1")
    _work_styles_in_30_1_layout(sample_release)

    report = kb.onet.load(sample_release)

    assert report.files["Work Styles.txt"].status == "loaded"
    assert report.files["Work Styles.txt"].rows_stored > 0


def test_old_work_styles_layout_in_a_30_1_release_says_the_release_and_the_files_disagree(kb, sample_release):
    _as_release(sample_release, "30.1")

    with pytest.raises(
        ReleaseError, match="Work Styles.txt has the layout of O\\*NET releases 5.0 to before 30.1"
    ) as raised:
        kb.onet.load(sample_release)
    assert "loaded as release 30.1" in str(raised.value) and "disagree" in str(raised.value)
    assert kb.onet.live_release() is None


@pytest.mark.parametrize("text", ["99999999999999999999.1", "29.3.1", "29.", "-1.0", "29.300", "２９.３"])
def test_a_release_number_of_no_sane_form_is_refused(text):
    with pytest.raises(ReleaseError, match="not an O\\*NET release number"):
        Release.parse(text)
