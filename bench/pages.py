"""Benchmark: the web pages' server time on the full bundled data (O*NET 29.3, NOC, OaSIS, crosswalk).

Loads the bundled data into a new SQLite file (or uses --db, already loaded), adds an organisation
with an admin token and a role approved as Registered Nurses with a few overrides, then requests
every page in process (TestClient: server time without the network) --repeat times and prints
the median and 95th percentile and the bytes of each page.

    targets: every page p50 ≤ 50 ms; the occupation page under 300 KB

    python bench/pages.py [--repeat 30] [--db URL]
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from jobforge import KnowledgeBase
from jobforge.api import create_app
from jobforge.roles.access import Access, Caller
from jobforge.roles.models import RoleIn

PAGES = (
    "/",
    "/search?q=software+developer",
    "/occupation/15-1252.00",
    "/occupation/29-1141.00",
    "/occupation/29-1141.00/provenance",
    "/occupation/29-1141.00/provenance?attribute=skills/2.A.1.a/LV",
    "/unit-group/21231",
    "/tbs-groups",
    "/data/coverage",
    "/gap?from=29-1141.00&to=11-9111.00",
    "/gap.csv?from=29-1141.00&to=11-9111.00",
    "/careers/29-1141.00",
    "/coding",
    "/admin/roles",
    "/admin/roles/{role}",
    "/admin/review",
    "/admin/audit",
    "/admin/tokens",
)


def prepared(url: str | None, folder: Path) -> tuple[KnowledgeBase, str, int]:
    kb = KnowledgeBase(url or f"sqlite:///{folder / 'pages.db'}")
    if url is None:
        kb.upgrade()
        kb.onet.load_bundled()
        kb.canada.load_bundled()
    slug = f"bench{int(time.time())}"
    kb.roles.create_organisation(slug, "Bench")
    token, _ = kb.roles.tokens.create(slug, "bench", "admin", "bench")
    admin = Caller(slug, Access.ADMIN, "bench")
    role = kb.roles.create(admin, RoleIn(title="Charge Nurse", initial_code="29-1141.00"))
    initial = next(s for s in kb.roles.suggestions(admin, role.id) if s.method == "initial")
    kb.roles.approve(admin, role.id, initial.id, "bench")
    for attribute, value in (("description", "Leads a ward."), ("skills/2.A.1.a/LV", 5.0), ("job_zone", 4.0)):
        kb.roles.override(admin, role.id, attribute, value, "bench")
    return kb, token, role.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--db", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        kb, token, role = prepared(args.db, Path(folder))
        print(f"data ready in {time.perf_counter() - started:.1f} s; role {role}")
        with TestClient(create_app(kb), headers={"Accept": "text/html"}) as client:
            csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/admin/sign-in").text).group(1)  # type: ignore[union-attr]
            client.post("/admin/sign-in", data={"csrf": csrf, "token": token})
            print(f"{'page':58} {'p50 ms':>8} {'p95 ms':>8} {'KB':>7}")
            worst = 0.0
            for path in PAGES:
                path = path.format(role=role)
                answer = client.get(path)
                assert answer.status_code == 200, (path, answer.status_code, answer.text[:300])
                times = []
                for _ in range(args.repeat):
                    began = time.perf_counter()
                    client.get(path)
                    times.append((time.perf_counter() - began) * 1000)
                times.sort()
                p50, p95 = statistics.median(times), times[int(len(times) * 0.95) - 1]
                worst = max(worst, p50)
                print(f"{path:58} {p50:8.1f} {p95:8.1f} {len(answer.content) / 1024:7.1f}")
            print(f"slowest page p50: {worst:.1f} ms (target ≤ 50)")


if __name__ == "__main__":
    main()
