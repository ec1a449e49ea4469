"""Benchmark: job title → occupation coding on real titles the index has not seen.

The shared data is loaded into a SQLite database (or --db names one already loaded). For each
system a seeded random share of the distinct real titles is held out: O*NET alternate titles
(15%, gold = every O*NET-SOC code that lists the title) and OaSIS example titles (20%, gold =
the unit groups of every profile that lists it). Every name with a held-out text, whatever its
source, is removed from the index before it is built, so no held-out title is found by lookup.

Reports top-1 and top-5 accuracy, the share auto-accepted (needs_review false) and its
precision, expected calibration error of the top score, titles/s classifying the held-out
titles in one batch, index build time (reading the corpus included) and peak memory.
Targets: O*NET top-1 ≥ 0.60, top-5 ≥ 0.85, accepted precision ≥ 0.90; NOC top-1 ≥ 0.75,
top-5 ≥ 0.95; ≥ 2,000 titles/s; build ≤ 10 s; memory ≤ 1 GB.

--tune fits the model weights, the softmax temperature and the calibration on a split of another
seed (so the reported figures are not measured on the split they were tuned on) and prints them
with the share and precision of the accepted titles under candidate thresholds.

--embeddings (the `embeddings` extra installed) reports the word model, the word model fused with
the sentence embeddings, and that fusion's shortlist re-ranked (what the application does) side
by side, after timing the embedding of every indexed name into the database's store and a second
build that reuses them; with --tune it fits the fusion instead
(its weight, the borrowed names' share, then temperature and weight together by log-loss, then
the calibration). --fit-reranker fits the re-ranker of the fused shortlist on the tuning split (with
the fusion as stored in the code) and writes it into the package (src/jobforge/classify/rerankers/).

    python bench/classify_eval.py [--db URL] [--systems onet,noc] [--seeds 1,2,3] [--tune] [--embeddings] [--fit-reranker] [--plot PNG]
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
SHARED = ROOT.parent / "shared" / "data"
HELD_OUT_SHARE = {"onet": 0.15, "noc": 0.20}
TUNING_SEED = 1000


def loaded_database(url: str | None, folder: Path) -> str:
    from jobforge.knowledge_base import KnowledgeBase

    if url:
        return url
    url = f"sqlite:///{folder / 'classify.db'}"
    kb = KnowledgeBase(url)
    kb.upgrade()
    started = time.perf_counter()
    kb.onet.load(SHARED / "onet" / "29.3")
    kb.canada.load_noc(SHARED / "noc")
    kb.canada.load_crosswalk(SHARED / "crosswalk" / "noc2021_onet26.csv")
    print(f"loaded the shared data into {url} in {time.perf_counter() - started:.1f} s")
    kb.engine.dispose()
    return url


def gold_titles(corpus, system: str) -> dict[str, set[str]]:
    """Real titles of the evaluated kind, keyed case-insensitively, with every code that lists them."""
    from jobforge.classify import Origin

    wanted = Origin.alternate if system == "onet" else Origin.example
    gold: dict[str, set[str]] = defaultdict(set)
    first_spelling: dict[str, str] = {}
    for name in corpus.names:
        if name.origin is wanted:
            key = " ".join(name.text.lower().split())
            first_spelling.setdefault(key, name.text)
            gold[first_spelling[key]].add(name.code)
    return gold


def split(gold: dict[str, set[str]], share: float, seed: int) -> dict[str, set[str]]:
    titles = sorted(gold)
    random.Random(seed).shuffle(titles)
    return {title: gold[title] for title in titles[: int(len(titles) * share)]}


def resident_mb() -> float:
    """This process's resident memory now (peak RSS cannot say what a second configuration adds)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def evaluate(classifier, held_out: dict[str, set[str]], singles: int = 500) -> dict:
    """The figures of one configuration; `singles` titles are also classified one per call (0 in a
    tuning grid, which needs only the accuracy)."""
    titles = list(held_out)
    started = time.perf_counter()
    results = classifier.classify(titles, k=5)
    elapsed = time.perf_counter() - started
    top1 = [r.candidates[0].code in held_out[r.title] for r in results]
    top5 = [any(c.code in held_out[r.title] for c in r.candidates) for r in results]
    accepted = [ok for ok, r in zip(top1, results) if not r.needs_review]
    single = []
    for title in titles[:singles]:  # one title per call, as GET /classify does
        started = time.perf_counter()
        classifier.classify([title], k=5)
        single.append((time.perf_counter() - started) * 1000)
    confidence = np.array([r.candidates[0].score for r in results])
    return {
        "titles": len(titles),
        "top1": float(np.mean(top1)),
        "top5": float(np.mean(top5)),
        "accepted_share": len(accepted) / len(results),
        "accepted_precision": float(np.mean(accepted)) if accepted else float("nan"),
        "ece": calibration_error(confidence, np.array(top1)),
        "titles_per_s": len(titles) / elapsed,
        "single_p50_ms": statistics.median(single) if single else float("nan"),
        "single_p99_ms": float(np.percentile(single, 99)) if single else float("nan"),
        "confidence": confidence,
        "correct": np.array(top1),
    }


