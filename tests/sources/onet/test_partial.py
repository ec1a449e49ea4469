"""A partial copy of a release never removes what it lacks, unless told to by name."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from jobforge.cli import app
from jobforge.errors import ConflictError, ErrorKind, InputError
from tests.sources.onet.test_malformed import snapshot


@pytest.fixture
def live_kb(kb, sample_release):
    """The sample live, loaded from the folder the test will then damage."""
    kb.onet.load(sample_release)
    return kb


def _missing(folder):
    (folder / "Skills.txt").unlink()


def _header_only(folder):
    path = folder / "Skills.txt"
    path.write_text(path.read_text(encoding="utf-8").split("\n", 1)[0] + "\n", encoding="utf-8")


def _a_folder(folder):
    (folder / "Skills.txt").unlink()
    (folder / "Skills.txt").mkdir()


@pytest.mark.parametrize("damage", [_missing, _header_only, _a_folder], ids=lambda f: f.__name__[1:])
def test_reloading_the_release_without_a_file_is_refused_naming_it_and_changes_nothing(live_kb, sample_release, damage):
    before = snapshot(live_kb)
    damage(sample_release)

    with pytest.raises(ConflictError, match=r"Skills\.txt \([\d,]+ rows\).*--allow-missing Skills\.txt"):
        live_kb.onet.load(sample_release)
    assert snapshot(live_kb) == before


def test_allow_missing_removes_exactly_the_named_file_and_reports_it(live_kb, sample_release):
    skills = live_kb.table_counts()["occupation_rating"]
    _missing(sample_release)

    report = live_kb.onet.load(sample_release, allow_missing=["Skills.txt"])

    assert report.status == "loaded"
    assert report.files["Skills.txt"].status == "removed" and report.files["Skills.txt"].rows_removed > 0
    assert live_kb.table_counts()["occupation_rating"] == skills - report.files["Skills.txt"].rows_removed
    assert not live_kb.values.served("11-1011.00", attribute_prefix="skills/")


def test_allow_missing_names_only_files_a_release_has(live_kb, sample_release):
    with pytest.raises(InputError, match="--allow-missing Skils.txt: no such file"):
        live_kb.onet.load(sample_release, allow_missing=["Skils.txt"])


def test_a_first_load_may_lack_files(kb, sample_release):
    shutil.rmtree(sample_release / "Skills.txt", ignore_errors=True)
    (sample_release / "Skills.txt").unlink(missing_ok=True)
    assert kb.onet.load(sample_release).files["Skills.txt"].status == "absent"


def test_the_cli_refuses_with_the_conflict_exit_code_and_allows_by_name(live_kb, sample_release):
    _missing(sample_release)
    runner = CliRunner()
    refused = runner.invoke(app, ["--db", live_kb.database_url, "onet", "load", str(sample_release)])
    assert refused.exit_code == ErrorKind.CONFLICT.exit_code and "--allow-missing Skills.txt" in refused.output
    allowed = runner.invoke(
        app,
        ["--db", live_kb.database_url, "onet", "load", str(sample_release), "--allow-missing", "Skills.txt", "--json"],
    )
    assert allowed.exit_code == 0 and '"removed"' in allowed.output
