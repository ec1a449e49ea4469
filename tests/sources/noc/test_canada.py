"""NOC 2021, OaSIS, COPS and the crosswalk on the full shared data, on every backend."""

from __future__ import annotations

import csv
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from jobforge.errors import InvalidCodeError, NotFoundError
from jobforge.sources.noc import tables as n
from tests.conftest import CROSSWALK_CSV


def test_structure_has_all_five_levels_with_zero_padded_codes(canada_kb):
    with canada_kb.engine.connect() as connection:
        levels = dict(connection.execute(select(n.NocGroup.level, func.count()).group_by(n.NocGroup.level)).all())
        legislators = connection.execute(select(n.NocGroup).where(n.NocGroup.code == "00010")).one()
    assert levels == {1: 10, 2: 45, 3: 89, 4: 162, 5: 516}
    assert (legislators.title, legislators.parent_code, legislators.level_name) == ("Legislators", "0001", "Unit Group")


def test_every_crosswalk_row_resolves_and_no_code_is_lost(canada_kb):
    report = canada_kb.crosswalk_report
    with open(CROSSWALK_CSV, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    expected_units = {row["noc"].zfill(5) for row in rows}

    assert report.rows == len(rows) == 1467
    assert report.coverage.mappings == 1467
    assert report.coverage.unit_groups_mapped == len(expected_units) == 515
    assert report.coverage.unit_groups_unmapped == ["64409"]
    assert report.coverage.distinct_soc_codes == len({row["onet"] for row in rows})


@pytest.mark.parametrize("code", ["00010", "00011", "00012", "00013", "00014", "00015"])
def test_senior_management_codes_that_lost_their_zeros_resolve(canada_kb, code):
    with open(CROSSWALK_CSV, encoding="utf-8", newline="") as handle:
        expected = {row["onet"] for row in csv.DictReader(handle) if row["noc"] == str(int(code))}

    mapping = canada_kb.canada.noc_to_soc(code)

    assert expected and {m.code for m in mapping.soc_codes} == expected


def test_college_instructors_map_to_37_occupations(canada_kb):
    assert len(canada_kb.canada.noc_to_soc("41210").soc_codes) == 37


def test_unmapped_unit_group_answers_an_empty_list(canada_kb):
    mapping = canada_kb.canada.noc_to_soc("64409")
    assert mapping.title == "Other customer and information services representatives" and mapping.soc_codes == []


def test_soc_with_several_crosswalk_titles_is_one_code_with_its_variants(canada_kb):
    warnings = [w for w in canada_kb.crosswalk_report.warnings if w.startswith("O*NET-SOC 11-1021.00")]
    assert len(warnings) == 1
    mapped = {m.code: m for m in canada_kb.canada.noc_to_soc("00012").soc_codes}
    assert "11-1021.00" in mapped
    assert mapped["11-1021.00"].title == "General and Operations Managers"  # O*NET's own title


def test_soc_to_noc_lists_every_unit_group(canada_kb):
    mapping = canada_kb.canada.soc_to_noc("11-1011.00")
    assert [g.code for g in mapping.noc_codes] == ["00011", "00012", "00013", "00014", "00015"]
    assert mapping.title == "Chief Executives"


def test_noc_group_has_hierarchy_examples_and_socs(canada_kb):
    group = canada_kb.canada.group("00012")
    assert [h.code for h in group.hierarchy] == ["0", "00", "000", "0001", "00012"]
    assert group.oasis_profiles[0].code == "00012.00"
    assert (
        "chief financial officer (CFO) - financial, communications and other business services" in group.example_titles
    )
    assert group.soc_codes


def test_every_unit_group_is_reached_from_the_broad_categories_and_nothing_else(canada_kb):
    reached, levels = [], {}
    waiting = [c.code for c in canada_kb.canada.broad_categories()]
    while waiting:
        group = canada_kb.canada.group(waiting.pop())
        levels[group.level] = levels.get(group.level, 0) + 1
        if group.level == 5:
            reached.append(group.code)
        else:
            waiting += [child.code for child in group.children]
    assert levels == {1: 10, 2: 45, 3: 89, 4: 162, 5: 516}
    with canada_kb.engine.connect() as connection:
        unit_groups = set(connection.scalars(select(n.NocGroup.code).where(n.NocGroup.level == 5)))
    assert sorted(reached) == sorted(unit_groups)


@pytest.mark.parametrize("code", ["123456", "2a", "", "٢١٢٣٢"])
def test_a_noc_group_code_is_one_to_five_ascii_digits(canada_kb, code):
    with pytest.raises(InvalidCodeError, match="one to five digits"):
        canada_kb.canada.group(code)


def test_oasis_codes_that_lost_zeros_are_restored_and_reported(canada_kb):
    warnings = canada_kb.noc_report.warnings
    assert any("main-duties" in w and "restored" in w for w in warnings)
    assert any("14404.01" in w and "labels" in w for w in warnings)
    with canada_kb.engine.connect() as connection:
        duties = connection.scalar(
            select(func.count()).select_from(n.OasisStatement).where(n.OasisStatement.kind == "main_duty")
        )
        profiles = connection.scalar(select(func.count()).select_from(n.OasisProfile))
    assert duties == 4991 and profiles == 901


def test_cops_numbers_and_markers(canada_kb):
    with canada_kb.engine.connect() as connection:
        rows = dict(
            connection.execute(
                select(n.CopsProjection.field, n.CopsProjection.value).where(
                    n.CopsProjection.code == "00000", n.CopsProjection.measure == "summary_sommaire_2024_2033_noc2021"
                )
            ).all()
        )
        markers = (
            connection.execute(select(n.CopsProjection.marker).distinct().where(n.CopsProjection.marker.is_not(None)))
            .scalars()
            .all()
        )
    assert rows["Job_Seekers_Chercheurs_emploi"] == 8_238_800
    assert set(markers) == {"N/A", "N/D"}


def test_profile_puts_oasis_first_and_aggregates_onet_with_contributions(canada_kb):
    profile = canada_kb.canada.profile("00012")
    kinds = [v.source_kind for v in profile.values]
    assert kinds[0] == "authoritative" and "onet" in kinds
    assert kinds.index("onet") > max(i for i, k in enumerate(kinds) if k == "authoritative")
    onet_value = next(v for v in profile.values if v.source_kind == "onet" and v.scale_id == "LV")
    contributing = {c.soc_code for c in onet_value.contributions}
    assert contributing <= {m.code for m in profile.soc_codes}
    mean = sum(c.value for c in onet_value.contributions) / len(onet_value.contributions)
    assert onet_value.value == round(mean, 3)
    assert onet_value.scale.startswith("O*NET") and profile.values[0].scale.startswith("OaSIS")


def test_profile_confidence_drops_with_disagreement(canada_kb):
    values = [v for v in canada_kb.canada.profile("00012", ["onet"]).values if len(v.contributions) > 1]
    agreeing = [v for v in values if v.agreement == 1.0]
    split = [v for v in values if v.agreement < 0.8]
    assert split and all(v.confidence < 0.8 * max(c.confidence for c in v.contributions) for v in split)
    assert all(v.confidence <= max(c.confidence for c in v.contributions) for v in agreeing + split)


def test_oasis_levels_are_authoritative_values_citing_file_and_line(canada_kb):
    values = canada_kb.values.served("00012.00", attribute_prefix="skills/Reading Comprehension")

    assert [(v.value, v.source_kind.value) for v in values] == [(5.0, "authoritative")]
    reference = values[0].reference
    assert (reference.file_name, reference.row, reference.release) == ("skills_oasis_2023_v1.0.csv", 4, "NOC 2021 v1.0")
    assert canada_kb.noc_report.values.added == canada_kb.noc_report.values.asserted > 100_000


def test_profile_as_of_a_moment_before_any_load_is_empty(canada_kb):
    assert canada_kb.canada.profile("00012", as_of=datetime(2000, 1, 1, tzinfo=UTC)).values == []
    assert canada_kb.canada.profile("00012", as_of=datetime.now(UTC)).values


def test_profile_filters_by_source_and_confidence(canada_kb):
    only_oasis = canada_kb.canada.profile("00012", ["authoritative"])
    assert {v.source_kind for v in only_oasis.values} == {"authoritative"}
    confident = canada_kb.canada.profile("00012", min_confidence=0.6)
    assert confident.values and all(v.confidence >= 0.6 for v in confident.values)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda canada: canada.noc_to_soc("10"), InvalidCodeError),
        (lambda canada: canada.noc_to_soc("0001"), InvalidCodeError),
        (lambda canada: canada.noc_to_soc("99999"), NotFoundError),
        (lambda canada: canada.soc_to_noc("11-1011"), InvalidCodeError),
        (lambda canada: canada.soc_to_noc("99-9999.99"), NotFoundError),
    ],
)
def test_bad_codes(canada_kb, call, error):
    with pytest.raises(error):
        call(canada_kb.canada)
