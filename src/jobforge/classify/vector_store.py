"""Name embeddings read from the database, and only the missing ones computed and written.

Keyed by the model and the name's text (not by load run): a new release re-embeds only the
names it adds, and every process on the same database (API workers, CLI calls) reads what the
first one wrote. Vectors are kept as float16 (768 bytes a name): the cosine similarities they
give differ from float32's by about 0.001, far below what separates two occupations.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

import numpy as np
from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from jobforge.classify.tables import TitleVector

log = logging.getLogger(__name__)
_WRITE_BATCH = 1000


def name_vectors(
    engine: Engine, texts: set[str], model: str, encode: Callable[[list[str]], np.ndarray]
) -> dict[str, np.ndarray]:
    """Every text's embedding (float32), from the store where it has one."""
    digests = {_digest(text): text for text in texts}
    vectors: dict[str, np.ndarray] = {}
    with engine.connect() as connection:
        for digest, vector in connection.execute(
            select(TitleVector.digest, TitleVector.vector).where(TitleVector.model == model)
        ):
            if digest in digests:
                vectors[digests[digest]] = np.frombuffer(vector, dtype=np.float16).astype(np.float32)
    missing = sorted(texts - vectors.keys())
    if missing:
        log.info("embedding %d names not embedded before (model %s)", len(missing), model)
        for start in range(0, len(missing), _WRITE_BATCH):
            batch = missing[start : start + _WRITE_BATCH]
            encoded = encode(batch).astype(np.float16)  # as stored: every process scores alike
            vectors.update(zip(batch, encoded.astype(np.float32)))
            _store(engine, model, batch, encoded)
    return vectors


def _store(engine: Engine, model: str, texts: list[str], encoded: np.ndarray) -> None:
    rows = [
        {"model": model, "digest": _digest(text), "vector": vector.tobytes()} for text, vector in zip(texts, encoded)
    ]
    try:
        with engine.begin() as connection:
            connection.execute(insert(TitleVector), rows)
    except IntegrityError:  # another process stored some of them first: theirs are as good, and a
        pass  # name of this batch it did not store is embedded again by the next build that lacks it


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
