"""Benchmark: a two-level scrape of a local TBS site of 600+ pages, rate limit lifted.

The site is the local copy used by the tests (the real English groups and definitions pages,
French pages built the same way, every linked page constructed in the site's structure) with
`--extra` level-2 pages per level-1 page, served by a real HTTP server on 127.0.0.1. Runs the
scrape twice into a fresh SQLite database (the second run finds every page unchanged) in a child
process, and prints pages, seconds, pages/s and peak RSS.

    python bench/tbs_scrape.py [--extra 5]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))


def child(extra: int) -> dict:
    from jobforge.config import Settings
    from jobforge.knowledge_base import KnowledgeBase
    from tests.fakes.tbs_site import build_site

    site = build_site(extra_linked=extra).start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            kb = KnowledgeBase(f"sqlite:///{Path(folder) / 'tbs.db'}", settings=Settings(onet_api_key=""))
            kb.upgrade()
            figures = {"site_pages": len(site.pages)}
            for label in ("first", "unchanged"):
                started = time.perf_counter()
                report = kb.tbs.scrape(
                    languages=("en", "fr"), depth=2, base_url=site.base_url, out_dir=Path(folder) / "out", rate=0
                )
                seconds = time.perf_counter() - started
                pages = sum(lang["pages"] for lang in report.languages.values())
                figures[label] = {
                    "pages": pages,
                    "seconds": seconds,
                    "requests": report.requests,
                    "groups": {k: v["groups"] for k, v in report.languages.items()},
                }
    finally:
        site.stop()
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extra", type=int, default=5, help="level-2 pages per level-1 page")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.extra)))
        return
    output = subprocess.run(
        [sys.executable, __file__, "--child", "--extra", str(args.extra)], check=True, capture_output=True, text=True
    ).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    print(f"local TBS site: {figures['site_pages']} pages (EN + FR), two levels, rate limit lifted, SQLite")
    for label in ("first", "unchanged"):
        run = figures[label]
        print(
            f"{label:<10} {run['pages']} pages in {run['seconds']:.1f} s ({run['pages'] / run['seconds']:.0f} pages/s), "
            f"{run['requests']} requests, groups {run['groups']}"
        )
    print(f"peak RSS {figures['peak_rss_mb']:.0f} MB (scraper and the local server in one process)")


if __name__ == "__main__":
    main()
