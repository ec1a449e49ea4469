"""A second look at the fused model's shortlist (the `embeddings` extra), by a small learned model.

Adding the embedding similarity to the word model's score treats every title alike, but what
tells the right occupation apart differs from title to title. A title's head word decides more
than its qualifiers: "drywall applicator" is a plasterer, not a drywall contractor, though
"drywall" is the rarer word. A title near many names of one occupation says more than one near a
single name. An occupation whose description reads like the title ("coke ovens" next to metal
processing) is likelier than its names alone say. So each title's SHORTLIST best candidates by
the fused score are described by FEATURES, and gradient-boosted trees (scikit-learn's
HistGradientBoostingClassifier) fitted on a tuning split of the shared data
(`bench/classify_eval.py --fit-reranker`) give each one the probability that it is right: its
score. The fitted models ship in the package (`rerankers/<system>.pickle`, a few hundred KB,
written by scikit-learn at the version pinned in pyproject.toml).

Measured on held-out titles (README): top-1 +0.8 points (O*NET-SOC) and +0.9 (NOC) over the fusion alone,
and three times as many O*NET titles accepted without review.
"""

from __future__ import annotations

import pickle
import re
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from scipy import sparse

from jobforge.classify.names import Name
from jobforge.classify.rules import System
from jobforge.classify.text import normalize

if TYPE_CHECKING:
    from threadpoolctl import ThreadpoolController

SHORTLIST = 30  # candidates re-ranked per title (more when more are asked for)
FEATURES = (
    "fused score behind the first candidate's",
    "fused softmax share",
    "word-model score behind the best",
    "closest name's cosine similarity",
    "closest name's similarity behind the best",
    "character resemblance",
    "word log-likelihood per word behind the best",
    "similarity of its names at least as close as the title's NEAREST-th closest occupation",
    "words in the title",
    "first candidate's fused share",
    "first candidate's lead over the second",
    "share of the occupation's names with the title's head word",
    "names with the title's head word (log)",
    "head word in the occupation's title",
    "head word is the occupation title's",
    "description's cosine similarity",
    "description's similarity behind the best",
)
FOLDER = Path(__file__).parent / "rerankers"
# "Supervisor, payroll", "Foreman - mining", "Executive Assistant to the CEO": the head comes first.
# Not " of " nor a bare " to ": "Bill of Lading Clerk", "Access to Information Officer" end with theirs.
_QUALIFIER = re.compile(r" - | – |\(|,| to the ", re.IGNORECASE)


def head_part(title: str) -> str:
    """The part of a title that holds its head word, before a qualifier or an inversion."""
    return _QUALIFIER.split(title, maxsplit=1)[0]


def head_of(normalized_head_part: str, normalized_title: str) -> str:
    """The head word: the last word of the head part (English titles end with it)."""
    words = normalized_head_part.split() or normalized_title.split()
    return words[-1] if words else ""


def _head_of_name(text: str) -> str:
    part = head_part(text)
    whole = normalize(text)
    return head_of(normalize(part) if part != text else whole, whole)


class HeadWords:
    """How often each occupation's names end with each head word, and its own title's words."""

    def __init__(self, names: list[Name], position: dict[str, int], titles: list[str]) -> None:
        # once per distinct text (several occupations name the same one), not kept past the build
        head_of_text = {text: _head_of_name(text) for text in {name.text for name in names}}
        heads = [head_of_text[name.text] for name in names]
        own = [normalize(title).split() for title in titles]
        self.vocabulary = {word: i for i, word in enumerate(sorted({*heads, *(w for ws in own for w in ws)}))}
        columns = len(self.vocabulary) + 1  # the last column: a head word no name has (all zero)
        kept = [
            (position[name.code], self.vocabulary[head]) for name, head in zip(names, heads) if name.code in position
        ]
        rows, cols = zip(*kept) if kept else ((), ())
        self.counts = sparse.csc_matrix((np.ones(len(kept)), (rows, cols)), shape=(len(titles), columns))
        self.counts.sum_duplicates()
        self.totals = np.maximum(np.asarray(self.counts.sum(axis=1)).ravel(), 1)
        title_rows = [i for i, words in enumerate(own) for _ in words]
        self.in_title = sparse.csc_matrix(
            (np.ones(len(title_rows)), (title_rows, [self.vocabulary[w] for words in own for w in words])),
            shape=(len(titles), columns),
        )
        self.in_title.sum_duplicates()
        self.in_title.data[:] = 1.0  # a word twice in a title is in it once
        self.own = np.array([self.vocabulary[words[-1]] if words else columns - 1 for words in own])

    def ids(self, heads: list[str]) -> np.ndarray:
        return np.array([self.vocabulary.get(head, len(self.vocabulary)) for head in heads])


