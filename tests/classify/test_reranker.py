"""The re-ranker of the fused shortlist: shipped models that load, features that say what they
claim, and scores that are its probabilities."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

pytest.importorskip("sentence_transformers", reason="the embeddings extra is not installed")

from jobforge.classify import Name, Origin, System
from jobforge.classify.reranker import FEATURES, SHORTLIST, HeadWords, Reranker, features, head_of, head_part, shortlist
from jobforge.classify.text import normalize


@pytest.mark.parametrize("system", list(System))
def test_the_shipped_rerankers_load_with_the_installed_scikit_learn_and_read_every_feature(system):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a model written by another scikit-learn release warns
        reranker = Reranker.shipped(system)
    assert reranker.model.n_features_in_ == len(FEATURES)
    assert reranker.model.n_iter_ >= 10


@pytest.mark.parametrize(
    ("title", "head"),
    [
        ("Drywall Applicator", "applicator"),
        ("Supervisor, payroll clerks", "supervisor"),
        ("Foreman/woman - coke ovens", "foreman"),
        ("Sr. Software Eng. (remote)", "engineer"),
        ("Nurses", "nurse"),
        ("Executive Assistant to the CEO", "assistant"),
        ("Secretary To The Board", "secretary"),
        ("Access to Information Officer", "officer"),
    ],
)
def test_the_head_word_is_the_last_word_before_a_qualifier_or_an_inversion(title, head):
    assert head_of(normalize(head_part(title)), normalize(title)) == head


def test_head_word_counts_are_per_occupation_and_an_unknown_head_counts_nothing():
    names = [
        Name("Drywall Applicator", "a", Origin.alternate),
        Name("Plaster Applicator", "a", Origin.alternate),
        Name("Drywall Installer", "b", Origin.alternate),
        Name("Installer, drywall", "b", Origin.alternate),
    ]
    heads = HeadWords(names, {"a": 0, "b": 1}, ["Plasterers and applicators", "Drywall installers"])
    ids = heads.ids(["applicator", "installer", "astronaut"])
    counts = heads.counts[:, ids].toarray()
    assert counts[:, 0].tolist() == [2, 0] and counts[:, 1].tolist() == [0, 2] and counts[:, 2].tolist() == [0, 0]
    assert heads.in_title[:, ids].toarray()[:, 0].tolist() == [1, 0]  # "applicators" stemmed into the title
    assert heads.own.tolist() == [ids[0], ids[1]]  # each title's own last word


def test_the_shortlist_is_best_first_and_never_longer_than_the_occupations():
    fused = np.array([[0.1, 3.0, 2.0, -1.0], [5.0, 1.0, 4.0, 0.0]])
    assert shortlist(fused, 3).tolist() == [[1, 2, 0], [0, 2, 1]]
    assert shortlist(fused, 30).shape == (2, 4)


def test_scores_are_the_rerankers_probabilities_of_the_shortlists_features_best_first(fused_kb):
    classifier = fused_kb.classify.get(System.onet)
    assert classifier.reranker is not None
    titles = ["Registered Nurse", "drywall applicator", "Data Wrangler"]
    normalized = [classifier.normalized(title) for title in titles]
    signals = classifier.signals(titles, normalized)
    candidates = shortlist(signals.fused, SHORTLIST)
    rows = features(signals, candidates, classifier.heads)
    assert rows.shape == (len(titles) * candidates.shape[1], len(FEATURES)) and np.isfinite(rows).all()
    right = classifier.reranker.probabilities(rows).reshape(candidates.shape)
    for row, result in enumerate(classifier.classify(titles, k=5)):
        best = np.argsort(-right[row], kind="stable")[:5]
        assert [c.code for c in result.candidates] == [classifier.model.codes[j] for j in candidates[row][best]]
        assert [c.score for c in result.candidates] == [round(float(p), 4) for p in right[row][best]]


def test_more_candidates_than_the_shortlist_are_all_scored_in_rank_order(fused_kb):
    (result,) = fused_kb.classify(["Registered Nurse"], "onet", k=50)
    scores = [c.score for c in result.candidates]
    assert len(scores) == min(50, len(fused_kb.classify.get(System.onet).model.codes)) > SHORTLIST
    assert scores == sorted(scores, reverse=True) and 0 <= scores[-1] <= scores[0] <= 1


def test_votes_sum_the_similarities_of_each_occupations_names_as_close_as_the_titles_nth_occupation():
    from jobforge.classify.embeddings import NEAREST, NameVectors

    rng = np.random.default_rng(7)
    codes = [f"{i:02d}" for i in range(NEAREST + 10)]
    texts = [f"name {i}" for i in range(120)]
    names = [Name(text, codes[i % len(codes)], Origin.borrowed if i % 5 == 0 else Origin.alternate)
             for i, text in enumerate(texts)]  # fmt: skip
    names.append(Name(texts[3], codes[0], Origin.reported))  # one text twice in an occupation counts twice
    vectors = {normalize(text): v / np.linalg.norm(v) for text, v in zip(texts, rng.normal(size=(120, 384)))}
    index = NameVectors(names, {code: i for i, code in enumerate(codes)}, vectors, borrowed=0.5)
    titles = rng.normal(size=(3, 384)).astype(np.float32)
    titles /= np.linalg.norm(titles, axis=1, keepdims=True)
    closest, votes = index.similarity(titles)
    for t, title in enumerate(titles):
        similarity = [(name.code, float(vectors[normalize(name.text)] @ title) * (0.5 if name.origin is Origin.borrowed else 1))
                      for name in names]  # fmt: skip
        best = {code: max(s for c, s in similarity if c == code) for code in codes}
        assert np.allclose([best[code] for code in codes], closest[t], atol=1e-5)
        bar = sorted(best.values(), reverse=True)[NEAREST - 1]
        expected = [sum(s for c, s in similarity if c == code and s >= bar) for code in codes]
        assert np.allclose(expected, votes[t], atol=1e-5)
        assert (votes[t] != 0).sum() >= NEAREST  # every occupation at the bar or above votes


def test_the_sentence_model_reads_the_words_as_typed_and_the_word_model_reads_them_corrected(fused_kb):
    """The word model reads an unknown word as the closest indexed one; the sentence model, which
    reads any word, is given it as typed (the closest word would mislead it where it is another job)."""
    classifier = fused_kb.classify.get(System.onet)
    titles = ["Registred Nurse", "Registered Nurse"]
    normalized = [classifier.normalized(title) for title in titles]
    assert normalized[0] == normalized[1] == "registered nurse"
    signals = classifier.signals(titles, normalized)
    assert np.array_equal(signals.words[0], signals.words[1])  # the same words to the word model
    assert not np.allclose(signals.closest[0], signals.closest[1])  # not the same text to the sentence model
