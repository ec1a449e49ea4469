"""The query-time vectors are scikit-learn's own transforms, reproduced: same columns, same weights."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from jobforge.classify.vectors import CharacterGrams, WordPairs

CORPUS = [
    "registered nurse",
    "software developer",
    "data engineer",
    "civil engineer",
    "nurse practitioner",
    "a b",
    "x",
    "data scientist senior",
    "engineer data",
    "technicien informatique",
    "école infirmière",
]
WORDS = st.sampled_from(["nurse", "data", "engineer", "a", "b", "x", "zz", "école", "scientist", "dev", "q"])
TITLES = st.lists(WORDS, min_size=0, max_size=6).map(" ".join)


@given(st.lists(TITLES, min_size=1, max_size=5))
@settings(max_examples=150, deadline=None)
def test_word_pairs_equal_count_vectorizer(titles):
    fitted = CountVectorizer(ngram_range=(1, 2), binary=True, token_pattern=r"\S+", dtype=np.float64).fit(CORPUS)
    ours = WordPairs(fitted.vocabulary_).transform(titles)
    assert (ours != fitted.transform(titles)).nnz == 0


@given(st.lists(TITLES, min_size=1, max_size=5))
@settings(max_examples=150, deadline=None)
def test_character_grams_equal_tfidf_vectorizer(titles):
    fitted = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), min_df=1, sublinear_tf=True, dtype=np.float32).fit(
        CORPUS
    )
    ours = CharacterGrams(fitted.vocabulary_, fitted.idf_).transform(titles)
    theirs = fitted.transform(titles)
    assert (ours.indices.tolist(), ours.indptr.tolist()) == (
        theirs.sorted_indices().indices.tolist(),
        theirs.indptr.tolist(),
    )
    np.testing.assert_allclose(ours.data, theirs.sorted_indices().data, rtol=1e-5)
