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
`FUSION.weight × cosine` to the softmax's input; the temperature, the calibration and the accept
rule of that configuration were fitted again the same way (FUSED), so its scores are
probabilities too.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from sqlalchemy import DateTime, Engine, column, select, table

from jobforge.classify.names import Corpus
from jobforge.classify.rules import ACCEPT, ACCEPT_WITH_EMBEDDINGS, MAX_K, MAX_TITLE, AcceptRule, System
from jobforge.classify.text import normalize
from jobforge.errors import InputError, NotFoundError, UnusableTitleError
from jobforge.long_lived import BuildsBeside

if TYPE_CHECKING:
    from jobforge.classify.embeddings import NameVectors
    from jobforge.classify.model import ModelParameters

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
    calibration: Calibration
    accept: AcceptRule


# Fitted by bench/classify_eval.py --tune --embeddings on the tuning seed: the weight and the share of
# borrowed names by grid, then temperature and weight together by log-loss; the accept rule in rules.py.
FUSED = {
    System.onet: Fusion(
        11.17, 0.5, Temperature(1.459, 0.719), Calibration(0.71, -0.087), ACCEPT_WITH_EMBEDDINGS[System.onet]
    ),
    System.noc: Fusion(
        12.37, 0.5, Temperature(1.494, 0.698), Calibration(0.833, -0.075), ACCEPT_WITH_EMBEDDINGS[System.noc]
    ),
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
    ) -> None:
        """With `embed` (the extra installed and wanted), the names are embedded through it and
        titles are scored by meaning as well as by words."""
        if not corpus.titles:
            raise NotFoundError(_NOTHING_LOADED[corpus.system])
        from jobforge.classify.model import TitleModel  # scikit-learn (90 MB) only once an index is built

        self.system = corpus.system
        self.model = TitleModel(corpus, parameters)
        self.semantic: NameVectors | None = None
        self.fusion = fusion or FUSED[corpus.system]
        if embed is not None:
            from jobforge.classify.embeddings import NameVectors

            assert self.model.explanations is not None, "a model just built holds its names"
            names = self.model.explanations.names
            position = {code: i for i, code in enumerate(self.model.codes)}
            vectors = embed({normalize(name.text) for name in names})
            self.semantic = NameVectors(names, position, vectors, self.fusion.borrowed)
            fitted = (self.fusion.temperature, self.fusion.calibration, self.fusion.accept)
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
            probabilities = self.probabilities(normalized[start : start + _BATCH])
            top = np.argpartition(-probabilities, min(k, probabilities.shape[1] - 1), axis=1)[:, :k]
            for row, title in enumerate(titles[start : start + _BATCH]):
                ranked = top[row][np.argsort(-probabilities[row, top[row]])]
                scores = self.calibration.of(probabilities[row, ranked])
                evidence = self._evidence(normalized[start + row], ranked) if explain else [None] * len(ranked)
                candidates = [
                    Candidate(self.model.codes[j], self.model.titles[j], round(float(score), 4), found)
                    for j, score, found in zip(ranked, scores, evidence)
                ]
                results.append(Classification(title, candidates, needs_review(candidates, self.accept)))
        return results

    def probabilities(self, normalized_titles: list[str]) -> np.ndarray:
        """Titles × occupations, each row summing to 1 (before calibration)."""
        word_counts = np.array([len(title.split()) for title in normalized_titles])
        scores = self.model.scores(normalized_titles) / self.temperature.of(word_counts)[:, None]
        if self.semantic is not None and normalized_titles:
            from jobforge.classify.embeddings import Encoder

            scores += self.fusion.weight * self.semantic.similarity(Encoder.encode(normalized_titles))
        scores -= scores.max(axis=1, keepdims=True)
        np.exp(scores, out=scores)
        scores /= scores.sum(axis=1, keepdims=True)
        return scores

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


_NOTHING_LOADED = {
    System.onet: "no O*NET occupations are loaded: run `jobforge onet load` or `jobforge quickstart`",
    System.noc: "no NOC unit groups are loaded: run `jobforge noc load` or `jobforge quickstart`",
}

# A new load of any source may change the names or the context, so the index belongs to the newest
# live run; its start time tells a run of a re-created database from the same id in the old one.
# (The table by name: the ORM models cost a CLI call that finds its index kept 70 ms to import.)
_RUNS = table("load_run", column("id"), column("started_at", DateTime(timezone=True)), column("status"))
_VERSION = select(_RUNS.c.id, _RUNS.c.started_at).where(_RUNS.c.status == "live").order_by(_RUNS.c.id.desc()).limit(1)


def _code_fingerprint() -> str:
    """The classifier's own code, hashed: a kept index built by other code is never read back."""
    digest = hashlib.sha256()
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


_CODE = _code_fingerprint()


