"""Benchmark: imputed ratings against O*NET's own, on rated occupations held out.

Over a database holding the full O*NET 29.3 release (built in a temporary folder unless --db is
given), for each seed 10% of the rated occupations are held out: their ratings are hidden and
imputed from the rest, then compared with O*NET's.

  cold start        nothing of the held-out occupation is known (every domain hidden)
  one domain known  only the domain imputed is hidden (e.g. knowledge known, skills imputed)

For each domain and scale, the MAE of: the per-element mean (the baseline every ratio is
against), the SOC minor-group mean, a plain TF-IDF k-nearest-occupations over titles,
descriptions and tasks (the issue's reference), the hierarchy alone (where it applies), the
neighbours alone, and the chain (hierarchy, then neighbours); and the median per-occupation
Spearman correlation of the chain. Then skills and knowledge pooled (both scales): every
held-out value's error summed, over the baseline's on the same values — the figure the targets
(cold start ≤ 0.50×, one domain known ≤ 0.40×) and the issue's references (TF-IDF k-nearest
0.56×, minor-group mean 0.64×) are stated in. Calibration: the chain's absolute error by
confidence band. Time per occupation.
`--tune` runs other seeds and fits the neighbours' confidence calibration (printed, to paste into
jobforge/impute/neighbours.py).

    python bench/impute_eval.py [--seeds 3] [--db URL] [--plot PNG] [--tune]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy.stats import spearmanr

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from jobforge.impute.chain import chained  # noqa: E402
from jobforge.impute.descriptions import Descriptions, read_descriptions  # noqa: E402
from jobforge.impute.hierarchy import HierarchyImputer  # noqa: E402
from jobforge.impute.matrix import RatingMatrix, Ratings, read_ratings  # noqa: E402
from jobforge.impute.neighbours import NeighboursImputer  # noqa: E402
from jobforge.knowledge_base import KnowledgeBase  # noqa: E402

BANDS = [(0.0, 0.5), (0.5, 0.65), (0.65, 0.8), (0.8, 1.01)]
METHODS = ("baseline", "minor group", "tf-idf knn", "hierarchy", "neighbours", "chain")
POOLED = {("skills", "LV"), ("skills", "IM"), ("knowledge", "LV"), ("knowledge", "IM")}
REFERENCE_K = 10  # the plain TF-IDF k-nearest reference's neighbours


def hidden(ratings: Ratings, rows: list[int], keys: list[tuple[str, str]]) -> Ratings:
    """A copy of `ratings` with `rows` blanked in the matrices of `keys`."""
    copy = Ratings(occupations=ratings.occupations)
    for key, matrix in ratings.matrices.items():
        values = matrix.values.copy()
        if key in keys:
            values[rows] = np.nan
        copy.matrices[key] = RatingMatrix(matrix.domain, matrix.scale, matrix.codes, matrix.elements, values,
                                          matrix.low, matrix.high)  # fmt: skip
    return copy


def minor_group_mean(matrix: RatingMatrix, row: int) -> np.ndarray:
    code = matrix.codes[row]
    rows = [i for i, other in enumerate(matrix.codes) if other[:4] == code[:4] and i != row and matrix.rated[i]]
    with np.errstate(all="ignore"):
        return np.nanmean(matrix.values[rows], axis=0) if rows else np.nanmean(matrix.values, axis=0)


def reference_similarity(kb: KnowledgeBase, occupations: list[str]) -> np.ndarray:
    """Cosine similarity of TF-IDF over each occupation's title, description and tasks: the plain
    k-nearest-occupations reference, rows and columns in the order of `occupations`."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sqlalchemy import select

    from jobforge.sources.onet import tables as t

    with kb.engine.connect() as connection:
        texts = {code: f"{title} {description}" for code, title, description in connection.execute(
            select(t.Occupation.soc_code, t.Occupation.title, t.Occupation.description))}  # fmt: skip
        for code, task in connection.execute(select(t.TaskStatement.soc_code, t.TaskStatement.task)):
            texts[code] += f" {task}"
    vectors = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform([texts[c] for c in occupations])
    return (vectors @ vectors.T).toarray()


def reference_estimate(matrix: RatingMatrix, row: int, similarity: np.ndarray) -> np.ndarray:
    candidates = np.flatnonzero(matrix.rated)
    candidates = candidates[candidates != row]
    nearest = candidates[np.argsort(-similarity[row, candidates])[:REFERENCE_K]]
    weights = np.clip(similarity[row, nearest], 1e-9, None)
    with np.errstate(all="ignore"):
        return np.nansum(matrix.values[nearest] * weights[:, None], axis=0) / (
            (~np.isnan(matrix.values[nearest])) * weights[:, None]
        ).sum(axis=0)


