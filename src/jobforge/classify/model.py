"""The title model: naive Bayes over words and word pairs, with a character-level tie-breaker.

Each occupation is a bag of the words of its names (weighted by where the name comes from) plus,
faintly, the words that describe it. A title scores an occupation by the log-likelihood of its
words and word pairs under that bag (multinomial naive Bayes with additive smoothing): a word
seen in many of an occupation's names counts a lot, one never seen there costs a fixed penalty.
Words are what decide a job title, but a misspelt or unseen word matches nothing; a cosine
similarity over character 2–4-grams between the title and the occupation's names adds the
resemblance words miss ("Sonogram" and "Sonographer"). Everything is sparse matrix algebra, so
a batch of thousands of titles is scored at once.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np
from scipy import sparse

from jobforge.classify.names import Corpus, Name, Origin
from jobforge.classify.text import normalize
from jobforge.classify.vectors import CharacterGrams, WordPairs


class Explanations(NamedTuple):
    """What `explain` reads: every indexed name, its character grams, and which occupation owns it."""

    names: list[Name]
    grams: sparse.csr_matrix
    names_of: sparse.csr_matrix


@dataclass(frozen=True)
class ModelParameters:
    """Weights chosen on a held-out split of the shared data (bench/classify_eval.py --tune)."""

    name_weights: dict[Origin, float] = field(
        default_factory=lambda: {
            Origin.title: 3.0,
            Origin.alternate: 1.0,
            Origin.short: 1.0,
            Origin.reported: 1.0,
            Origin.label: 2.0,
            Origin.example: 1.0,
            Origin.french: 1.0,
            Origin.borrowed: 0.1,
        }
    )
    context_weight: float = 0.3  # weight of the descriptive words next to a name's words
    smoothing: float = 0.02  # additive smoothing of the word counts
    character_weight: float = 8.0  # weight of the character similarity (0–1) in the score


class TitleModel:
    """Scores titles against every occupation of one corpus."""

    def __init__(self, corpus: Corpus, parameters: ModelParameters | None = None) -> None:
        # scikit-learn (0.75 s to import) fits the vocabularies; queries do without it (vectors.py)
        from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
        from sklearn.preprocessing import normalize as unit_rows

        self.parameters = parameters = parameters or ModelParameters()
        self.codes = corpus.codes
        self.titles = [corpus.titles[code] for code in self.codes]
        position = {code: i for i, code in enumerate(self.codes)}
        names = [name for name in corpus.names if name.code in position and parameters.name_weights.get(name.origin)]
        texts = [normalize(name.text) for name in names]
        weights = np.array([parameters.name_weights[name.origin] for name in names])
        membership = sparse.csr_matrix(
            (weights, ([position[name.code] for name in names], range(len(names)))), shape=(len(self.codes), len(names))
        )
        context = [normalize(" ".join(corpus.context.get(code, ()))) for code in self.codes]

        fitted_words = CountVectorizer(ngram_range=(1, 2), binary=True, token_pattern=r"\S+", dtype=np.float64)
        fitted_words.fit(texts + context)
        self.words = WordPairs(fitted_words.vocabulary_)
        counts = (  # scikit-learn's own transform while it is loaded (faster on long texts)
            membership @ fitted_words.transform(texts) + parameters.context_weight * fitted_words.transform(context)
        ).tocsr()
        a = parameters.smoothing
        totals = np.asarray(counts.sum(axis=1)).ravel() + a * len(self.words.vocabulary)
        # log((count + a) / total) = log(a / total) + log((count + a) / a): a dense floor per
        # occupation plus a sparse gain for the words it has, so no dense occupation × vocabulary matrix.
        self._floor = np.log(a) - np.log(totals)
        counts.data = np.log1p(counts.data / a)
        self._gain = counts.T.tocsr()

        fitted_characters = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 4), min_df=2, sublinear_tf=True, dtype=np.float32
        )
        grams = fitted_characters.fit_transform(texts)
        self.characters = CharacterGrams(fitted_characters.vocabulary_, fitted_characters.idf_)
        self._centroids = unit_rows(membership @ grams).T.tocsr()
        self.explanations: Explanations | None = Explanations(names, grams, membership)
        self.explanations_file: Path | None = None  # where a kept index left them, read on first use
        self.vocabulary = sorted(word for word in self.words.vocabulary if " " not in word)  # single words

    def __getstate__(self) -> dict:
        """Kept on disk without the explanations (most of the bytes, and needed only by `explain`):
        the index keeps them in a file of their own."""
        return {name: value for name, value in self.__dict__.items() if name != "explanations"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, explanations=None)

    def closest_names(self, normalized_title: str, occupations: list[int]) -> list[Name | None]:
        """For each occupation, its name that most resembles the title (character similarity):
        the evidence a reviewer checks first."""
        if self.explanations is None:
            assert self.explanations_file is not None, "an index read from disk knows its explanations file"
            self.explanations = pickle.loads(self.explanations_file.read_bytes())
        names, grams, names_of = self.explanations
        title = self.characters.transform([normalized_title]).T
        closest: list[Name | None] = []
        for occupation in occupations:
            rows = names_of.indices[names_of.indptr[occupation] : names_of.indptr[occupation + 1]]
            similarity = (grams[rows] @ title).toarray().ravel()
            closest.append(names[rows[int(np.argmax(similarity))]] if len(rows) else None)
        return closest

    def scores(self, normalized_titles: list[str]) -> np.ndarray:
        """Titles × occupations; higher is likelier. Input is already `normalize`d."""
        return self.combined(*self.parts(normalized_titles))

    def combined(self, likelihood: np.ndarray, resemblance: np.ndarray) -> np.ndarray:
        return likelihood + self.parameters.character_weight * resemblance

    def parts(self, normalized_titles: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """The score's two terms apart (the re-ranker reads each): the words' log-likelihood and
        the character resemblance (0–1)."""
        words = self.words.transform(normalized_titles)
        word_count = np.asarray(words.sum(axis=1)).ravel()
        likelihood = (words @ self._gain).toarray() + np.outer(word_count, self._floor)
        return likelihood, (self.characters.transform(normalized_titles) @ self._centroids).toarray()