def calibration_error(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error: |accuracy − mean confidence| per confidence decile, weighted."""
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(confidence, edges) - 1, 0, bins - 1)
    return float(
        sum(
            abs(correct[which == b].mean() - confidence[which == b].mean()) * (which == b).mean()
            for b in range(bins)
            if (which == b).any()
        )
    )


def build(corpus, parameters=None, temperature=None, embed=None, fusion=None, rerank=True):
    from jobforge.classify import TitleClassifier

    started = time.perf_counter()
    classifier = TitleClassifier(corpus, parameters, temperature, embed, fusion, rerank)
    return classifier, time.perf_counter() - started


def embedder(engine):
    """Name embeddings through the database's store, as the application keeps them."""
    from jobforge.classify.embeddings import Encoder, model_key
    from jobforge.classify.vector_store import name_vectors

    key = model_key()
    return lambda texts: name_vectors(engine, texts, key, Encoder.encode)


def full_index_builds(kb, corpus) -> dict:
    """The whole corpus's fused index built twice: the first embeds what the store lacks, the second
    reads every vector back (what a server start or a CLI call after a load does)."""
    from jobforge.classify.embeddings import Encoder
    from jobforge.classify.tables import TitleVector

    Encoder.encode(["warm up"])  # torch's import and the model's load are timed apart
    with kb.engine.connect() as connection:
        stored = connection.scalar(select(func.count()).select_from(TitleVector))
    _, first = build(corpus, embed=embedder(kb.engine))
    _, second = build(corpus, embed=embedder(kb.engine))
    return {"first": first, "second": second, "stored_before": stored}


FIGURES = (
    "titles",
    "top1",
    "top5",
    "accepted_share",
    "accepted_precision",
    "ece",
    "titles_per_s",
    "single_p50_ms",
    "single_p99_ms",
    "build",
    "memory",
    "names",
    "occupations",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--db", help="a database with O*NET, NOC and the crosswalk loaded (default: load the shared data)"
    )
    parser.add_argument("--systems", default="onet,noc")
    parser.add_argument("--seeds", default="1,2,3", help="one held-out split per seed; medians are reported")
    parser.add_argument("--tune", action="store_true")
    parser.add_argument("--embeddings", action="store_true", help="also the word model fused with sentence embeddings")
    parser.add_argument(
        "--fit-reranker", action="store_true", help="fit the fused model's re-ranker and write it into the package"
    )
    parser.add_argument("--plot", type=Path, help="write a reliability diagram of the top score (PNG)")
    args = parser.parse_args()

    import classify_tuning  # beside this script: the fitting, apart from the measuring

    from jobforge.classify import System, read_corpus
    from jobforge.knowledge_base import KnowledgeBase

    with tempfile.TemporaryDirectory() as folder:
        kb = KnowledgeBase(loaded_database(args.db, Path(folder)))
        kb.upgrade()  # the store of name embeddings, in a database loaded before it existed
        configurations: dict[str, tuple] = {"words": (None, False)}
        if args.embeddings:
            configurations["words + embeddings, fused"] = (embedder(kb.engine), False)
            configurations["words + embeddings, re-ranked"] = (embedder(kb.engine), True)
        curves = {}
        for system in args.systems.split(","):
            with kb.engine.connect() as connection:
                corpus = read_corpus(connection, System(system))
            if args.fit_reranker:
                classify_tuning.fit_reranker(corpus, system, embedder(kb.engine))
                continue
            if args.tune and args.embeddings:
                classify_tuning.tune_fusion(corpus, system, embedder(kb.engine))
            elif args.tune:
                classify_tuning.tune(corpus, system)
            if args.tune:
                continue
            if args.embeddings:
                builds = full_index_builds(kb, corpus)
                print(
                    f"{system}: full index with embeddings built in {builds['first']:.1f} s with "
                    f"{builds['stored_before']:,} vectors stored before, then in {builds['second']:.1f} s reusing them"
                )
            runs: dict[str, list[dict]] = defaultdict(list)
            for seed in (int(seed) for seed in args.seeds.split(",")):
                held_out = split(gold_titles(corpus, system), HELD_OUT_SHARE[system], seed)
                index = corpus.without(set(held_out))
                started = time.perf_counter()
                with kb.engine.connect() as connection:  # build time includes reading the corpus
                    read_corpus(connection, System(system))
                read_time = time.perf_counter() - started
                for label, (embed, rerank) in configurations.items():
                    before = resident_mb()
                    classifier, build_time = build(index, embed=embed, rerank=rerank)
                    figures = evaluate(classifier, held_out)
                    figures.update(
                        seed=seed,
                        build=read_time + build_time,
                        memory=resident_mb() - before,
                        names=len(index.names),
                        occupations=len(index.titles),
                    )
                    del classifier
                    runs[label].append(figures)
                    report(f"{system}, {label}", figures)
            for label, measured in runs.items():
                curves[f"{system}, {label}" if args.embeddings else system] = measured[0]
                if len(measured) > 1:
                    median = {key: statistics.median(run[key] for run in measured) for key in FIGURES}
                    report(f"{system}, {label}", {**median, "seed": f"median of {len(measured)}"})
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS of the whole run (database, corpora, indexes): {peak:,.0f} MB")
        if args.plot and curves:
            plot(curves, args.plot)


def report(system: str, figures: dict) -> None:
    print(
        f"{system} (seed {figures['seed']}): {figures['titles']:,.0f} held-out titles, index of "
        f"{figures['names']:,.0f} names over {figures['occupations']:,.0f} occupations"
    )
    print(
        f"  top-1 {figures['top1']:.3f}   top-5 {figures['top5']:.3f}   auto-accepted "
        f"{figures['accepted_share']:.3f} with precision {figures['accepted_precision']:.3f}   "
        f"calibration error {figures['ece']:.3f}"
    )
    print(
        f"  {figures['titles_per_s']:,.0f} titles/s in batch   one title per call p50 "
        f"{figures['single_p50_ms']:.2f} ms (p99 {figures['single_p99_ms']:.2f})   index build "
        f"{figures['build']:.2f} s (reading the corpus included), resident memory +{figures['memory']:,.0f} MB"
    )


def plot(curves: dict[str, dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axis = plt.subplots(figsize=(5.5, 5))
    edges = np.linspace(0, 1, 11)
    for system, figures in curves.items():
        which = np.clip(np.digitize(figures["confidence"], edges) - 1, 0, 9)
        xs = [figures["confidence"][which == b].mean() for b in range(10) if (which == b).sum() >= 20]
        ys = [figures["correct"][which == b].mean() for b in range(10) if (which == b).sum() >= 20]
        axis.plot(xs, ys, marker="o", label=f"{system} (top-1 {figures['top1']:.2f})")
    axis.plot([0, 1], [0, 1], color="grey", linestyle="--", label="perfect calibration")
    axis.set_xlabel("top candidate's score")
    axis.set_ylabel("share of titles whose top candidate is right")
    axis.set_title("Job title coding: calibration on held-out real titles")
    axis.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    print(f"plot written to {path}")


if __name__ == "__main__":
    main()
