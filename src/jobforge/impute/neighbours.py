"""The default imputer, offline and deterministic: an occupation's missing ratings from the rated
occupations that resemble it.

What resembles is read from what is known about the target:

    text       TF-IDF of its title (thrice), alternate titles, description, tasks and technology
               skills (word unigrams and bigrams, sublinear tf)
    structure  its SOC minor and broad group (indicator features; in the neighbours' similarity
               + 0.15 for the same broad group, + 0.05 for the same minor group)
    activities TF-IDF of the detailed and intermediate work activities its tasks are linked to
               (regression only, weight 0.7)
    interests  its RIASEC interest profile, standardised (regression only, weight 0.5; O*NET
               publishes one for every occupation that has tasks, rated or not)
    equipment  TF-IDF of the UNSPSC commodities, classes, families and segments of its
               technology and of its tools, one block each (regression only, weight 0.3)
    profile    when it is rated in another domain or scale (knowledge known, skills missing),
               those ratings, standardised

Two estimators over those features, blended 0.8 / 0.2:

    ridge       a ridge regression (alpha 0.1) of every element's rating on the features, fitted
                on the rated occupations
    neighbours  the mean of the K = 20 most similar rated occupations, weighted by similarity
                (similarity: cosine of the text, plus the structure bonus; with a profile,
                0.3 × that + 0.7 × the Pearson correlation of the profiles)

(The equipment blocks, and 20 neighbours weighted by similarity instead of 10 weighted by its
fourth power, blended 0.8 / 0.2 instead of 0.7 / 0.3, were chosen on the tuning seeds of
bench/impute_eval.py: skills and knowledge's cold-start error 0.518 → 0.509 of the baseline's.)

The confidence of an element comes from agreement = 1 − min(1, 2 × the weighted sd of the K
neighbours' ratings ÷ scale range) and disagreement = |the regression's estimate − the
neighbours' mean| ÷ scale range, through `Calibration`: it falls when the neighbours disagree
among themselves or with the regression and rises when the target is rated in another domain,
and bench/impute_eval.py shows that higher confidence means smaller error. (How close the
neighbours are was the first choice; measured, it says nothing of the error — the mean absolute
error is 0.33–0.34 in every quartile of it.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from scipy import sparse

from jobforge.impute.descriptions import Descriptions
from jobforge.impute.estimates import Estimate, agreement, estimates_of
from jobforge.impute.matrix import RatingMatrix, Ratings

K = 20
PROFILE_WEIGHT = 0.7
RIDGE_WEIGHT = 0.8
RIDGE_ALPHA = 0.1
BROAD_BONUS, MINOR_BONUS = 0.15, 0.05


class Calibration(NamedTuple):
    """confidence = σ(agreement_weight × agreement + disagreement_weight × disagreement
    + profile_weight × [rated in another domain] + intercept): the probability that the estimate
    lies within a tenth of the scale's range of O*NET's own rating (0.7 on LV's 0–7, 0.4 on IM's
    1–5), fitted by `bench/impute_eval.py --tune` on held-out occupations of the shared release.
    The profile term keeps the two cases apart: estimates from another domain's ratings are far
    closer than estimates from text alone, at the same agreement."""

    agreement_weight: float
    disagreement_weight: float
    profile_weight: float
    intercept: float

    def of(self, agreement: np.ndarray, disagreement: np.ndarray, profiled: bool) -> np.ndarray:
        linear = self.agreement_weight * agreement + self.disagreement_weight * disagreement
        return 1 / (1 + np.exp(-(linear + self.profile_weight * profiled + self.intercept)))


CALIBRATION = Calibration(7.008, -4.675, 1.315, -4.005)  # bench/impute_eval.py --tune, seeds 1001–1003
ACTIVITIES_WEIGHT, INTERESTS_WEIGHT, EQUIPMENT_WEIGHT = 0.7, 0.5, 0.3


@dataclass(frozen=True)
class Scored:
    values: np.ndarray
    agreement: np.ndarray  # per element, from the weighted sd of the K nearest's ratings
    disagreement: np.ndarray  # per element, |regression − their weighted mean| ÷ scale range
    known: list[str]  # the other domains and scales the target is rated in
    nearest: list[tuple[int, float]]  # (row, similarity) of the K nearest


class NeighboursImputer:
    method = "neighbours"

    def __init__(self, ratings: Ratings, descriptions: Descriptions) -> None:
        from sklearn.feature_extraction.text import TfidfVectorizer

        self._fitted: dict[tuple, tuple] = {}
        self._profiles: dict[tuple, np.ndarray] = {}
        self.ratings = ratings
        self.descriptions = descriptions
        codes = ratings.occupations
        documents = [descriptions.texts.get(code, "") for code in codes]
        self.text = TfidfVectorizer(
            ngram_range=(1, 2), sublinear_tf=True, min_df=2, stop_words="english"
        ).fit_transform(documents)
        self.described = sparse.hstack(
            [
                _id_features(codes, descriptions.activities) * ACTIVITIES_WEIGHT,
                _interest_features(codes, descriptions),
                _id_features(codes, descriptions.technology) * EQUIPMENT_WEIGHT,
                _id_features(codes, descriptions.tools) * EQUIPMENT_WEIGHT,
            ]
        ).tocsr()
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
        confidences = CALIBRATION.of(scored.agreement, scored.disagreement, bool(scored.known))
        names = ", ".join(f"{matrix.codes[i]} ({similarity:.2f})" for i, similarity in scored.nearest[:5])
        known = scored.known
        parts = self.descriptions.matched_on(matrix.codes[row]) + ([f"{' and '.join(known)} ratings"] if known else [])
        rationale = (
            f"neighbours: a regression on its {', '.join(parts)} and SOC group, blended with the ratings of the rated "
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
        rows, weights = candidates[top], np.clip(similarity[top], 1e-6, None)
        block = matrix.values[rows]
        present = ~np.isnan(block)
        mass = (weights[:, None] * present).sum(axis=0)
        with np.errstate(all="ignore"):
            mean = np.where(present, block, 0).T @ weights / mass
            variance = (np.where(present, (block - mean) ** 2, 0).T @ weights) / mass
        ridge = self._ridge(matrix, row, known)
        predicted = RIDGE_WEIGHT * ridge + (1 - RIDGE_WEIGHT) * mean
        disagreement = np.nan_to_num(np.abs(ridge - mean)) / max(matrix.high - matrix.low, 1e-9)
        return Scored(
            predicted, agreement(np.sqrt(np.nan_to_num(variance)), matrix), disagreement, known,
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
            features = sparse.hstack([self.text, self.groups, self.described]).tocsr()
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


def _id_features(codes: list[str], ids: dict[str, list[str]]) -> sparse.csr_matrix:
    """TF-IDF over lists of O*NET's ids (work activities, UNSPSC codes): a rare one says more."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    documents = [ids.get(code, []) for code in codes]
    if not any(documents):
        return sparse.csr_matrix((len(codes), 0))
    return TfidfVectorizer(analyzer=lambda listed: listed, sublinear_tf=True).fit_transform(documents)


def _interest_features(codes: list[str], descriptions: Descriptions) -> sparse.csr_matrix:
    """Standardised; an occupation without a profile sits at the mean (zero)."""
    elements = sorted({element for profile in descriptions.interests.values() for element in profile})
    if not elements:
        return sparse.csr_matrix((len(codes), 0))
    values = np.array([[descriptions.interests.get(code, {}).get(e, np.nan) for e in elements] for code in codes])
    with np.errstate(all="ignore"):
        centre, scale = np.nanmean(values, axis=0), np.nanstd(values, axis=0)
    standard = np.nan_to_num((values - centre) / np.where(scale > 0, scale, 1))
    return sparse.csr_matrix(standard * INTERESTS_WEIGHT)
