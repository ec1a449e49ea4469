"""Turning normalized titles into the model's feature vectors at query time, without scikit-learn.

The vocabularies and weights are fitted by scikit-learn's CountVectorizer and TfidfVectorizer when
an index is built; answering a query needs only their `transform`, which these classes reproduce
exactly (tests/classify/test_vectors.py compares them on generated titles). Importing
scikit-learn costs about 0.75 s of CPU, which a one-title CLI call with a kept index would
otherwise spend before its first millisecond of work.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from scipy import sparse


class WordPairs:
    """CountVectorizer(ngram_range=(1, 2), binary=True, token_pattern=r"\\S+").transform."""

    def __init__(self, vocabulary: dict[str, int]) -> None:
        self.vocabulary = vocabulary

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        indptr, indices = [0], []
        for text in texts:
            tokens = text.lower().split()
            terms = tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]
            indices.extend(sorted({column for term in terms if (column := self.vocabulary.get(term)) is not None}))
            indptr.append(len(indices))
        data = np.ones(len(indices), dtype=np.float64)
        return sparse.csr_matrix((data, indices, indptr), shape=(len(texts), len(self.vocabulary)))


class CharacterGrams:
    """TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True).transform: each
    word padded with a space either side, its 2- to 4-grams counted, 1 + log(count) × idf, rows
    scaled to unit length."""

    def __init__(self, vocabulary: dict[str, int], idf: np.ndarray) -> None:
        self.vocabulary = vocabulary
        self.idf = idf.astype(np.float32)

    def transform(self, texts: list[str]) -> sparse.csr_matrix:
        indptr: list[int] = [0]
        indices: list[int] = []
        data: list[float] = []
        for text in texts:
            counts = Counter(
                column for gram in _char_wb_grams(text.lower()) if (column := self.vocabulary.get(gram)) is not None
            )
            columns = sorted(counts)
            weights = (1 + np.log(np.array([counts[c] for c in columns], dtype=np.float64))) * self.idf[columns]
            norm = np.sqrt(np.dot(weights, weights))
            indices.extend(columns)
            data.extend(weights / norm if norm else weights)
            indptr.append(len(indices))
        return sparse.csr_matrix(
            (np.array(data, dtype=np.float32), indices, indptr), shape=(len(texts), len(self.vocabulary))
        )


def _char_wb_grams(text: str) -> list[str]:
    grams: list[str] = []
    for word in text.split():
        padded = f" {word} "
        for n in range(2, 5):
            grams.extend(padded[i : i + n] for i in range(max(1, len(padded) - n + 1)))
            if len(padded) <= n:  # a word no longer than n counts once, whole
                break
    return grams
