"""O*NET releases through the value store: values with file and line, re-application, withdrawal,
overrides reaching skill gaps and the profile."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from jobforge.errors import InputError, InvalidCodeError, NotFoundError
from jobforge.occupations.queries import occupation_profile
from jobforge.provenance.read import ValueFilter
from jobforge.provenance.sources import SourceKind
from jobforge.provenance.value_tables import AttributeValue, OverrideEvent

NURSE = "29-1141.00"


def skills_line(release, code: str, element: str, scale: str) -> tuple[int, str]:
    lines = (release / "Skills.txt").read_text(encoding="utf-8").split("\n")
    for number, line in enumerate(lines, start=1):
        cells = line.split("\t")
        if cells[0] == code and cells[1] == element and cells[3] == scale:
            return number, line
    raise AssertionError("line not in the sample")


def test_every_value_cites_its_release_file_and_line(kb, sample_release):
    report = kb.onet.load(sample_release)
    number, line = skills_line(sample_release, NURSE, "2.A.1.a", "LV")

    value = kb.values.served(NURSE, attribute_prefix="skills/2.A.1.a/LV")[0]

    assert value.value == float(line.split("\t")[4]) and value.source_kind == SourceKind.ONET
    assert (value.reference.release, value.reference.file_name, value.reference.row) == ("29.3", "Skills.txt", number)
    assert value.reference.load_run_id is not None
    assert report.values.added == report.values.asserted > 30_000 and report.values.overrides == 0


def test_forced_reload_of_the_same_release_changes_no_value(kb, sample_release):
    kb.onet.load(sample_release)
    with kb.engine.connect() as connection:
        before = connection.scalar(select(func.count()).select_from(AttributeValue))

    report = kb.onet.load(sample_release, force=True)

    assert report.status == "loaded" and report.values.unchanged == report.values.asserted
    with kb.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(AttributeValue)) == before
        assert connection.scalar(select(func.count()).select_from(OverrideEvent)) == 0


def test_a_changed_release_overrides_changed_values_and_withdraws_dropped_ones(kb, sample_release):
    kb.onet.load(sample_release)
    changed_line, changed = skills_line(sample_release, NURSE, "2.A.1.a", "LV")
    dropped_line, _ = skills_line(sample_release, NURSE, "2.A.1.b", "LV")
    lines = (sample_release / "Skills.txt").read_text(encoding="utf-8").split("\n")
    cells = changed.split("\t")
    old_value, cells[4] = cells[4], "6.66"
    lines[changed_line - 1] = "\t".join(cells)
    del lines[dropped_line - 1]
    (sample_release / "Skills.txt").write_text("\n".join(lines), encoding="utf-8")

    report = kb.onet.load(sample_release)

    assert report.values.overrides == 2 and report.values.retracted == 1
    events = {e.attribute: e for e in kb.values.audit(code=NURSE)}
    assert (events["skills/2.A.1.a/LV"].old_value, events["skills/2.A.1.a/LV"].new_value) == (old_value, "6.66")
    assert (
        events["skills/2.A.1.a/LV"].load_run_id is not None
        and events["skills/2.A.1.a/LV"].actor == "jobforge onet load"
    )
    assert events["skills/2.A.1.b/LV"].new_value is None  # withdrawn, nothing else held
    assert kb.values.served(NURSE, attribute_prefix="skills/2.A.1.b/LV") == []
    assert [h.status for h in kb.values.history(NURSE, "skills/2.A.1.a/LV")] == ["replaced", "served"]


def test_an_authoritative_override_reaches_the_skill_gap_and_the_profile(kb, sample_zip):
    kb.onet.load(sample_zip)
    before = {g.element_id: g for g in kb.careers.skill_gap(NURSE, "11-1011.00").skill_gaps}
    assert "2.A.1.a" not in before or before["2.A.1.a"].to_data_value < 6.9

    kb.values.set_value(
        "11-1011.00",
        "skills/2.A.1.a/LV",
        6.9,
        kind=SourceKind.AUTHORITATIVE,
        confidence=0.9,
        actor="analyst",
        rationale="test override",
    )

    after = {g.element_id: g for g in kb.careers.skill_gap(NURSE, "11-1011.00").skill_gaps}
    assert after["2.A.1.a"].to_data_value == 6.9
    profile = occupation_profile(kb.engine, "11-1011.00")
    rating = next(r for r in profile.ratings["skills"].ratings if r.element_id == "2.A.1.a" and r.scale_id == "LV")
    assert (rating.data_value, rating.source_kind, rating.sample_size) == (6.9, "authoritative", None)
    assert rating.citation == "manual edit by analyst"
    assert profile.ratings["skills"].provenance.source_kinds == ["authoritative", "onet"]
    onet_only = occupation_profile(kb.engine, "11-1011.00", ValueFilter(sources=frozenset({SourceKind.ONET})))
    rating = next(r for r in onet_only.ratings["skills"].ratings if r.element_id == "2.A.1.a" and r.scale_id == "LV")
    assert rating.source_kind == "onet" and rating.sample_size == 8


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        (" title", "attribute ' title': a key has no spaces around it"),
        ("Title", "attribute 'Title' is none that onet: entities hold; did you mean 'title'"),
        ("descripton", "did you mean 'description'"),
        ("skills/2.A.1.a", "did you mean 'skills/2.A.1.a/LV'"),
        ("skils/2.A.1.a/LV", "did you mean 'skills/2.A.1.a/LV'"),
        ("skills/2.A.1.a/LV/extra", "did you mean 'skills/2.A.1.a/LV'"),
    ],
)
def test_a_value_set_by_hand_names_an_attribute_its_kind_holds(sample_kb, typed, problem):
    """Each of these became an attribute of its own, served beside the one meant."""
    before = sample_kb.table_counts()

    with pytest.raises(InputError, match=problem):
        sample_kb.values.set_value(NURSE, typed, 3.0, kind=SourceKind.AUTHORITATIVE, confidence=0.9, actor="t")

    assert sample_kb.table_counts() == before


def test_a_company_roles_fields_are_not_set_past_its_capability(kb):
    """Written here, a role's field had no event, no baseline to restore and no organisation check."""
    with pytest.raises(InputError, match="role:1: a company role's fields change through `jobforge roles override`"):
        kb.values.set_value("role:1", "title", "Boss", kind=SourceKind.CUSTOM, confidence=1.0, actor="t")


def test_set_value_refuses_unknown_entities_and_elements(kb, sample_zip):
    kb.onet.load(sample_zip)
    with pytest.raises(NotFoundError, match="no occupation 99-9999.00"):
        kb.values.set_value("99-9999.00", "job_zone", 3, kind=SourceKind.IMPUTED, confidence=0.5, actor="t")
    with pytest.raises(InputError, match="element '9.Z.9' is not in the loaded content model"):
        kb.values.set_value(NURSE, "skills/9.Z.9/LV", 3, kind=SourceKind.IMPUTED, confidence=0.5, actor="t")
    with pytest.raises(InvalidCodeError, match="names no entity"):
        kb.values.set_value("nurse", "job_zone", 3, kind=SourceKind.IMPUTED, confidence=0.5, actor="t")
