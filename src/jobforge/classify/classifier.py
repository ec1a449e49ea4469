"""Job titles to ranked occupations with calibrated confidences and an accept/review decision.

A candidate's score is the probability that it is a right occupation for the title: the model's
scores pass through a softmax whose temperature was fitted, per system, to minimise the log-loss
on held-out real titles, then through Platt scaling fitted on the same titles
(bench/classify_eval.py --tune), so that of the candidates scored 0.8, about 80% are right. The
temperature grows with the number of words, because the model's log-likelihoods add up over
words: without that, one-word titles came out underconfident (scored 0.11, right 42% of the time)
and five-word titles overconfident. The decision follows SOCcer's form (accept when the top score
is high enough and clear of the runner-up), with thresholds set so that the accepted share is
right at least 90% of the time on held-out titles.

With the `embeddings` extra, each occupation's closest name by meaning (embeddings.py) adds
`FUSION.weight × cosine` to the softmax's input (its temperature fitted again the same way,
FUSED), and the best candidates of that fused score are re-ranked by a learned model over what
both signals say of each (reranker.py), whose output is the candidate's probability of being right.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from jobforge.classify.decorations import undecorated
from jobforge.classify.names import Corpus, Name, Origin
from jobforge.classify.rules import ACCEPT, ACCEPT_WITH_EMBEDDINGS, MAX_K, MAX_TITLE, AcceptRule, System
from jobforge.classify.text import normalize
from jobforge.control_characters import IN_A_LINE
from jobforge.errors import InputError, NotFoundError, UnusableTitleError

if TYPE_CHECKING:
    from jobforge.classify.adapter import EmbeddingMap
    from jobforge.classify.embeddings import NameVectors
    from jobforge.classify.model import ModelParameters
    from jobforge.classify.reranker import HeadWords, Reranker, Signals

Embed = Callable[[set[str]], dict[str, np.ndarray]]  # normalized name texts → their embeddings


class Temperature(NamedTuple):
    """Softmax temperature for a title of n words: base × n ** growth."""

    base: float
    growth: float

    def of(self, word_counts: np.ndarray) -> np.ndarray:
        return self.base * np.maximum(word_counts, 1) ** self.growth


# Fitted by bench/classify_eval.py --tune on the shared data (tuning seed, not the reported one).
TEMPERATURE = {System.onet: Temperature(0.738, 0.836), System.noc: Temperature(0.715, 0.847)}


class Calibration(NamedTuple):
    """Platt scaling of a candidate's softmax share p: score = σ(slope · logit p + intercept).

    The softmax alone was still overconfident at the top (O*NET: scored 0.97, right 86% of the
    time) and underconfident at the bottom, partly because a title can belong to several
    occupations (5,849 O*NET alternate titles do). So each candidate gets its own calibrated
    probability of being right, and the scores of a title need not add up to 1."""

    slope: float
    intercept: float

    def of(self, share: np.ndarray) -> np.ndarray:
        share = np.clip(share, 1e-9, 1 - 1e-9)
        return 1 / (1 + np.exp(-(self.slope * np.log(share / (1 - share)) + self.intercept)))


CALIBRATION = {System.onet: Calibration(0.621, -0.227), System.noc: Calibration(0.792, -0.1)}


class Fusion(NamedTuple):
    """How the embedding signal joins the word model, and the constants fitted with it."""

    weight: float  # times the closest name's cosine similarity, added to score / temperature
    borrowed: float  # a name borrowed through the crosswalk counts this share of its similarity
    temperature: Temperature
    calibration: Calibration  # and accept: what the fused order alone is decided by (rerank=False)
    accept: AcceptRule


# Fitted by bench/classify_eval.py --tune --embeddings on the tuning seed: the weight and the share of
# borrowed names by grid, then temperature and weight together by log-loss, then Platt scaling and the
# accept rule of the fused order alone (the re-ranked order, which the application uses, has its own
# in rules.py).
FUSED = {
    System.onet: Fusion(24.91, 0.5, Temperature(1.556, 0.687), Calibration(0.652, -0.233), AcceptRule(0.95, 0.1)),
    System.noc: Fusion(20.33, 0.5, Temperature(1.658, 0.675), Calibration(0.742, -0.299), AcceptRule(0.7, 0.1)),
}


_BATCH = 2000  # titles scored per matrix product (bounds memory, keeps the BLAS busy)


@dataclass(frozen=True)
class Evidence:
    """The indexed name of the candidate closest to the title, and where that name comes from."""

    name: str
    origin: str


@dataclass(frozen=True)
class Candidate:
    code: str
    title: str
    score: float
    evidence: Evidence | None = None  # only when asked for (explain)


@dataclass(frozen=True)
class Classification:
    title: str
    candidates: list[Candidate]
    needs_review: bool

    def to_json(self) -> dict:
        """Built field by field (not `asdict`, which deep-copies: a batch answer holds 25,000 candidates)."""
        candidates = []
        for candidate in self.candidates:
            shown: dict = {"code": candidate.code, "title": candidate.title, "score": candidate.score}
            if candidate.evidence is not None:
                shown["evidence"] = {"name": candidate.evidence.name, "origin": candidate.evidence.origin}
            candidates.append(shown)
        return {"title": self.title, "candidates": candidates, "needs_review": self.needs_review}


def needs_review(candidates: list[Candidate], rule: AcceptRule) -> bool:
    """True unless the top score reaches the rule's score and leads the second by its margin."""
    if not candidates:
        return True
    runner_up = candidates[1].score if len(candidates) > 1 else 0.0
    return not (candidates[0].score >= rule.score and candidates[0].score - runner_up >= rule.margin)


