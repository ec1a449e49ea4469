"""What an imputer returns: an estimated rating, how sure it is, and why; or why nothing came."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from jobforge.impute.matrix import RatingMatrix


@dataclass(frozen=True)
class Estimate:
    code: str
    domain: str
    scale: str
    element: str
    value: float
    confidence: float  # 0–1: see each method's module for the function
    method: str  # hierarchy, neighbours, llm
    rationale: str
    model: str | None = None
    prompt_hash: str | None = None


@dataclass(frozen=True)
class Unanswered:
    """A question with nothing stored for it, kept with its occupation so that whoever asked for
    that occupation (an enrichment job) knows it is not done."""

    code: str
    domain: str
    reason: str

    def __str__(self) -> str:
        return f"{self.code} {self.domain}: {self.reason}"


class Imputer(Protocol):
    method: str

    def estimate(self, matrix: RatingMatrix, row: int) -> list[Estimate] | None:
        """Estimates of every element of `matrix` for occupation `matrix.codes[row]`, or None when
        this imputer has nothing to go on for it."""


def agreement(spread: np.ndarray, matrix: RatingMatrix) -> np.ndarray:
    """1 − min(1, 2 × standard deviation ÷ scale range): 1 when the contributors agree, 0 when
    they spread over half the scale (the NOC profile's rule, so the two read alike)."""
    width = matrix.high - matrix.low
    return 1 - np.minimum(1.0, 2 * spread / width) if width > 0 else np.ones_like(spread)


def estimates_of(
    matrix: RatingMatrix,
    row: int,
    values: np.ndarray,
    confidences: np.ndarray,
    method: str,
    rationale: str,
) -> list[Estimate]:
    """One Estimate per element with a value, clipped to the scale, confidence rounded."""
    code = matrix.codes[row]
    clipped = np.clip(values, matrix.low, matrix.high)
    return [
        Estimate(
            code,
            matrix.domain,
            matrix.scale,
            element,
            round(float(value), 2),
            round(float(confidence), 3),
            method,
            rationale,
        )  # fmt: skip
        for element, value, confidence in zip(matrix.elements, clipped, confidences)
        if not np.isnan(value)
    ]
