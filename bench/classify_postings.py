"""Benchmark: job titles as job postings write them, against the same titles plain.

Postings decorate a title with what the job pays, its shift, a requisition number, a gender
mark, a hiring slogan, where or how it is worked ("Warehouse Associate - 1st Shift - $18/hr").
None of it says which occupation the job is, and some of it reads as words of one ("hr" is
human resources, "sign" a sign painter's word). This takes the held-out real titles of
`classify_eval.py` (same splits, same index without them), gives each one or two decorations
drawn with a seed from DECORATIONS (written for this bench after the forms postings use), and
reports top-1 and top-5 accuracy for the plain and the decorated titles side by side, with the
share of titles whose top candidate the decoration changed.

    python bench/classify_postings.py [--db URL] [--systems onet,noc] [--seeds 1,2,3] [--embeddings]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
from pathlib import Path

from classify_eval import HELD_OUT_SHARE, build, embedder, gold_titles, loaded_database, split

PREFIXES = ("Hiring Now: ", "Urgently Hiring - ", "NOW HIRING ", "Immediate Opening: ")
SUFFIXES = (
    " - $18/hr",
    " - $17-$20 per hour",
    " ($65,000 - $80,000/year)",
    " - Up to $25/hour",
    " - $1,500/week",
    " - 60K/yr",
    " - 1st Shift",
    " - 2nd Shift",
    " - Req #12345",
    " (Job ID: 48213)",
    " - Ref. 2024-117",
    " (m/w/d)",
    " (h/f)",
    " (f/m/x)",
    " - Immediate Start",
    " - $5,000 Sign-On Bonus",
    " - Sign-On Bonus",
    " - Weekly Pay",
    " - No Experience Necessary",
    " - Apply Today!",
    " - Remote",
    " (Hybrid)",
    " - On-site",
    " - Work From Home",
    " - Toronto, ON",
    " - Chicago, IL",
)


def decorated(title: str, rng: random.Random) -> str:
    """The title with one or two decorations: a prefix, a suffix or two suffixes."""
    form = rng.random()
    if form < 0.2:
        return rng.choice(PREFIXES) + title
    if form < 0.7:
        return title + rng.choice(SUFFIXES)
    first, second = rng.sample(SUFFIXES, 2)
    return title + first + second


def accuracy(classifier, titles: list[str], gold: list[set[str]]) -> tuple[float, float, list[str]]:
    results = classifier.classify(titles, k=5)
    top1 = [r.candidates[0].code in codes for r, codes in zip(results, gold)]
    top5 = [any(c.code in codes for c in r.candidates) for r, codes in zip(results, gold)]
    return statistics.mean(top1), statistics.mean(top5), [r.candidates[0].code for r in results]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--db", help="a database with O*NET, NOC and the crosswalk loaded (default: load the shared data)"
    )
    parser.add_argument("--systems", default="onet,noc")
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--embeddings", action="store_true", help="the application's re-ranked fusion, not words alone")
    args = parser.parse_args()

    from jobforge.classify import System, read_corpus
    from jobforge.knowledge_base import KnowledgeBase

    with tempfile.TemporaryDirectory() as folder:
        kb = KnowledgeBase(loaded_database(args.db, Path(folder)))
        kb.upgrade()
        embed = embedder(kb.engine) if args.embeddings else None
        for system in args.systems.split(","):
            with kb.engine.connect() as connection:
                corpus = read_corpus(connection, System(system))
            rows = []
            for seed in (int(seed) for seed in args.seeds.split(",")):
                held_out = split(gold_titles(corpus, system), HELD_OUT_SHARE[system], seed)
                classifier, _ = build(corpus.without(set(held_out)), embed=embed, rerank=embed is not None)
                plain = list(held_out)
                rng = random.Random(seed)
                noisy = [decorated(title, rng) for title in plain]
                gold = [held_out[title] for title in plain]
                plain_top1, plain_top5, plain_codes = accuracy(classifier, plain, gold)
                noisy_top1, noisy_top5, noisy_codes = accuracy(classifier, noisy, gold)
                changed = statistics.mean(a != b for a, b in zip(plain_codes, noisy_codes))
                rows.append((plain_top1, plain_top5, noisy_top1, noisy_top5, changed))
                print(
                    f"{system} seed {seed}: {len(plain):,} titles   plain top-1 {plain_top1:.3f} top-5 "
                    f"{plain_top5:.3f}   decorated top-1 {noisy_top1:.3f} top-5 {noisy_top5:.3f}   "
                    f"top candidate changed by the decoration {changed:.3f}"
                )
            medians = [statistics.median(column) for column in zip(*rows)]
            print(
                f"{system} median: plain {medians[0]:.3f} / {medians[1]:.3f}   decorated {medians[2]:.3f} / "
                f"{medians[3]:.3f}   changed {medians[4]:.3f}"
            )


if __name__ == "__main__":
    main()