class TitleClassifier:
    """An index over one corpus; `classify` is safe to call from many threads."""

    def __init__(
        self,
        corpus: Corpus,
        parameters: ModelParameters | None = None,
        temperature: Temperature | None = None,
        embed: Embed | None = None,
        fusion: Fusion | None = None,
        rerank: bool = True,
    ) -> None:
        """With `embed` (the extra installed and wanted), the names and the descriptions are
        embedded through it, titles are scored by meaning as well as by words, and the shortlist
        is re-ranked by the shipped re-ranker (`rerank=False` leaves the fused order and its Platt
        scaling: what fitting a re-ranker starts from)."""
        if not corpus.titles:
            raise NotFoundError(_NOTHING_LOADED[corpus.system])
        from jobforge.classify.model import TitleModel  # scikit-learn (90 MB) only once an index is built

        self.system = corpus.system
        self.model = TitleModel(corpus, parameters)
        self.semantic: NameVectors | None = None
        self.reranker: Reranker | None = None
        self.fusion = fusion or FUSED[corpus.system]
        if embed is not None:
            from jobforge.classify.embeddings import NameVectors
            from jobforge.classify.reranker import HeadWords, Reranker

            assert self.model.explanations is not None, "a model just built holds its names"
            names = self.model.explanations.names
            position = {code: i for i, code in enumerate(self.model.codes)}
            descriptions = [description_of(corpus, code) for code in self.model.codes]
            texts = sorted({normalize(name.text) for name in names})
            vectors = embed({*texts, *descriptions})
            self.adapter = _fitted_adapter(names, position, vectors)
            adapted = dict(zip(texts, self.adapter.mapped(np.stack([vectors[text] for text in texts]))))
            self.semantic = NameVectors(names, position, adapted, self.fusion.borrowed)
            self.descriptions = np.stack([vectors[text] for text in descriptions])
            self.heads: HeadWords = HeadWords(names, position, self.model.titles)
            self.reranker = Reranker.shipped(self.system) if rerank else None
            accept = ACCEPT_WITH_EMBEDDINGS[self.system] if rerank else self.fusion.accept
            fitted = (self.fusion.temperature, self.fusion.calibration, accept)
        else:
            fitted = (TEMPERATURE[self.system], CALIBRATION[self.system], ACCEPT[self.system])
        self.temperature, self.calibration, self.accept = fitted
        if temperature is not None:
            self.temperature = temperature
        self._start_corrections()

    def _start_corrections(self) -> None:
        # Bounded: a public API meets endless distinct misspellings.
        self._correct = functools.lru_cache(maxsize=65_536)(self._closest_word)

    def __getstate__(self) -> dict:
        """Kept on disk without its cache of corrections (a per-process memo)."""
        state = dict(self.__dict__)
        del state["_correct"]
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._start_corrections()

    def unusable(self, title: str) -> str | None:
        """Why `title` cannot be coded, or None."""
        if len(title) > MAX_TITLE:
            return f"longer than {MAX_TITLE} characters"
        control = IN_A_LINE.search(title)
        if control:  # as GET /classify refuses it; the line ends a title may hold stay (one title each)
            return f"holds a control character (U+{ord(control.group()):04X}) at position {control.start() + 1}"
        if not self.normalized(title):
            return "empty" if not title.strip() else "no letters or digits to classify"
        return None

    def classify(self, titles: list[str], k: int = 5, explain: bool = False) -> list[Classification]:
        """The k likeliest occupations of each title; with `explain`, each candidate also carries
        the indexed name closest to the title (slower: for review screens, not bulk coding)."""
        if not 1 <= k <= MAX_K:
            raise InputError(f"k must be between 1 and {MAX_K}, not {k}")
        normalized = [self.normalized(title) for title in titles]
        for position, (title, words) in enumerate(zip(titles, normalized), start=1):
            if not words:
                raise UnusableTitleError(position, title)
        results: list[Classification] = []
        for start in range(0, len(titles), _BATCH):
            batch = titles[start : start + _BATCH]
            ranked, scores = self._ranked(batch, normalized[start : start + _BATCH], k)
            for row, title in enumerate(batch):
                evidence = self._evidence(normalized[start + row], ranked[row]) if explain else [None] * k
                candidates = [
                    Candidate(self.model.codes[j], self.model.titles[j], round(float(score), 4), found)
                    for j, score, found in zip(ranked[row], scores[row], evidence)
                ]
                results.append(Classification(title, candidates, needs_review(candidates, self.accept)))
        return results

    def _ranked(self, titles: list[str], normalized: list[str], k: int) -> tuple[np.ndarray, np.ndarray]:
        """Each title's k best occupations (titles × k) and their scores."""
        if self.reranker is not None:
            from jobforge.classify.reranker import SHORTLIST, features, shortlist

            signals = self.signals(titles, normalized)
            candidates = shortlist(signals.fused, max(k, SHORTLIST))
            right = self.reranker.probabilities(features(signals, candidates, self.heads)).reshape(candidates.shape)
            order = np.argsort(-right, axis=1, kind="stable")[:, :k]
            return np.take_along_axis(candidates, order, axis=1), np.take_along_axis(right, order, axis=1)
        fused = self.signals(titles, normalized).fused if self.semantic is not None else self.word_scores(normalized)
        probabilities = softmax(fused)
        top = np.argpartition(-probabilities, min(k, probabilities.shape[1] - 1), axis=1)[:, :k]
        ranked = np.take_along_axis(top, np.argsort(-np.take_along_axis(probabilities, top, axis=1), axis=1), axis=1)
        return ranked, self.calibration.of(np.take_along_axis(probabilities, ranked, axis=1))

    def word_scores(self, normalized_titles: list[str]) -> np.ndarray:
        """Titles × occupations: the word model's scores over their temperature (the softmax's input)."""
        return self.model.scores(normalized_titles) / self.temperature.of(_word_counts(normalized_titles))[:, None]

    def signals(self, titles: list[str], normalized_titles: list[str]) -> Signals:
        """What both signals say of every title × occupation (the embedding signal must be built).

        Each model reads the title as it best can: the word model knows only the indexed words, so it
        reads each unknown word as the closest known one ("registred" as "registered"); the sentence
        model reads any word, so it is given the words as typed, where that closest word would mislead
        it ("percussionist" is not "perfusionist", nor "mixologist" "biologist"). Measured on held-out
        titles (seeds 1–3): top-5 +0.2 points (NOC) and +0.4 (O*NET-SOC), top-1 +0.1 to +0.2."""
        from jobforge.classify.embeddings import Encoder
        from jobforge.classify.reranker import Signals, head_of, head_part

        assert self.semantic is not None, "signals are those of the fused model"
        word_counts = _word_counts(normalized_titles)
        likelihood, resemblance = self.model.parts(normalized_titles)
        words = self.model.combined(likelihood, resemblance) / self.temperature.of(word_counts)[:, None]
        as_typed = [normalize(title) for title in titles]
        embedded = Encoder.encode(as_typed) if as_typed else np.zeros((0, 384), np.float32)
        closest, votes = self.semantic.similarity(self.adapter.mapped(embedded))
        heads = [
            head_of(self.normalized(head_part(undecorated(title) or title)), words_)
            for title, words_ in zip(titles, normalized_titles)
        ]
        return Signals(
            words + self.fusion.weight * closest, words, likelihood, resemblance, closest, votes,
            embedded @ self.descriptions.T, word_counts, self.heads.ids(heads),
        )  # fmt: skip

    def _evidence(self, words: str, occupations: np.ndarray) -> list[Evidence | None]:
        return [
            Evidence(name.text, name.origin.value) if name is not None else None
            for name in self.model.closest_names(words, list(occupations))
        ]

    def normalized(self, title: str) -> str:
        """The title as the model reads it: `text.normalize`, then each word the index has never
        seen replaced by its closest indexed word when one is a typo away (one edit up to 7
        letters, two beyond): "Registred Nurse" is "registered nurse"."""
        return " ".join(self._correct(word) for word in normalize(title).split())

    def _closest_word(self, word: str) -> str:
        if word in self.model.words.vocabulary or len(word) < 4 or word.isdigit():
            return word
        match = process.extractOne(
            word, self.model.vocabulary, scorer=Levenshtein.distance, score_cutoff=1 if len(word) <= 7 else 2
        )
        return match[0] if match else word


