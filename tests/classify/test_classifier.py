"""Titles to occupations over the bundled O*NET sample, the full NOC/OaSIS data and the crosswalk."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from jobforge.classify import ACCEPT, Corpus, Name, Origin, System, TitleClassifier, needs_review, read_corpus
from jobforge.errors import InputError, NotFoundError, UnusableTitleError
from jobforge.provenance.tables import LoadRun
from jobforge.sources.noc.tables import NocSocMapping


def top_codes(kb, title, system="onet", k=5):
    return [c.code for c in kb.classify([title], system, k)[0].candidates]


def test_exact_and_decorated_titles_find_their_occupation(canada_kb):
    assert top_codes(canada_kb, "Registered Nurse")[0] == "29-1141.00"
    assert top_codes(canada_kb, "RN - ICU nights")[0].startswith("29-1141")
    assert top_codes(canada_kb, "Sr. Software Eng.")[0] in {"15-1252.00", "15-1253.00"}


def test_a_typo_is_corrected_to_the_nearest_indexed_word(canada_kb):
    assert top_codes(canada_kb, "Registred Nurse") == top_codes(canada_kb, "Registered Nurse")
    assert top_codes(canada_kb, "Sofware Develper")[0] == top_codes(canada_kb, "Software Developer")[0]


def test_word_order_does_not_matter_for_noc_index_titles(canada_kb):
    assert top_codes(canada_kb, "engineer, civil", "noc")[0] == "21300"
    assert top_codes(canada_kb, "civil engineer", "noc")[0] == "21300"


def test_french_titles_reach_noc_and_through_the_crosswalk_o_net(canada_kb):
    assert top_codes(canada_kb, "Infirmière autorisée", "noc")[0] == "31301"
    assert "22220" in top_codes(canada_kb, "Technicien en informatique", "noc", k=3)
    with canada_kb.engine.connect() as connection:
        nurses = set(connection.scalars(select(NocSocMapping.soc_code).where(NocSocMapping.noc_code == "31301")))
    assert top_codes(canada_kb, "infirmier autorisé", "onet")[0] in nurses


def test_scores_are_probabilities_in_rank_order_and_the_decision_follows_the_rule(canada_kb):
    titles = ["Registered Nurse", "Data Wrangler", "Chief Nursing Officer", "statistician", "Lab Tech"]
    for system in ("onet", "noc"):
        for result in canada_kb.classify(titles, system, k=10):
            scores = [c.score for c in result.candidates]
            assert len(scores) == 10 and scores == sorted(scores, reverse=True)
            assert scores[-1] >= 0 and scores[0] <= 1
            rule = ACCEPT[System(system)]
            accepted = scores[0] >= rule.score and scores[0] - scores[1] >= rule.margin
            assert result.needs_review is not accepted


def test_an_unambiguous_title_is_accepted_and_a_vague_one_needs_review(canada_kb):
    assert not canada_kb.classify(["Registered Nurse"], "noc")[0].needs_review
    assert canada_kb.classify(["Worker"], "noc")[0].needs_review


def test_a_batch_answers_in_order_as_single_calls_would(canada_kb):
    titles = ["Registered Nurse", "Statistician", "Web Developer"]
    batch = canada_kb.classify(titles)
    assert [r.title for r in batch] == titles
    assert batch == [canada_kb.classify([t])[0] for t in titles]


def test_a_title_without_letters_names_its_position_in_the_batch(canada_kb):
    with pytest.raises(UnusableTitleError) as error:
        canada_kb.classify(["Registered Nurse", " -- ", "Statistician"])
    assert error.value.position == 2 and "title 2" in str(error.value)


def test_k_out_of_range_is_an_input_error(canada_kb):
    with pytest.raises(InputError, match="k must be between 1 and 50"):
        canada_kb.classify(["Nurse"], "onet", 0)


def test_a_system_without_loaded_data_says_what_to_load(kb):
    with pytest.raises(NotFoundError, match="jobforge noc load"):
        kb.classify(["Nurse"], "noc")


def test_the_index_is_rebuilt_after_a_load_and_reused_otherwise(kb, sample_zip):
    kb.onet.load(sample_zip)
    first = kb.classify.get(System.onet)
    assert kb.classify.get(System.onet) is first
    kb.onet.load(sample_zip, force=True)
    assert kb.classify.get(System.onet) is not first


def test_a_held_out_title_is_not_found_by_lookup(canada_kb):
    with canada_kb.engine.connect() as connection:
        corpus = read_corpus(connection, System.onet)
    title = next(n.text for n in corpus.names if n.origin is Origin.alternate)
    remaining = corpus.without({title.upper().replace(" ", "  ")})
    assert all(" ".join(n.text.lower().split()) != title.lower() for n in remaining.names)
    assert len(remaining.names) < len(corpus.names) and remaining.titles == corpus.titles


def every_seventh_alternate_title(corpus: Corpus) -> dict[str, set[str]]:
    """Every 7th distinct alternate title (case aside), with the codes that list it."""
    gold: dict[str, set[str]] = {}
    for name in corpus.names:
        if name.origin is Origin.alternate:
            gold.setdefault(name.text.lower(), set()).add(name.code)
    return {title: codes for i, (title, codes) in enumerate(sorted(gold.items())) if i % 7 == 0}


def test_held_out_sample_titles_are_mostly_found_in_the_top_five(canada_kb):
    """A guard on accuracy (the full measurement is bench/classify_eval.py): every 7th distinct
    alternate title of the sample is held out of the index, then classified."""
    with canada_kb.engine.connect() as connection:
        corpus = read_corpus(connection, System.onet)
    held_out = every_seventh_alternate_title(corpus)
    classifier = TitleClassifier(corpus.without(set(held_out)))
    results = classifier.classify(list(held_out), k=5)
    top1 = sum(r.candidates[0].code in held_out[r.title] for r in results) / len(results)
    top5 = sum(any(c.code in held_out[r.title] for c in r.candidates) for r in results) / len(results)
    assert len(results) > 300
    assert top1 >= 0.55 and top5 >= 0.8


def test_needs_review_without_candidates_or_runner_up():
    from jobforge.classify import Candidate

    rule = ACCEPT[System.onet]
    assert needs_review([], rule)
    assert not needs_review([Candidate("29-1141.00", "Registered Nurses", 0.99)], rule)


def test_an_empty_corpus_cannot_build_an_index():
    with pytest.raises(NotFoundError, match="no O\\*NET occupations"):
        TitleClassifier(Corpus(System.onet, {}, [Name("Nurse", "29-1141.00", Origin.alternate)]))


def test_explain_names_the_closest_indexed_name_of_each_candidate(canada_kb):
    with canada_kb.engine.connect() as connection:
        corpus = read_corpus(connection, System.noc)
    names_of: dict[str, set[tuple[str, str]]] = {}
    for name in corpus.names:
        names_of.setdefault(name.code, set()).add((name.text, name.origin.value))
    result = canada_kb.classify(["Technicienne en informatique"], "noc", 3, explain=True)[0]
    for candidate in result.candidates:
        assert (candidate.evidence.name, candidate.evidence.origin) in names_of[candidate.code]
    assert result.candidates[0].evidence.origin == "french"
    plain = canada_kb.classify(["Technicienne en informatique"], "noc", 3)[0]
    assert [c.code for c in plain.candidates] == [c.code for c in result.candidates]
    assert all("evidence" not in c for c in plain.to_json()["candidates"])


def test_warming_builds_the_systems_with_data_and_skips_the_others(kb, sample_zip):
    kb.onet.load(sample_zip)
    kb.classify.warm()
    assert set(kb.classify._built) == {System.onet}
    assert kb.classify.get(System.onet) is kb.classify._built[System.onet][1]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=st.sampled_from(
        [
            "Registered Nurse",
            "Sr. Software Eng.",
            "engineer, civil",
            "Technicien en informatique",
            "Data Scientist",
            "Chief Executive Officer",
        ]
    ),
    upper=st.booleans(),
    decoration=st.sampled_from(["", "!", " - ", "  ", "(", "/"]),
)
def test_case_spacing_and_punctuation_change_nothing(canada_kb, title, upper, decoration):
    variant = decoration + (title.upper() if upper else title) + decoration
    for system in ("onet", "noc"):
        plain, decorated = canada_kb.classify([title, variant], system, 3)
        assert plain.candidates == decorated.candidates


def test_a_built_index_is_kept_beside_a_sqlite_file_and_reused_by_the_next_process(tmp_path, sample_zip):
    from tests.conftest import offline_kb

    first = offline_kb(f"sqlite:///{tmp_path / 'titles.db'}")
    first.upgrade()
    first.onet.load(sample_zip)
    expected = first.classify(["Registred Nurse"], "onet", 3)
    kept = sorted(path.name for path in (tmp_path / "titles.db.indexes").iterdir())
    assert [name.split(".")[-2] for name in kept] == ["explanations", "index"]
    assert all(name.startswith("onet-") for name in kept)

    second = offline_kb(first.database_url)
    assert second.classify(["Registred Nurse"], "onet", 3) == expected
    explained = first.classify(["Registred Nurse"], "onet", 3, explain=True)
    assert offline_kb(first.database_url).classify(["Registred Nurse"], "onet", 3, explain=True) == explained
    with first.engine.begin() as connection:  # a new live run makes the kept index stale
        connection.execute(LoadRun.__table__.update().values(started_at=datetime(2001, 1, 1, tzinfo=UTC)))
    assert offline_kb(first.database_url).classify(["Registred Nurse"], "onet", 3) == expected
    assert sorted(path.name for path in (tmp_path / "titles.db.indexes").iterdir()) != kept


def test_a_server_keeps_the_previous_index_while_the_new_one_builds_then_swaps(kb, sample_zip):
    import time

    kb.onet.load(sample_zip)
    kb.classify.serve_previous_while_building = True
    before = kb.classify.get(System.onet)
    kb.onet.load(sample_zip, force=True)  # a new live run: the index is out of date

    assert kb.classify.get(System.onet) is before  # answered at once, from the previous load
    deadline = time.monotonic() + 60
    while kb.classify.get(System.onet) is before and time.monotonic() < deadline:
        time.sleep(0.05)
    after = kb.classify.get(System.onet)
    assert after is not before and after.classify(["Registered Nurse"], 1)[0].candidates[0].code == "29-1141.00"
