"""Fitting what bench/classify_eval.py measures: the word model's weights, temperature and
calibration (--tune), the fusion with sentence embeddings (--tune --embeddings) and the fused
shortlist's re-ranker (--fit-reranker), each on the tuning split (TUNING_SEED), never on a
reported one. Run through classify_eval.py, which loads the data and prints the figures."""

from __future__ import annotations

import pickle
from dataclasses import replace

import numpy as np
from classify_eval import HELD_OUT_SHARE, TUNING_SEED, build, evaluate, gold_titles, split


def fitted_temperature(classifier, held_out: dict[str, set[str]]):
    """The temperature (base, growth with the word count) minimising the log-loss of the gold
    codes' total probability; for a fused classifier, the fusion weight with it."""
    from scipy.optimize import minimize

    from jobforge.classify.classifier import Temperature

    titles = list(held_out)
    normalized = [classifier.normalized(t) for t in titles]
    scores = classifier.model.scores(normalized)
    similarity = 0.0
    if classifier.semantic is not None:
        from jobforge.classify.embeddings import Encoder

        similarity = classifier.semantic.similarity(Encoder.encode(normalized))[0]
    word_counts = np.array([len(t.split()) for t in normalized])
    gold = np.zeros_like(scores, dtype=bool)
    position = {code: i for i, code in enumerate(classifier.model.codes)}
    for row, title in enumerate(titles):
        for code in held_out[title]:
            if code in position:
                gold[row, position[code]] = True

    def loss(x: np.ndarray) -> float:
        weight = np.exp(x[2]) if len(x) > 2 else 0.0
        z = scores / Temperature(np.exp(x[0]), x[1]).of(word_counts)[:, None] + weight * similarity
        z -= z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return float(np.mean(np.log(e.sum(axis=1)) - np.log((e * gold).sum(axis=1) + 1e-12)))

    start = [np.log(classifier.temperature.base), classifier.temperature.growth]
    if classifier.semantic is not None:
        start.append(np.log(classifier.fusion.weight))
    x = minimize(loss, np.array(start), method="Nelder-Mead").x
    temperature = Temperature(round(float(np.exp(x[0])), 3), round(float(x[1]), 3))
    return (temperature, round(float(np.exp(x[2])), 2)) if len(x) > 2 else temperature


def fitted_calibration(classifier, held_out: dict[str, set[str]]):
    """Platt scaling fitted on every top-5 candidate: is it one of the title's gold codes?"""
    from sklearn.linear_model import LogisticRegression

    from jobforge.classify.classifier import Calibration

    plain = classifier.calibration
    classifier.calibration = Calibration(1.0, 0.0)
    results = classifier.classify(list(held_out), k=5)
    classifier.calibration = plain
    shares = np.clip([c.score for r in results for c in r.candidates], 1e-9, 1 - 1e-9)
    right = [c.code in held_out[r.title] for r in results for c in r.candidates]
    model = LogisticRegression(C=1e6).fit(np.log(shares / (1 - shares))[:, None], right)
    return Calibration(round(float(model.coef_[0, 0]), 3), round(float(model.intercept_[0]), 3))


def acceptance(classifier, held_out: dict[str, set[str]]) -> None:
    """Share and precision of the accepted titles under candidate thresholds."""
    results = classifier.classify(list(held_out), k=2)
    top = np.array([r.candidates[0].score for r in results])
    margin = top - np.array([r.candidates[1].score for r in results])
    acceptance_table(top, margin, np.array([r.candidates[0].code in held_out[r.title] for r in results]))


def acceptance_table(top: np.ndarray, margin: np.ndarray, right: np.ndarray) -> None:
    for score in (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95):
        for least_margin in (0.1, 0.2):
            accepted = (top >= score) & (margin >= least_margin)
            print(
                f"    accept at score ≥ {score}, margin ≥ {least_margin}: share {accepted.mean():.3f}, "
                f"precision {right[accepted].mean():.3f}"
            )


def tune(corpus, system: str) -> None:
    """Grid over the model weights on a tuning split; prints the best by top-1, then its temperature."""
    from jobforge.classify import Origin
    from jobforge.classify.model import ModelParameters

    held_out = split(gold_titles(corpus, system), HELD_OUT_SHARE[system], TUNING_SEED)
    index = corpus.without(set(held_out))
    base = ModelParameters()
    grid = [base]
    for character_weight in (4.0, 12.0):
        grid.append(replace(base, character_weight=character_weight))
    for context_weight in (0.1, 1.0):
        grid.append(replace(base, context_weight=context_weight))
    for smoothing in (0.01, 0.05):
        grid.append(replace(base, smoothing=smoothing))
    for origin, weights in ((Origin.borrowed, (0.0, 0.1, 1.0)), (Origin.title, (1.0, 6.0))):
        for weight in weights:
            grid.append(replace(base, name_weights={**base.name_weights, origin: weight}))
    best = None
    for parameters in grid:
        classifier, _ = build(index, parameters)
        figures = evaluate(classifier, held_out, singles=0)
        print(f"  {figures['top1']:.3f} {figures['top5']:.3f}  {describe(parameters, base)}")
        if best is None or figures["top1"] > best[0]:
            best = (figures["top1"], parameters, classifier)
    temperature = fitted_temperature(best[2], held_out)
    best[2].temperature = temperature
    calibration = fitted_calibration(best[2], held_out)
    best[2].calibration = calibration
    print(f"{system}: best {describe(best[1], base)}; {temperature}; {calibration}")
    acceptance(best[2], held_out)


