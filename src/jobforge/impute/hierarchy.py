"""Estimating an unrated occupation from O*NET's own structure, the most defensible estimate.

In order, the first that has rated members:

    parent          an O*NET-SOC code ending .00 from its rated specialisations (.01, .02, …): their mean
    specialisation  a specialisation from its rated parent (.00): the parent's ratings
    siblings        a specialisation whose parent is unrated, from its rated siblings: their mean
    broad group     the rated occupations of its SOC broad group (15-125x): their mean
    minor group     the rated occupations of its SOC minor group (15-12xx): their mean

    confidence = level base × agreement × n ÷ (n + 1)        (n: the occupations averaged)

with level bases 0.85, 0.8, 0.75, 0.6, 0.45 and agreement = 1 − min(1, 2 × sd ÷ scale range) per
element, so an estimate that rolls up occupations that disagree, or rests on one, says so.
"""

from __future__ import annotations

import numpy as np

from jobforge.impute.estimates import Estimate, agreement, estimates_of
from jobforge.impute.matrix import RatingMatrix

LEVELS = (  # (name, base confidence)
    ("parent", 0.85),
    ("specialisation", 0.8),
    ("siblings", 0.75),
    ("broad group", 0.6),
    ("minor group", 0.45),
)
BASE = dict(LEVELS)


class HierarchyImputer:
    method = "hierarchy"

    def estimate(self, matrix: RatingMatrix, row: int) -> list[Estimate] | None:
        code = matrix.codes[row]
        rated = matrix.rated
        for level, members in _members(code, matrix.codes):
            rows = [i for i in members if rated[i] and i != row]
            if not rows:
                continue
            block = matrix.values[rows]
            if level == "specialisation":
                values, spread = block[0], np.zeros(block.shape[1])
                count = np.ones(block.shape[1])
            else:
                with np.errstate(all="ignore"):
                    values, spread = np.nanmean(block, axis=0), np.nanstd(block, axis=0)
                count = (~np.isnan(block)).sum(axis=0)
            factor = np.ones_like(count, dtype=float) if level == "specialisation" else count / (count + 1)
            confidences = BASE[level] * agreement(np.nan_to_num(spread), matrix) * factor
            named = ", ".join(matrix.codes[i] for i in rows[:6]) + (
                f" and {len(rows) - 6} more" if len(rows) > 6 else ""
            )
            rationale = (
                f"{level}: the {'rating' if len(rows) == 1 else 'mean rating'} of {named} "
                f"({len(rows)} rated occupation{'s' if len(rows) > 1 else ''} of O*NET's structure); "
                f"median spread (sd) {float(np.nanmedian(spread)) if len(rows) > 1 else 0:.2f} "
                f"on the {matrix.low:g}–{matrix.high:g} {matrix.scale} scale"
            )
            return estimates_of(matrix, row, values, confidences, self.method, rationale)
        return None


def _members(code: str, codes: list[str]) -> list[tuple[str, list[int]]]:
    detailed, suffix = code[:7], code[8:]
    same_detailed = [i for i, other in enumerate(codes) if other[:7] == detailed and other != code]
    parent = [i for i in same_detailed if codes[i].endswith(".00")]
    specialisations = [i for i in same_detailed if not codes[i].endswith(".00")]
    return [
        ("parent", specialisations if suffix == "00" else []),
        ("specialisation", parent if suffix != "00" else []),
        ("siblings", specialisations if suffix != "00" else []),
        ("broad group", [i for i, other in enumerate(codes) if other[:6] == code[:6] and other[:7] != detailed]),
        ("minor group", [i for i, other in enumerate(codes) if other[:4] == code[:4] and other[:6] != code[:6]]),
    ]
