"""The per-load title indexes a process keeps: built on first use, rebuilt after a load (beside
the readers in a server), kept on disk beside a SQLite file so the next process reads them back."""

from __future__ import annotations

import hashlib
import os
import pickle
import threading
from pathlib import Path

import numpy as np
from sqlalchemy import DateTime, Engine, column, select, table

from jobforge.classify.classifier import Classification, TitleClassifier
from jobforge.classify.rules import System
from jobforge.errors import NotFoundError
from jobforge.long_lived import BuildsBeside

# A new load of any source may change the names or the context, so the index belongs to the newest
# live run; its start time tells a run of a re-created database from the same id in the old one.
# (The table by name: the ORM models cost a CLI call that finds its index kept 70 ms to import.)
_RUNS = table("load_run", column("id"), column("started_at", DateTime(timezone=True)), column("status"))
_VERSION = select(_RUNS.c.id, _RUNS.c.started_at).where(_RUNS.c.status == "live").order_by(_RUNS.c.id.desc()).limit(1)


def _code_fingerprint() -> str:
    """The classifier's own code and shipped re-rankers, hashed: a kept index built by other code is
    never read back."""
    digest = hashlib.sha256()
    for source in sorted([*Path(__file__).parent.glob("*.py"), *Path(__file__).parent.glob("rerankers/*.pickle")]):
        digest.update(source.read_bytes())
    return digest.hexdigest()[:12]


_CODE = _code_fingerprint()


class TitleClassifiers:
    """One classifier per system for the current loads, built on first use and rebuilt after a load.

    With a `folder`, a built index is also kept on disk under the run it was built from, so the
    next process (a CLI call, a server start) loads it in a fraction of a second instead of
    building it again; an index of an older run (or older code) is removed when a newer one is
    written. The files are Python pickles: the folder must be as trusted as the database beside it."""

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
        asking it later still says what to load), and load the sentence encoder: a kept index is
        read without it, and a server's first title waited for it (about 5 s)."""
        for system in System:
            try:
                self.get(system)
            except NotFoundError:
                continue
        if self.embeddings:
            from jobforge.classify.embeddings import Encoder

            Encoder.load()

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
            # the other variant of this run (with or without embeddings) stays: a user switching
            # JOBFORGE_TITLE_EMBEDDINGS back and forth would otherwise rebuild each time
            current = f"{system.value}-{version.removesuffix(self._variant)}"
            for older in self.folder.glob(f"{system.value}-*.pickle"):
                if not older.name.startswith(current):
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
