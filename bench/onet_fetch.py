"""Benchmark: fetching the occupations that lack ratings from a local fake O*NET Web Services.

Loads the full O*NET 29.3 release into a fresh SQLite file, finds the occupations without
skills ratings, and fetches them (summary + skills, knowledge and abilities rows: 4 URLs each)
from a local server that answers like O*NET v2 with a fixed latency (100 ms) and a share of
429s with Retry-After: 1 (5%), at the client's rate limit (5 requests/s by default). Prints wall
time against the ideal (unique URLs ÷ rate), calls made against unique URLs, retries, and a
second run's calls (the cache).

    python bench/onet_fetch.py [--rate 5] [--latency 0.1] [--share-429 0.05] [--limit N]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from jobforge.config import Settings  # noqa: E402
from jobforge.knowledge_base import KnowledgeBase  # noqa: E402
from tests.fakes.onet_web import FakeOnet, rows_from_release_text  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "onet" / "29.3"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=5.0)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--share-429", type=float, default=0.05)
    parser.add_argument("--limit", type=int, default=0, help="fetch only the first N missing occupations")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'fetch.db'}"
        KnowledgeBase(url, settings=Settings(onet_api_key="")).upgrade()
        loader = KnowledgeBase(url, settings=Settings(onet_api_key=""))
        loader.onet.load(DATA)
        missing = loader.onet.lacking_ratings()
        if args.limit:
            missing = missing[: args.limit]
        donor_rows = {
            table: rows_from_release_text((DATA / name).read_text(encoding="utf-8"), "29-1141.00")
            for table, name in (("skills", "Skills.txt"), ("knowledge", "Knowledge.txt"))
        }
        fake = FakeOnet(latency=args.latency, share_429=args.share_429)
        for code in missing:
            fake.occupations[code] = {"title": f"Occupation {code}", "description": "fetched"}
            for table, rows in donor_rows.items():
                fake.rows[(table, code)] = [dict(row, o_net_soc_code=code) for row in rows]
        fake.start()
        kb = KnowledgeBase(
            url,
            engine=loader.engine,
            settings=Settings(onet_api_key=fake.api_key, onet_api_base_url=fake.base_url, onet_api_rate=args.rate),
        )
        unique_urls = 4 * len(missing)
        print(
            f"{len(missing)} occupations lack ratings in O*NET 29.3 -> {unique_urls} unique URLs; "
            f"rate {args.rate}/s, latency {args.latency * 1000:.0f} ms, {args.share_429:.0%} 429s (Retry-After: 1)"
        )
        started = time.perf_counter()
        first = asyncio.run(kb.onet.fetch(missing, max_concurrency=8))
        wall = time.perf_counter() - started
        second = asyncio.run(kb.onet.fetch(missing))
        fake.stop()
    ideal = unique_urls / args.rate
    print(f"first run: {len(first.stored)} stored, {len(first.failed)} failed, {first.ratings_stored:,} ratings")
    print(f"  wall {wall:.1f} s vs ideal {ideal:.1f} s (unique URLs / rate): ratio {wall / ideal:.2f}")
    print(
        f"  successful calls {first.calls - first.retries} for {unique_urls} unique URLs; "
        f"{first.retries} retries of 429s, {first.calls} requests in all"
    )
    print(f"second run: {second.calls} calls, {second.cache_hits} cache hits")


if __name__ == "__main__":
    main()
