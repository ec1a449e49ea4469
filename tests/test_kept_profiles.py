"""Occupation profiles kept between requests: served again only while the data is unchanged."""

from __future__ import annotations

from jobforge.entities import ONET
from jobforge.long_lived import AnswersAtVersion
from jobforge.provenance.read import ValueFilter
from jobforge.provenance.sources import SourceKind
from jobforge.provenance.statements import Source
from jobforge.provenance.write import withdraw_values
from tests.conftest import CHIEF, with_an_authoritative_override


def reading_level(profile) -> tuple[float, str]:
    rating = next(r for r in profile.ratings["skills"].ratings if r.element_id == "2.A.1.a" and r.scale_id == "LV")
    return rating.data_value, rating.source_kind


def test_a_kept_profile_gives_way_to_every_kind_of_change(kb, sample_zip):
    kb.onet.load(sample_zip)
    first = kb.occupations.profile(CHIEF)
    assert kb.occupations.profile(CHIEF) is first  # kept
    assert reading_level(first) == (4.62, "onet")

    with_an_authoritative_override(kb, sample_zip)  # a value written (and the release re-applied)
    assert reading_level(kb.occupations.profile(CHIEF)) == (6.0, "authoritative")
    onet_only = kb.occupations.profile(CHIEF, ValueFilter(sources=frozenset({SourceKind.ONET})))
    assert reading_level(onet_only) == (4.62, "onet")  # filters are kept apart

    with kb.engine.begin() as connection:  # a withdrawal writes no value, only an override event
        withdraw_values(
            connection,
            Source(SourceKind.AUTHORITATIVE, "manual", "analyst"),
            [(ONET.entity(CHIEF), "skills/2.A.1.a/LV")],
        )
    assert reading_level(kb.occupations.profile(CHIEF)) == (4.62, "onet")


def test_an_answer_computed_for_an_older_version_does_not_evict_a_newer_one():
    kept: AnswersAtVersion[str] = AnswersAtVersion(size=2)
    computed = []

    def compute(answer: str):
        def run() -> str:
            computed.append(answer)
            if answer == "old":  # a write lands while this is computed, and another reader sees it
                assert kept.get(2, "key", compute("new")) == "new"
            return answer

        return run

    assert kept.get(1, "key", compute("old")) == "old"
    assert kept.get(2, "key", compute("again")) == "new"
    assert computed == ["old", "new"]


def test_only_the_last_answers_are_kept():
    kept: AnswersAtVersion[int] = AnswersAtVersion(size=2)
    for key in (1, 2, 3):
        kept.get("v", key, lambda key=key: key)
    assert kept.get("v", 1, lambda: -1) == -1  # the oldest went
    assert kept.get("v", 3, lambda: -3) == 3