def softmax(scores: np.ndarray) -> np.ndarray:
    """Each row as probabilities adding up to 1 (computed in place)."""
    scores -= scores.max(axis=1, keepdims=True)
    np.exp(scores, out=scores)
    scores /= scores.sum(axis=1, keepdims=True)
    return scores


def _word_counts(normalized_titles: list[str]) -> np.ndarray:
    return np.array([len(title.split()) for title in normalized_titles], dtype=np.int64)


def _fitted_adapter(names: list[Name], position: dict[str, int], vectors: dict[str, np.ndarray]) -> EmbeddingMap:
    """The embedding map learned from the index's own names (adapter.py); borrowed ones are left out.
    The names are put in one order first, whatever order the database returned them in, so that
    every process on the same data learns the same map and codes a title alike."""
    from jobforge.classify.adapter import fitted_map

    own = sorted(
        (name for name in names if name.origin is not Origin.borrowed and name.code in position),
        key=lambda name: (name.code, name.text, name.origin),
    )
    return fitted_map(
        np.stack([vectors[normalize(name.text)] for name in own]), np.array([position[name.code] for name in own])
    )


def description_of(corpus: Corpus, code: str) -> str:
    """What the description signal embeds of an occupation: its title and its first statements
    (the description or definition, then tasks or lead statements), about a paragraph."""
    return f"{corpus.titles[code]}. {' '.join(corpus.context.get(code, [])[:3])}"[:1000]


_NOTHING_LOADED = {
    System.onet: "no O*NET occupations are loaded: run `jobforge onet load` or `jobforge quickstart`",
    System.noc: "no NOC unit groups are loaded: run `jobforge noc load` or `jobforge quickstart`",
}
