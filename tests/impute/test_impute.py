"""Imputation over the bundled sample: only what no source provides, through the write path, with
a confidence and a rationale, replaced by any later O*NET value; on every backend."""

from __future__ import annotations

import csv
import html
import io
import json
import re

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from jobforge.api import create_app
from jobforge.cli import app
from jobforge.errors import InputError, NotFoundError
from jobforge.impute.descriptions import Descriptions, read_descriptions
from jobforge.impute.hierarchy import HierarchyImputer
from jobforge.impute.matrix import RatingMatrix
from jobforge.impute.neighbours import CALIBRATION
from jobforge.provenance.read import ValueFilter
from jobforge.provenance.sources import SourceKind
from jobforge.sources.onet import tables as t

UNRATED = "15-1252.00"  # Software Developers: no skills or knowledge ratings in 29.3


@pytest.fixture
def sample(kb, sample_zip):
    kb.onet.load(sample_zip)
    return kb


def imputed_skills(kb, code=UNRATED):
    return kb.values.served(code, ValueFilter(sources=frozenset({SourceKind.IMPUTED})), "skills/")


def test_an_unrated_occupation_gets_every_skill_with_confidence_and_rationale(sample):
    assert not sample.values.served(UNRATED, attribute_prefix="skills/")

    report = sample.impute.run([UNRATED])

    values = imputed_skills(sample)
    every_imputed = sample.values.served(UNRATED, ValueFilter(sources=frozenset({SourceKind.IMPUTED})))
    assert report.values == len(every_imputed) and report.occupations == 1
    assert len(values) == 2 * 35  # LV and IM of every skill
    for value in values:
        assert value.source_kind is SourceKind.IMPUTED and 0 <= value.confidence <= 1
        assert value.reference.method in ("hierarchy", "neighbours") and value.reference.rationale
        low, high = (0, 7) if value.attribute.endswith("/LV") else (1, 5)
        assert low <= value.value <= high
    assert "neighbours" in values[0].reference.rationale or "hierarchy" in values[0].reference.rationale


def test_the_neighbours_read_an_unrated_occupations_work_activities_interests_and_equipment(sample):
    with sample.engine.connect() as connection:
        descriptions = read_descriptions(connection)
        linked = connection.execute(
            select(t.TaskDwa.dwa_id, t.Dwa.iwa_id)
            .join(t.Dwa, t.Dwa.dwa_id == t.TaskDwa.dwa_id)
            .where(t.TaskDwa.soc_code == UNRATED)
        ).all()
        technology = connection.execute(
            select(t.UnspscCommodity.commodity_code, t.UnspscCommodity.segment_code)
            .join(t.TechnologySkill, t.TechnologySkill.commodity_code == t.UnspscCommodity.commodity_code)
            .where(t.TechnologySkill.soc_code == UNRATED)
        ).all()

    assert linked and sorted(descriptions.activities[UNRATED]) == sorted(i for pair in linked for i in pair)
    assert len(descriptions.interests[UNRATED]) == 6  # RIASEC, published although skills are not rated
    listed = descriptions.technology[UNRATED]
    assert technology and len(listed) == 4 * len(technology)  # commodity, class, family, segment of each
    assert {f"commodity {c}" for c, _ in technology} <= set(listed)
    assert {f"segment {s}" for _, s in technology} <= set(listed)
    report = sample.impute.run([UNRATED], domains=["skills"], dry_run=True)
    assert {e.method for e in report.estimates} == {"neighbours"}
    assert (
        "a regression on its title, alternate titles, description, tasks, work activities, interests, technology, tools and SOC group"
        in report.estimates[0].rationale
    )


def test_a_rationale_names_only_what_the_occupation_has():
    titled_only = Descriptions(text_parts={"11-9199.00": {"alternate titles"}})
    assert titled_only.matched_on("11-9199.00") == ["title", "alternate titles"]
    assert titled_only.matched_on("99-9999.00") == ["title"]
    described = Descriptions(
        tools={"a": ["commodity 1"]}, interests={"a": {"1.B.1.a": 4.0}}, text_parts={"a": {"description"}}
    )
    assert described.matched_on("a") == ["title", "description", "interests", "tools"]


def test_confidence_rises_with_agreement_and_another_domains_ratings_and_falls_with_disagreement():
    agreement = np.array([0.2, 0.9, 0.9])
    disagreement = np.array([0.0, 0.0, 0.3])

    low, high, disputed = CALIBRATION.of(agreement, disagreement, profiled=False)
    profiled = CALIBRATION.of(agreement, disagreement, profiled=True)

    assert low < high and disputed < high and all(0 < c < 1 for c in (low, high, disputed))
    assert (profiled > [low, high, disputed]).all()


