"""Confidence in a stored value, computed from what the source publishes about it.

Confidence is a number in [0, 1] that a reader can filter on (`min_confidence=`). It is derived,
never typed in, by these rules (docs/provenance.md has worked examples):

Statistical ratings (occupation and task ratings, which publish N, SE and a 95% CI):

    confidence = precision × sample_weight × suppress_factor
    precision       = 1 − min(1, CI width / scale range)   (CI width from the bounds, else 2·1.96·SE)
    sample_weight   = N / (N + 2)                           (8 analysts → 0.8; 28 incumbents → 0.93)
    suppress_factor = 0.5 when O*NET recommends suppression (its own low-precision flag), else 1

A rating without published statistics (Interests, Work Values, Work Styles from 30.1) gets
UNMEASURED × suppress_factor: the value may well be right, but nothing published lets us say so.

Counts without spread (task statements' incumbents responding, occupation-level metadata N) use
sample_weight alone, or UNMEASURED when no count is given.

Alternate titles: each independent source that reports the title halves the remaining doubt,
1 − 0.5^(sources + 1), so one source gives 0.75 and two give 0.875.

Definitional reference data (the content model, scales, anchors, categories, UNSPSC, DWA/IWA
and linkages) defines the vocabulary rather than measuring anything: DEFINITIONAL.
Other occupation-level assertions published without statistics (technology skills, tools,
job zones, related occupations, reported titles, emerging tasks): UNMEASURED.
"""

from __future__ import annotations

from collections.abc import Sequence

DEFINITIONAL = 1.0
UNMEASURED = 0.7
SUPPRESS_FACTOR = 0.5
Z_95 = 1.96


def rating_confidence(
    sample_size: int | None,
    standard_error: float | None,
    lower_ci_bound: float | None,
    upper_ci_bound: float | None,
    recommend_suppress: bool | None,
    scale_range: float | None,
) -> float:
    """Confidence of one rating; see the module docstring for the rule."""
    suppress = SUPPRESS_FACTOR if recommend_suppress else 1.0
    if lower_ci_bound is not None and upper_ci_bound is not None:
        width = upper_ci_bound - lower_ci_bound
    elif standard_error is not None:
        width = 2 * Z_95 * standard_error
    else:
        width = None
    if width is None or not scale_range:
        return round(UNMEASURED * suppress, 3)
    precision = 1.0 - min(1.0, max(0.0, width) / scale_range)
    weight = sample_size / (sample_size + 2) if sample_size else 1.0
    return round(precision * weight * suppress, 3)


def rating_confidences(columns: dict[str, Sequence], scale_ranges: dict[str, float]) -> list[float]:
    """Confidence of every rating in a column-major batch (fields absent from a layout count as None)."""
    count = len(columns["scale_id"])
    absent = [None] * count
    # Ratings repeat their statistics a great deal (8 analysts agreeing, identical CIs), so each
    # distinct combination is computed once.
    cache: dict[tuple, float] = {}
    return [
        cache[key]
        if key in cache
        else cache.setdefault(key, rating_confidence(key[0], key[1], key[2], key[3], key[4], scale_ranges.get(key[5])))
        for key in zip(
            columns.get("sample_size", absent),
            columns.get("standard_error", absent),
            columns.get("lower_ci_bound", absent),
            columns.get("upper_ci_bound", absent),
            columns.get("recommend_suppress", absent),
            columns["scale_id"],
        )
    ]


def count_confidence(count: int | None) -> float:
    """Confidence of a value backed by a count of respondents but no spread."""
    return round(count / (count + 2), 3) if count else UNMEASURED


def sources_confidence(sources: str) -> float:
    """Confidence of a title reported by the comma-separated list of sources."""
    return round(1 - 0.5 ** (sources.count(",") + 2), 3)
