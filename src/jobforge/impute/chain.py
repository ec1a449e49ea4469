"""The order imputation follows for one occupation, after every source: the provider, then O*NET's
structure where the provider has nothing to go on.

The hierarchy (a parent from its specialisations, a specialisation from its parent, then the SOC
broad and minor groups) was meant to come first, as the most defensible estimate. Measured on
held-out occupations it is not the most accurate at any level: bench/impute_eval.py gives the
hierarchy 0.56–0.73 × the per-element-mean error on skills and knowledge (cold start) against
0.44–0.56 × for the neighbours, whose features already include the SOC groups, and its
parent-from-specialisations estimates erred most of all (specialisations differ). So the provider
goes first, and the hierarchy answers where it cannot (no rated occupation resembles the target)
or when asked for by itself (`--provider hierarchy`).
"""

from __future__ import annotations

from jobforge.impute.estimates import Estimate, Imputer
from jobforge.impute.hierarchy import HierarchyImputer
from jobforge.impute.matrix import RatingMatrix


def chained(matrix: RatingMatrix, row: int, provider: Imputer | None) -> list[Estimate] | None:
    provided = provider.estimate(matrix, row) if provider is not None else None
    return provided or HierarchyImputer().estimate(matrix, row)