def as_vector(estimates, matrix: RatingMatrix) -> tuple[np.ndarray, np.ndarray]:
    values, confidences = np.full(len(matrix.elements), np.nan), np.full(len(matrix.elements), np.nan)
    if estimates:
        column = {element: j for j, element in enumerate(matrix.elements)}
        for estimate in estimates:
            values[column[estimate.element]], confidences[column[estimate.element]] = (
                estimate.value,
                estimate.confidence,
            )
    return values, confidences


def evaluate(
    ratings: Ratings, descriptions: Descriptions, reference: np.ndarray, seed: int, mode: str, tuning: list
) -> dict:
    rng = np.random.default_rng(seed)
    neighbours = NeighboursImputer(ratings, descriptions)
    hierarchy = HierarchyImputer()
    results: dict = {}
    for key, truth in ratings.matrices.items():
        rated = np.flatnonzero(truth.rated)
        held = sorted(rng.choice(rated, size=max(1, len(rated) // 10), replace=False).tolist())
        keys = list(ratings.matrices) if mode == "cold start" else [key]
        view = hidden(ratings, held, keys)
        neighbours.ratings = view
        matrix = view.matrices[key]
        errors: dict[str, list[float]] = {name: [] for name in METHODS}
        calibration: list[tuple[float, float, bool]] = []  # confidence, absolute error, within a tenth of the range
        spearman: list[float] = []
        started = time.perf_counter()
        with np.errstate(all="ignore"):
            baseline = np.nanmean(matrix.values, axis=0)
        for row in held:
            actual = truth.values[row]
            known = ~np.isnan(actual)
            scored = neighbours.scored(matrix, row)
            if scored is not None:
                near = np.abs(np.clip(scored.values, matrix.low, matrix.high) - actual) <= 0.1 * (
                    matrix.high - matrix.low
                )
                profiled = [bool(scored.known)] * int(known.sum())
                tuning += zip(scored.agreement[known], scored.disagreement[known], profiled, near[known].tolist())
            h_values, _ = as_vector(hierarchy.estimate(matrix, row), matrix)
            n_values, _ = as_vector(neighbours.estimate(matrix, row), matrix)
            chain, chain_conf = as_vector(chained(matrix, row, neighbours), matrix)
            for name, predicted in (("baseline", baseline), ("minor group", minor_group_mean(matrix, row)),
                                    ("tf-idf knn", reference_estimate(matrix, row, reference)),
                                    ("neighbours", n_values), ("chain", chain)):  # fmt: skip
                errors[name] += np.abs(predicted - actual)[known].tolist()
            usable = known & ~np.isnan(h_values)
            errors["hierarchy"] += np.abs(h_values - actual)[usable].tolist()
            error = np.abs(chain - actual)[known]
            calibration += zip(
                chain_conf[known].tolist(), error.tolist(), (error <= 0.1 * (matrix.high - matrix.low)).tolist()
            )
            if known.sum() > 2:
                spearman.append(spearmanr(chain[known], actual[known]).statistic)
        results[key] = {
            "mae": {name: float(np.mean(values)) if values else float("nan") for name, values in errors.items()},
            "sum": {name: float(np.sum(values)) for name, values in errors.items()},
            "spearman": float(np.nanmedian(spearman)) if spearman else float("nan"),  # none over two elements
            "calibration": calibration,
            "seconds_per_occupation": (time.perf_counter() - started) / len(held),
            "held_out": len(held),
        }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--db", help="a database with the full release loaded (default: built here)")
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--plot", type=Path, help="write the calibration plot here (needs matplotlib)")
    parser.add_argument("--tune", action="store_true", help="fit the confidence calibration on tuning seeds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.db or f"sqlite:///{Path(folder) / 'impute.db'}"
        if not args.db:
            subprocess.run([sys.executable, "-m", "jobforge", "--db", url, "onet", "load",
                            str(args.data / "onet" / "29.3"), "--json"], check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        kb = KnowledgeBase(url)
        with kb.engine.connect() as connection:
            ratings, descriptions = read_ratings(connection), read_descriptions(connection)
        reference = reference_similarity(kb, ratings.occupations)
        kb.engine.dispose()
    print(f"{len(ratings.occupations)} occupations; matrices: "
          + ", ".join(f"{d} {s} ({int(m.rated.sum())} rated)" for (d, s), m in ratings.matrices.items()))  # fmt: skip
    calibration: list[tuple[float, float, bool]] = []  # confidence, absolute error, within a tenth of the range
    tuning: list[tuple[float, float, bool, bool]] = []  # agreement, disagreement, profiled, near
    for mode in ("cold start", "one domain known"):
        seeds = range(1001, 1001 + args.seeds) if args.tune else range(1, args.seeds + 1)  # tuning never reports
        runs = [evaluate(ratings, descriptions, reference, seed, mode, tuning) for seed in seeds]
        print(f"\n{mode} (medians over {args.seeds} seeds; ratio = MAE ÷ per-element-mean MAE)")
        print(f"{'domain scale':<32}{'baseline':>9}{'minor grp':>10}{'tf-idf knn':>11}{'hierarchy':>10}{'neighbours':>11}"
              f"{'chain':>8}{'chain ÷ base':>13}{'Spearman':>9}{'ms/occ':>8}")  # fmt: skip
        for key in ratings.matrices:
            mae = {name: statistics.median(run[key]["mae"][name] for run in runs) for name in METHODS}
            spearman = statistics.median(run[key]["spearman"] for run in runs)
            ms = statistics.median(run[key]["seconds_per_occupation"] for run in runs) * 1000
            print(f"{key[0] + ' ' + key[1]:<32}{mae['baseline']:>9.3f}{mae['minor group']:>10.3f}{mae['tf-idf knn']:>11.3f}"
                  f"{mae['hierarchy']:>10.3f}{mae['neighbours']:>11.3f}{mae['chain']:>8.3f}"
                  f"{mae['chain'] / mae['baseline']:>12.2f}x{spearman:>9.3f}{ms:>8.1f}")  # fmt: skip
            if mode == "cold start":
                calibration += [pair for run in runs for pair in run[key]["calibration"]]
        pooled = {name: [sum(run[key]["sum"][name] for key in POOLED) / sum(run[key]["sum"]["baseline"] for key in POOLED)
                         for run in runs] for name in ("minor group", "tf-idf knn", "neighbours", "chain")}  # fmt: skip
        print("skills + knowledge pooled, ÷ baseline (median; per seed): " + "; ".join(
            f"{name} {statistics.median(ratios):.3f}x ({', '.join(f'{r:.3f}' for r in ratios)})"
            for name, ratios in pooled.items()))  # fmt: skip
    if args.tune:
        from sklearn.linear_model import LogisticRegression

        features = np.array([(a, d, p) for a, d, p, _ in tuning], dtype=float)
        fitted = LogisticRegression().fit(features, np.array([h for *_, h in tuning]))
        weights, intercept = ", ".join(f"{w:.3f}" for w in fitted.coef_[0]), fitted.intercept_[0]
        print(f"\nCALIBRATION = Calibration({weights}, {intercept:.3f})"
              f"  # fitted on {len(tuning):,} held-out values, seeds {seeds.start}–{seeds.stop - 1}")  # fmt: skip
    print("\ncalibration (cold start, chain): mean absolute error by confidence band")
    confidences, errors, near = (np.array(column) for column in zip(*calibration))
    for low, high in BANDS:
        chosen = (confidences >= low) & (confidences < high)
        if chosen.any():
            print(f"  confidence {low:.2f}–{min(high, 1):.2f}: {chosen.sum():>7,} values, MAE {errors[chosen].mean():.3f},"
                  f" mean confidence {confidences[chosen].mean():.2f}, within a tenth of the range {near[chosen].mean():.2f}")  # fmt: skip
    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        labels, maes, counts = [], [], []
        for low, high in BANDS:
            chosen = (confidences >= low) & (confidences < high)
            if chosen.any():
                labels.append(f"< {high:g}" if low == 0 else f"≥ {low:g}" if high > 1 else f"{low:g}–{high:g}")
                maes.append(errors[chosen].mean())
                counts.append(int(chosen.sum()))
        figure, axis = plt.subplots(figsize=(5, 3.5))
        bars = axis.bar(labels, maes)
        axis.bar_label(bars, labels=[f"{count:,} values" for count in counts], fontsize=8)
        axis.set_xlabel("confidence of the imputed value")
        axis.set_ylabel("mean absolute error")
        axis.set_title("Imputed ratings: error by confidence (cold start)")
        figure.tight_layout()
        figure.savefig(args.plot, dpi=120)
        print(f"plot: {args.plot}")


if __name__ == "__main__":
    main()
