"""Job title → occupation coding (O*NET-SOC or NOC 2021), offline, from the loaded data.

The names below are imported on first use (PEP 562): the model needs NumPy, SciPy and
scikit-learn, which a command that only quotes `System` or the accept rule should not load.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from jobforge.classify.rules import ACCEPT, ACCEPT_RULE_TEXT, MAX_K, AcceptRule, System

if TYPE_CHECKING:
    from jobforge.classify.classifier import (
        Candidate,
        Classification,
        Evidence,
        TitleClassifier,
        needs_review,
    )
    from jobforge.classify.corpus import read_corpus
    from jobforge.classify.indexes import TitleClassifiers
    from jobforge.classify.names import Corpus, Name, Origin

_LAZY = {
    name: "jobforge.classify.classifier"
    for name in ("Candidate", "Classification", "Evidence", "TitleClassifier", "needs_review")
}
_LAZY["TitleClassifiers"] = "jobforge.classify.indexes"
_LAZY.update(
    {name: "jobforge.classify.names" for name in ("Corpus", "Name", "Origin")}, read_corpus="jobforge.classify.corpus"
)

__all__ = [
    "ACCEPT",
    "ACCEPT_RULE_TEXT",
    "MAX_K",
    "AcceptRule",
    "Candidate",
    "Classification",
    "Corpus",
    "Evidence",
    "Name",
    "Origin",
    "System",
    "TitleClassifier",
    "TitleClassifiers",
    "needs_review",
    "read_corpus",
]


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