def tune_fusion(corpus, system: str, embed) -> None:
    """Grid over the fusion weight and the borrowed names' share (by top-1 + top-5, the word model
    as it is), then temperature and weight together by log-loss, then the calibration."""
    from jobforge.classify import System
    from jobforge.classify.classifier import FUSED, Calibration

    held_out = split(gold_titles(corpus, system), HELD_OUT_SHARE[system], TUNING_SEED)
    index = corpus.without(set(held_out))
    plain = FUSED[System(system)]
    best = None
    for borrowed in (0.5, 1.0):
        classifier, _ = build(index, embed=embed, fusion=plain._replace(borrowed=borrowed), rerank=False)
        for weight in (10.0, 20.0, 30.0):
            classifier.fusion = classifier.fusion._replace(weight=weight)
            figures = evaluate(classifier, held_out, singles=0)
            print(f"  {figures['top1']:.3f} {figures['top5']:.3f}  weight={weight}, borrowed={borrowed}")
            if best is None or figures["top1"] + figures["top5"] > best[0]:
                best = (figures["top1"] + figures["top5"], classifier, weight)
    classifier, weight = best[1], best[2]
    classifier.fusion = classifier.fusion._replace(weight=weight)
    temperature, fitted_weight = fitted_temperature(classifier, held_out)
    classifier.temperature, classifier.fusion = temperature, classifier.fusion._replace(weight=fitted_weight)
    classifier.calibration = Calibration(1.0, 0.0)
    calibration = fitted_calibration(classifier, held_out)
    classifier.calibration = calibration
    figures = evaluate(classifier, held_out, singles=0)
    print(
        f"{system}: weight {fitted_weight}, borrowed {classifier.fusion.borrowed}; {temperature}; {calibration}; "
        f"tuning split top-1 {figures['top1']:.3f} top-5 {figures['top5']:.3f}"
    )
    acceptance(classifier, held_out)


def fit_reranker(corpus, system: str, embed) -> None:
    """The re-ranker fitted on the tuning split's shortlists (the fusion as stored in the code) and
    written where the package ships it; then its acceptance figures on that split."""
    from sklearn.base import clone
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import GroupKFold, cross_val_predict

    from jobforge.classify import System
    from jobforge.classify.reranker import FOLDER, SHORTLIST, features, shortlist

    held_out = split(gold_titles(corpus, system), HELD_OUT_SHARE[system], TUNING_SEED)
    classifier, _ = build(corpus.without(set(held_out)), embed=embed, rerank=False)
    titles = list(held_out)
    rows, right = [], []
    for start in range(0, len(titles), 2000):
        batch = titles[start : start + 2000]
        signals = classifier.signals(batch, [classifier.normalized(title) for title in batch])
        candidates = shortlist(signals.fused, SHORTLIST)
        rows.append(features(signals, candidates, classifier.heads))
        codes = np.array(classifier.model.codes)[candidates]
        right.append(np.array([[code in held_out[title] for code in row] for title, row in zip(batch, codes)]).ravel())
    model = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.05, max_leaf_nodes=31, random_state=0)
    x, y = np.vstack(rows), np.concatenate(right)
    model.fit(x, y)
    FOLDER.mkdir(exist_ok=True)
    (FOLDER / f"{System(system).value}.pickle").write_bytes(pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL))
    print(f"{system}: re-ranker of {model.n_iter_} trees written to {FOLDER}")
    # the accept rule from scores the model did not see the answers of: 5 folds, by title
    titles_of_rows = np.repeat(np.arange(len(titles)), len(y) // len(titles))
    unseen = cross_val_predict(clone(model), x, y, groups=titles_of_rows, cv=GroupKFold(5), method="predict_proba")
    ranked = np.sort(unseen[:, 1].reshape(len(titles), -1), axis=1)[:, ::-1]
    first = np.argmax(unseen[:, 1].reshape(len(titles), -1), axis=1)
    hit = y.reshape(len(titles), -1)[np.arange(len(titles)), first]
    top5 = np.mean(
        [
            row[np.argsort(-p)[:5]].any()
            for row, p in zip(y.reshape(len(titles), -1), unseen[:, 1].reshape(len(titles), -1))
        ]
    )
    print(f"  out of fold on the tuning split: top-1 {hit.mean():.3f} top-5 {top5:.3f}")
    acceptance_table(ranked[:, 0], ranked[:, 0] - ranked[:, 1], hit)


def describe(parameters, base) -> str:
    changed = [f"{k}={v}" for k, v in vars(parameters).items() if v != getattr(base, k) and k != "name_weights"]
    changed += [f"{o.value}={w}" for o, w in parameters.name_weights.items() if base.name_weights.get(o) != w]
    return ", ".join(changed) or "defaults"