def test_a_measured_rating_is_never_imputed_over(sample):
    before = sample.values.served("29-1141.00", attribute_prefix="skills/")
    assert sample.impute.run(["29-1141.00"]).values == 0
    assert sample.values.served("29-1141.00", attribute_prefix="skills/") == before


def test_the_skill_gap_works_from_an_imputed_occupation_and_says_so(sample):
    sample.impute.run([UNRATED])
    gap = sample.careers.skill_gap(UNRATED, "29-1141.00")
    assert gap.skill_gaps and all(item.from_confidence is not None for item in gap.skill_gaps)
    assert {item.from_source_kind for item in gap.skill_gaps} == {"imputed"}
    assert {(item.to_source_kind, item.source_kind) for item in gap.skill_gaps} == {("onet", "onet")}
    back = sample.careers.skill_gap("29-1141.00", UNRATED)
    assert back.skill_gaps and {item.to_source_kind for item in back.skill_gaps} == {"imputed"}


def test_transitions_say_how_much_of_each_profile_is_imputed(sample):
    measured = sample.careers.transitions("29-1141.00", k=100)
    assert measured.from_imputed_share == 0 and UNRATED not in {move.code for move in measured.transitions}
    sample.impute.run([UNRATED], domains=["skills"])

    moves = sample.careers.transitions(UNRATED, k=100)
    share = moves.from_imputed_share  # its whole LV profile: knowledge stays unrated, no abilities loaded
    assert share == 1 and moves.transitions and all(move.imputed_share == 0 for move in moves.transitions)
    towards = {move.code: move for move in sample.careers.transitions("15-1211.00", k=100).transitions}
    assert towards[UNRATED].imputed_share == share
    with TestClient(create_app(sample), headers={"Accept": "text/html"}) as client:
        page = client.get(f"/careers/{UNRATED}").text
    assert "100% of this occupation's own ratings are imputed" in html.unescape(page)


def test_the_gap_page_and_its_csv_show_the_source_of_both_sides(sample):
    sample.impute.run([UNRATED])
    sides = {"from": UNRATED, "to": "29-1141.00"}
    with TestClient(create_app(sample), headers={"Accept": "text/html"}) as client:
        page = client.get("/gap", params=sides).text
        rows = list(csv.DictReader(io.StringIO(client.get("/gap.csv", params=sides).text)))
    first_row = re.search(r"<tbody><tr>(.*?)</tr>", page).group(1)
    assert "badge imputed" in first_row and "badge onet" in first_row
    assert rows and {(row["from_source_kind"], row["source_kind"]) for row in rows} == {("imputed", "onet")}
    assert all(0 <= float(row["from_confidence"]) <= 1 for row in rows)


def test_running_again_writes_nothing_and_a_dry_run_never_writes(sample):
    dry = sample.impute.run([UNRATED], dry_run=True)
    assert dry.values > 0 and dry.written is None and not imputed_skills(sample)
    first = sample.impute.run([UNRATED])
    again = sample.impute.run([UNRATED])
    assert first.written.added == first.values
    assert again.written.added == 0 and again.written.unchanged == again.values == first.values


def test_a_later_o_net_value_replaces_the_imputed_one_with_an_override_event(sample):
    sample.impute.run([UNRATED])
    sample.values.set_value(UNRATED, "skills/2.A.1.a/LV", 4.5, kind=SourceKind.ONET, confidence=0.8, actor="test")
    served = {v.attribute: v for v in sample.values.served(UNRATED, attribute_prefix="skills/2.A.1.a/")}
    assert served["skills/2.A.1.a/LV"].source_kind is SourceKind.ONET
    assert served["skills/2.A.1.a/IM"].source_kind is SourceKind.IMPUTED
    events = sample.values.audit(code=UNRATED)
    assert [(e.old_source_kind, e.new_source_kind) for e in events if e.attribute == "skills/2.A.1.a/LV"] == [
        ("imputed", "onet")
    ]
    assert sample.impute.run([UNRATED]).written.added == 0  # the O*NET value stays


