"""Job title → occupation coding (O*NET-SOC or NOC 2021), offline, from the loaded data."""

from jobforge.classify.classifier import (ACCEPT, AcceptRule, Candidate, Classification, Evidence, TitleClassifier,
                                          TitleClassifiers, needs_review)
from jobforge.classify.corpus import Corpus, Name, Origin, System, read_corpus

__all__ = ["ACCEPT", "AcceptRule", "Candidate", "Classification", "Corpus", "Evidence", "Name", "Origin", "System",
           "TitleClassifier", "TitleClassifiers", "needs_review", "read_corpus"]