class TitleClassifiers:
    """One classifier per system for the current loads, built on first use and rebuilt after a load.

    With a `folder`, a built index is also kept on disk under the run it was built from, so the
    next process (a CLI call, a server start) loads it in a fraction of a second instead of
    building it again; an index of an older run is removed when a newer one is written. The files
    are Python pickles: the folder must be as trusted as the database beside it."""

    def __init__(self, engine: Engine, folder: Path | None = None, embeddings: bool = False) -> None:
        """`embeddings`: add the sentence-embedding signal (the extra must be installed); the
        names' vectors are kept in the database, so only the first build after a load embeds."""
        self.engine = engine
        self.folder = folder
        self.embeddings = embeddings
        self._model_key = self._variant = ""
        if embeddings:
            from jobforge.classify.embeddings import model_key

            self._model_key = model_key()
            # tells a kept index with the embedding signal (and its model) from one without
            self._variant = f"-e{hashlib.sha256(self._model_key.encode()).hexdigest()[:8]}"
        # A long-lived process (the API) keeps answering from the previous load's index while the
        # new one builds beside it, and swaps it in when ready; a one-off caller waits for it.
        self.serve_previous_while_building = False
        self._built: dict[System, tuple[str, TitleClassifier]] = {}
        self._beside = BuildsBeside()
        self._lock = threading.Lock()

    def __call__(
        self, titles: list[str], system: str = "onet", k: int = 5, explain: bool = False
    ) -> list[Classification]:
        return self.get(System(system)).classify(titles, k, explain)

    def batch(self, titles: list[str], system: str = "onet", k: int = 5, explain: bool = False) -> list[dict]:
        """Every title answered in order, one answer each: an unusable title (empty, no letter or
        digit, longer than MAX_TITLE) gets `{"title", "error"}` for itself, the others are coded, so
        that a batch is never lost to one bad line and outputs pair one-to-one with inputs."""
        classifier = self.get(System(system))
        problems = {position: problem for position, title in enumerate(titles)
                    if (problem := classifier.unusable(title)) is not None}  # fmt: skip
        usable = [title for position, title in enumerate(titles) if position not in problems]
        coded = iter(classifier.classify(usable, k, explain)) if usable else iter(())
        return [
            {"title": title, "error": problems[position]} if position in problems else next(coded).to_json()
            for position, title in enumerate(titles)
        ]

    def warm(self) -> None:
        """Build the index of every system that has data loaded (a system without is skipped:
        asking it later still says what to load)."""
        for system in System:
            try:
                self.get(system)
            except NotFoundError:
                continue

    def get(self, system: System) -> TitleClassifier:
        with self.engine.connect() as connection:
            live = connection.execute(_VERSION).first()
            version = (
                f"{live.id}-{live.started_at:%Y%m%dT%H%M%S%f}-{_CODE}{self._variant}" if live is not None else "none"
            )
            built = self._built.get(system)
            if built is not None and built[0] == version:
                return built[1]
            if built is not None and self.serve_previous_while_building:
                self._build_beside(system, version)
                return built[1]
            with self._lock:
                built = self._built.get(system)
                if built is None or built[0] != version:
                    built = self._built[system] = (
                        version,
                        self._kept(system, version) or self._build(connection, system, version),
                    )
        return built[1]

    def _build_beside(self, system: System, version: str) -> None:
        """Build `version`'s index in a thread of its own (once), then swap it in."""

        def build() -> TitleClassifier:
            with self.engine.connect() as connection:
                return self._kept(system, version) or self._build(connection, system, version)

        def swap(classifier: TitleClassifier) -> None:
            with self._lock:
                self._built[system] = (version, classifier)

        def failed() -> None:
            with self._lock:
                self._built.pop(system, None)

        self._beside.start((system, version), f"classify-{system.value}-rebuild", build, swap, failed)

    def _build(self, connection, system: System, version: str) -> TitleClassifier:
        from jobforge.classify.corpus import read_corpus  # the tables, only to build

        classifier = TitleClassifier(read_corpus(connection, system), embed=self._embed if self.embeddings else None)
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            for older in self.folder.glob(f"{system.value}-*.pickle"):
                older.unlink(missing_ok=True)
            # explanations first: an index file on disk always has its explanations beside it
            _write_atomically(self._path(system, version, "explanations"), classifier.model.explanations)
            _write_atomically(self._path(system, version), classifier)
        return classifier

    def _embed(self, texts: set[str]) -> dict[str, np.ndarray]:
        from jobforge.classify.embeddings import Encoder
        from jobforge.classify.vector_store import name_vectors

        return name_vectors(self.engine, texts, self._model_key, Encoder.encode)

    def _kept(self, system: System, version: str) -> TitleClassifier | None:
        if self.folder is None:
            return None
        try:
            data = self._path(system, version).read_bytes()
        except FileNotFoundError:
            return None
        classifier = pickle.loads(data)
        classifier.model.explanations_file = self._path(system, version, "explanations")
        return classifier

    def _path(self, system: System, version: str, part: str = "index") -> Path:
        assert self.folder is not None
        return self.folder / f"{system.value}-{version}.{part}.pickle"


def _write_atomically(path: Path, content: object) -> None:
    partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    partial.write_bytes(pickle.dumps(content, protocol=pickle.HIGHEST_PROTOCOL))
    partial.replace(path)