def test_unknown_codes_providers_and_domains_are_refused_and_nothing_is_written(sample):
    before = sample.values.served(UNRATED)
    with pytest.raises(NotFoundError, match="99-9999.99"):
        sample.impute.run(["99-9999.99"])
    with pytest.raises(InputError, match="provider 'oracle'"):
        sample.impute.run([UNRATED], provider="oracle")
    with pytest.raises(InputError, match="no domain 'skils'; the domains: skills, knowledge"):
        sample.impute.run([UNRATED], domains=["knowledge", "skils"])  # a typo is not ignored
    with pytest.raises(NotFoundError, match="no measured .* ratings in abilities"):
        sample.impute.run([UNRATED], domains=["abilities"])  # a domain the release does not rate
    assert sample.values.served(UNRATED) == before


def test_an_empty_database_is_told_to_load_a_release_first(kb):
    kb.upgrade()
    with pytest.raises(NotFoundError, match="no O\\*NET release is loaded"):
        kb.impute.run(None)
    result = CliRunner().invoke(app, ["--db", kb.database_url, "impute", "--missing"])
    assert result.exit_code != 0 and "jobforge onet load" in result.output and "Traceback" not in result.output


def test_work_context_and_work_values_are_imputed_on_their_own_scales(kb, complete_release):
    """Work Context is rated on CX (1–5), Work Values on EX (1–7); the high points (VH) name which
    value comes first rather than measure one, so they are left alone."""
    kb.onet.load(complete_release)  # Work Context for three occupations only
    report = kb.impute.run(["11-2021.00", UNRATED], domains=["work_context", "work_values"])

    assert report.by_domain == {"work_context CX": 3, "work_values EX": 6}
    imputed = ValueFilter(sources=frozenset({SourceKind.IMPUTED}))
    context = kb.values.served("11-2021.00", imputed, "work_context/")
    values = kb.values.served(UNRATED, imputed, "work_values/")
    assert {v.attribute.rsplit("/", 1)[1] for v in context} == {"CX"} and all(1 <= v.value <= 5 for v in context)
    assert {v.attribute.rsplit("/", 1)[1] for v in values} == {"EX"} and all(1 <= v.value <= 7 for v in values)
    assert all(v.reference.method == "neighbours" and 0 <= v.confidence <= 1 for v in context + values)
    assert not kb.values.served(UNRATED, imputed, "work_context/")  # rated in the constructed file


def test_the_cli_imputes_and_reports(sample):
    result = CliRunner().invoke(app, ["--db", sample.database_url, "impute", UNRATED, "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["values"] > 0 and report["by_domain"]["skills LV"] == 35 and report["written"]["added"] > 0
    gap = CliRunner().invoke(app, ["--db", sample.database_url, "skill-gap", UNRATED, "29-1141.00"], terminal_width=200)
    assert gap.exit_code == 0, gap.output
    rows = [line for line in gap.stdout.splitlines() if re.search(r"\d\.\d\d", line)]
    assert rows and all(re.search(r"imputed 0\.\d\d .* onet", row) for row in rows)  # each side's source


def matrix(codes: list[str], rows: list[list[float]]) -> RatingMatrix:
    return RatingMatrix("skills", "LV", codes, ["a", "b"], np.array(rows, dtype=float), 0.0, 7.0)


def test_a_parent_is_the_mean_of_its_specialisations_with_confidence_falling_with_spread():
    m = matrix(["15-1299.00", "15-1299.01", "15-1299.02", "15-1211.00"],
               [[np.nan, np.nan], [2.0, 4.0], [4.0, 4.0], [6.0, 6.0]])  # fmt: skip
    estimates = {e.element: e for e in HierarchyImputer().estimate(m, 0)}
    assert (estimates["a"].value, estimates["b"].value) == (3.0, 4.0)
    assert estimates["a"].rationale.startswith("parent:") and "15-1299.01, 15-1299.02" in estimates["a"].rationale
    # sd 1 on a 0–7 scale for a, 0 for b; two occupations averaged
    assert estimates["a"].confidence == pytest.approx(0.85 * (1 - 2 / 7) * 2 / 3, abs=1e-3)
    assert estimates["b"].confidence == pytest.approx(0.85 * 2 / 3, abs=1e-3)


def test_a_specialisation_takes_its_parent_and_a_lone_occupation_its_broad_group():
    m = matrix(["15-1299.00", "15-1299.05", "15-1251.00", "15-1253.00"],
               [[3.0, 5.0], [np.nan, np.nan], [np.nan, np.nan], [1.0, 2.0]])  # fmt: skip
    specialisation = HierarchyImputer().estimate(m, 1)
    assert [e.value for e in specialisation] == [3.0, 5.0] and specialisation[0].rationale.startswith("specialisation")
    lone = HierarchyImputer().estimate(m, 2)
    assert lone[0].rationale.startswith("broad group") and [e.value for e in lone] == [1.0, 2.0]  # 15-125x only
