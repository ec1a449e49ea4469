"""The default imputer, offline and deterministic: an occupation's missing ratings from the rated
occupations that resemble it.

What resembles is read from what is known about the target:

    text       TF-IDF of its title (thrice), alternate titles, description, tasks and technology
               skills (word unigrams and bigrams, sublinear tf)
    structure  its SOC minor and broad group (indicator features; in the neighbours' similarity
               + 0.15 for the same broad group, + 0.05 for the same minor group)
    profile    when it is rated in another domain or scale (knowledge known, skills missing),
               those ratings, standardised

Two estimators over those features, blended 0.7 / 0.3:

    ridge       a ridge regression (alpha 0.1) of every element's rating on the features, fitted
                on the rated occupations
    neighbours  the mean of the K = 10 most similar rated occupations, weighted by similarity ** 4
                (similarity: cosine of the text, plus the structure bonus; with a profile,
                0.3 × that + 0.7 × the Pearson correlation of the profiles)

The confidence of an element comes from closeness = the weighted mean similarity of the K
neighbours and agreement = 1 − min(1, 2 × the weighted sd of their ratings ÷ scale range), through
`Calibration`: both fall when the target resembles nothing rated or its neighbours disagree, and
bench/impute_eval.py shows that higher confidence means smaller error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from scipy import sparse

from jobforge.impute.estimates import Estimate, agreement, estimates_of
from jobforge.impute.matrix import RatingMatrix, Ratings

K = 10
SHARPNESS = 4.0
PROFILE_WEIGHT = 0.7
RIDGE_WEIGHT = 0.7
RIDGE_ALPHA = 0.1
BROAD_BONUS, MINOR_BONUS = 0.15, 0.05


class Calibration(NamedTuple):
    """confidence = σ(closeness_weight × closeness + agreement_weight × agreement + intercept): the
    probability that the estimate lies within a tenth of the scale's range of O*NET's own rating
    (0.7 on LV's 0–7, 0.4 on IM's 1–5), fitted by `bench/impute_eval.py --tune` on held-out
    occupations of the shared release."""

    closeness_weight: float
    agreement_weight: float
    intercept: float

    def of(self, closeness: float, agreement: np.ndarray) -> np.ndarray:
        return 1 / (
            1 + np.exp(-(self.closeness_weight * closeness + self.agreement_weight * agreement + self.intercept))
        )


CALIBRATION = Calibration(2.289, 4.996, -3.410)  # bench/impute_eval.py --tune, seed 1001


@dataclass(frozen=True)
class Scored:
    values: np.ndarray
    closeness: float  # the weighted mean similarity of the K nearest
    agreement: np.ndarray  # per element, from the weighted sd of their ratings
    known: list[str]  # the other domains and scales the target is rated in
    nearest: list[tuple[int, float]]  # (row, similarity) of the K nearest


class NeighboursImputer:
    method = "neighbours"

    def __init__(self, ratings: Ratings, texts: dict[str, str]) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self._fitted: dict[tuple, tuple] = {}
        self._profiles: dict[tuple, np.ndarray] = {}
        self.ratings = ratings
        codes = ratings.occupations
        documents = [texts.get(code, "") for code in codes]
        self.text = TfidfVectorizer(
            ngram_range=(1, 2), sublinear_tf=True, min_df=2, stop_words="english"
        ).fit_transform(documents)
        self.text_similarity = (self.text @ self.text.T).toarray()
        broad = np.array([code[:6] for code in codes])
        minor = np.array([code[:4] for code in codes])
        self.structure = BROAD_BONUS * (broad[:, None] == broad[None, :]) + MINOR_BONUS * (
            minor[:, None] == minor[None, :]
        )
        groups = sorted(set(broad) | set(minor))
        column = {group: j for j, group in enumerate(groups)}
        rows = [i for i in range(len(codes)) for _ in (0, 1)]
        columns = [column[group] for pair in zip(broad, minor) for group in pair]
        self.groups = sparse.csr_matrix((np.full(len(rows), 0.3), (rows, columns)), shape=(len(codes), len(groups)))

    @property
    def ratings(self) -> Ratings:
        return self._ratings

    @ratings.setter
    def ratings(self, ratings: Ratings) -> None:
        """The ratings to learn from (the benchmark swaps in views that hide held-out occupations):
        what was fitted on others is forgotten."""
        self._ratings = ratings
        self._fitted.clear()
        self._profiles.clear()

    def estimate(self, matrix: RatingMatrix, row: int) -> list[Estimate] | None:
        scored = self.scored(matrix, row)
        if scored is None:
            return None
        confidences = CALIBRATION.of(scored.closeness, scored.agreement)
        names = ", ".join(f"{matrix.codes[i]} ({similarity:.2f})" for i, similarity in scored.nearest[:5])
        known = scored.known
        matched = "its title, description and tasks" + (f", its {' and '.join(known)} ratings" if known else "")
        rationale = (
            f"neighbours: a regression on {matched} and its SOC group, blended with the ratings of the rated "
            f"occupations nearest by the same: {names}{' …' if len(scored.nearest) > 5 else ''} (similarity in brackets)"
        )
        return estimates_of(matrix, row, scored.values, confidences, self.method, rationale)

    def scored(self, matrix: RatingMatrix, row: int) -> Scored | None:
        """The estimate of every element, and what its confidence is computed from."""
        candidates = np.flatnonzero(matrix.rated)
        candidates = candidates[candidates != row]
        if candidates.size == 0:
            return None
        known = self._known(matrix, row)
        similarity = self._similarity(matrix, row, candidates, known)
        top = np.argsort(-similarity)[:K]
        rows, weights = candidates[top], np.clip(similarity[top], 1e-6, None) ** SHARPNESS
        block = matrix.values[rows]
        present = ~np.isnan(block)
        mass = (weights[:, None] * present).sum(axis=0)
        with np.errstate(all="ignore"):
            mean = np.where(present, block, 0).T @ weights / mass
            variance = (np.where(present, (block - mean) ** 2, 0).T @ weights) / mass
        predicted = RIDGE_WEIGHT * self._ridge(matrix, row, known) + (1 - RIDGE_WEIGHT) * mean
        closeness = float(np.clip((weights * similarity[top]).sum() / weights.sum(), 0, 1))
        return Scored(
            predicted, closeness, agreement(np.sqrt(np.nan_to_num(variance)), matrix), known,
            [(int(i), float(s)) for i, s in zip(rows, similarity[top])],
        )  # fmt: skip

    def _known(self, matrix: RatingMatrix, row: int) -> list[str]:
        """The other domains and scales the target is rated in."""
        return [
            f"{domain} {scale}"
            for (domain, scale), other in self.ratings.matrices.items()
            if (domain, scale) != (matrix.domain, matrix.scale) and other.rated[row]
        ]

    def _profile_features(self, known: list[str]) -> np.ndarray:
        """The known domains' ratings of every occupation, standardised (computed once per set)."""
        key = tuple(known)
        if key not in self._profiles:
            self._profiles[key] = self._standardised(known)
        return self._profiles[key]

    def _standardised(self, known: list[str]) -> np.ndarray:
        parts = [self.ratings.matrices[tuple(name.split(" "))].values for name in known]  # type: ignore[index]
        joined = np.concatenate(parts, axis=1)
        with np.errstate(all="ignore"):
            centre, scale = np.nanmean(joined, axis=0), np.nanstd(joined, axis=0)
        standard = (np.where(np.isnan(joined), centre, joined) - centre) / np.where(scale > 0, scale, 1)
        return np.nan_to_num(standard)

    def _ridge(self, matrix: RatingMatrix, row: int, known: list[str]) -> np.ndarray:
        """The ridge regression's estimate for `row`, fitted once per matrix and set of known domains."""
        from sklearn.linear_model import Ridge

        key = (matrix.domain, matrix.scale, tuple(known))
        if key not in self._fitted:
            features = sparse.hstack([self.text, self.groups]).tocsr()
            if known:
                profile = self._profile_features(known)
                features = sparse.hstack([features, sparse.csr_matrix(profile * 0.1)]).tocsr()
            train = np.flatnonzero(matrix.rated)
            with np.errstate(all="ignore"):
                centre = np.nanmean(matrix.values[train], axis=0)
            targets = np.where(np.isnan(matrix.values[train]), centre, matrix.values[train])
            self._fitted[key] = (Ridge(alpha=RIDGE_ALPHA).fit(features[train], targets), features)
        model, features = self._fitted[key]
        return model.predict(features[row])[0]

    def _similarity(self, matrix: RatingMatrix, row: int, candidates: np.ndarray, known: list[str]) -> np.ndarray:
        text = self.text_similarity[row, candidates] + self.structure[row, candidates]
        if not known:
            return text
        profile = self._profile_features(known)
        target = profile[row] - profile[row].mean()
        centred = profile[candidates] - profile[candidates].mean(axis=1, keepdims=True)
        norms = np.linalg.norm(centred, axis=1) * np.linalg.norm(target)
        with np.errstate(all="ignore"):
            correlation = np.clip(np.where(norms > 0, centred @ target / norms, 0.0), 0, 1)
        return (1 - PROFILE_WEIGHT) * text + PROFILE_WEIGHT * correlation