class Signals(NamedTuple):
    """Titles × occupations, everything the fused model computed of each pair."""

    fused: np.ndarray  # the softmax's input
    words: np.ndarray  # the word model's score over its temperature
    likelihood: np.ndarray  # the words' log-likelihood alone
    resemblance: np.ndarray  # character resemblance alone
    closest: np.ndarray  # closest name's (scaled) cosine similarity
    votes: np.ndarray  # the similarities of the names near the title, by owner
    descriptions: np.ndarray  # the description's cosine similarity
    word_counts: np.ndarray  # per title
    heads: np.ndarray  # per title, its head word's id in HeadWords


def shortlist(fused: np.ndarray, size: int) -> np.ndarray:
    """Each row's `size` best occupations by fused score, best first."""
    size = min(size, fused.shape[1])
    top = np.argpartition(-fused, size - 1, axis=1)[:, :size]
    return np.take_along_axis(top, np.argsort(-np.take_along_axis(fused, top, axis=1), axis=1), axis=1)


def features(signals: Signals, candidates: np.ndarray, heads: HeadWords) -> np.ndarray:
    """(titles × candidates) rows of FEATURES, in the order of `candidates` row by row."""

    def take(matrix: np.ndarray) -> np.ndarray:
        return np.take_along_axis(matrix, candidates, axis=1)

    def behind_best(matrix: np.ndarray) -> np.ndarray:
        return take(matrix) - matrix.max(axis=1, keepdims=True)

    fused = take(signals.fused)
    shares = np.exp(fused - signals.fused.max(axis=1, keepdims=True))
    shares /= np.exp(signals.fused - signals.fused.max(axis=1, keepdims=True)).sum(axis=1, keepdims=True)
    per_word = signals.likelihood / np.maximum(signals.word_counts, 1)[:, None]
    named = np.take_along_axis(heads.counts[:, signals.heads].T.toarray(), candidates, axis=1)
    in_title = np.take_along_axis(heads.in_title[:, signals.heads].T.toarray(), candidates, axis=1)
    runner_up = fused[:, 1:2] if fused.shape[1] > 1 else fused[:, :1]
    width = candidates.shape[1]
    columns = [
        fused - fused[:, :1],
        np.log(shares + 1e-12),
        behind_best(signals.words),
        take(signals.closest),
        behind_best(signals.closest),
        take(signals.resemblance),
        behind_best(per_word),
        take(signals.votes),
        np.repeat(signals.word_counts[:, None], width, axis=1),
        np.repeat(shares[:, :1], width, axis=1),
        np.repeat(fused[:, :1] - runner_up, width, axis=1),
        named / heads.totals[candidates],
        np.log1p(named),
        in_title,
        (heads.own[candidates] == signals.heads[:, None]).astype(float),
        take(signals.descriptions),
        behind_best(signals.descriptions),
    ]
    return np.stack(columns, axis=2).reshape(-1, len(FEATURES)).astype(np.float32)


class Reranker:
    """A fitted model of one system: candidates' features → the probability each is right."""

    _threads: ThreadpoolController | None = None  # the process's thread pools, found once

    def __init__(self, model) -> None:
        self.model = model

    @classmethod
    def shipped(cls, system: System) -> Reranker:
        """The model fitted for `system` and shipped with the code (trusted as the code is). Read
        with the scikit-learn it was written by; another version's trees could score otherwise,
        so its warning is an error here."""
        from sklearn.exceptions import InconsistentVersionWarning

        with warnings.catch_warnings():
            warnings.simplefilter("error", InconsistentVersionWarning)
            return cls(pickle.loads((FOLDER / f"{system.value}.pickle").read_bytes()))

    def probabilities(self, rows: np.ndarray) -> np.ndarray:
        """On one OpenMP thread: scikit-learn opens a parallel region per tree, and waking the
        second thread 180 times made one title cost 12 ms on a busy machine instead of 2; a
        server's requests run side by side anyway."""
        if not len(rows):
            return np.zeros(0)
        if Reranker._threads is None:
            from threadpoolctl import ThreadpoolController

            Reranker._threads = ThreadpoolController()
        with Reranker._threads.limit(limits=1, user_api="openmp"):
            return self.model.predict_proba(rows)[:, 1]
