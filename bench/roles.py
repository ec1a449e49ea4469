"""Benchmark: company roles at scale, on SQLite (or --db URL).

Over the bundled O*NET release, an organisation gets --roles roles (default 10,000), each approved
as one of the rated occupations and given --overrides overrides (default 20, written
by bulk overrides of every role at once). Then:

  read      kb.roles.resolved(role): every field resolved with provenance, p50/p95 over 300 roles   target p50 ≤ 10 ms
  api read  GET /roles/{id} in process (TestClient), p50/p95 over 300 roles
  bulk      one override on 1,000 roles, one transaction, median of 3                              target < 2 s
  approve   approving a code, then reading the role: its inherited fields are there at once
  import    kb.roles.import_roles of 1,000 and of 10,000 roles (real O*NET alternate titles), the title
            coder's proposals included (closest-name evidence only up to 1,000 candidates, as /classify)

The roles themselves are inserted in one statement (the setup; creating them one by one through
kb.roles.create is what the tests exercise), their overrides through kb.roles.bulk_override.

    python bench/roles.py [--roles 10000] [--overrides 20] [--db URL]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, select

from jobforge import KnowledgeBase
from jobforge.config import Settings
from jobforge.impute.matrix import read_ratings
from jobforge.roles.access import Access, Caller
from jobforge.roles.models import RoleIn
from jobforge.roles.tables import Organisation, Role
from jobforge.sources.onet.tables import AlternateTitle

BUNDLED = Path(__file__).resolve().parent.parent / "src/jobforge/data/db_29_3_text.zip"


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    return f"p50 {statistics.median(ordered) * 1000:.1f} ms, p95 {ordered[int(len(ordered) * 0.95)] * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--roles", type=int, default=10_000)
    parser.add_argument("--overrides", type=int, default=20)
    parser.add_argument("--db")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="jobforge-roles-")
    kb = KnowledgeBase(args.db or f"sqlite:///{folder}/roles.db", settings=Settings(onet_api_key=""))
    kb.upgrade()
    kb.onet.load(BUNDLED)
    kb.roles.create_organisation("bench", "Bench")
    caller = Caller("bench", Access.ADMIN, "bench")
    with kb.engine.connect() as connection:
        ratings = read_ratings(connection, ["skills"])
    matrix = ratings.matrices[("skills", "LV")]
    rated = [code for code, is_rated in zip(matrix.codes, matrix.rated) if is_rated]
    attributes = [f"skills/{element}/LV" for element in matrix.elements[: args.overrides]]

    started = time.perf_counter()
    now = datetime.now(UTC)
    with kb.engine.begin() as connection:
        org_id = connection.scalar(select(Organisation.id).where(Organisation.slug == "bench"))
        rows = [
            dict(organisation_id=org_id, title=f"Role {i}", description="", family=f"family {i % 40}", unit=None,
                 level=None, language="en", initial_code=None, approved_code=f"onet:{rated[i % len(rated)]}",
                 status="active", version=1, created_at=now, updated_at=now)
            for i in range(args.roles)
        ]  # fmt: skip
        for start in range(0, len(rows), 5000):
            connection.execute(insert(Role), rows[start : start + 5000])
        ids = list(connection.execute(select(Role.id).where(Role.organisation_id == org_id)).scalars())
    print(f"setup: {args.roles:,} roles inserted in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    for position, attribute in enumerate(attributes):
        kb.roles.bulk_override(caller, ids, attribute, round(1 + position * 0.25, 2), "bench")
    print(f"setup: {len(ids) * len(attributes):,} overrides by {len(attributes)} bulk overrides of "
          f"{len(ids):,} roles in {time.perf_counter() - started:.1f} s")  # fmt: skip

    sampled = random.Random(7).sample(ids, 300)
    kb.roles.resolved(caller, sampled[0])
    reads = []
    for role_id in sampled:
        began = time.perf_counter()
        resolved = kb.roles.resolved(caller, role_id)
        reads.append(time.perf_counter() - began)
    custom = sum(field.status == "custom" for field in resolved.fields)
    print(f"read (library): {percentiles(reads)}; {len(resolved.fields)} fields, {custom} custom   target p50 ≤ 10 ms")

    from fastapi.testclient import TestClient

    from jobforge.api import create_app

    token = kb.roles.tokens.create("bench", "bench", "viewer", "bench")[0]
    with TestClient(create_app(kb)) as client:
        headers = {"Authorization": f"Bearer {token}"}
        client.get(f"/roles/{sampled[0]}", headers=headers)
        http = []
        for role_id in sampled:
            began = time.perf_counter()
            assert client.get(f"/roles/{role_id}", headers=headers).status_code == 200
            http.append(time.perf_counter() - began)
    print(f"read (GET /roles/{{id}}, in process): {percentiles(http)}")

    bulk = []
    extra = [f"skills/{element}/LV" for element in matrix.elements[args.overrides : args.overrides + 3]]
    for attribute in extra or attributes[:3]:
        chosen = random.Random(attribute).sample(ids, min(1000, len(ids)))
        began = time.perf_counter()
        report = kb.roles.bulk_override(caller, chosen, attribute, 6.0, "bench bulk")
        bulk.append(time.perf_counter() - began)
    print(f"bulk override of {report.roles:,} roles: median {statistics.median(bulk):.2f} s "
          f"(range {min(bulk):.2f}–{max(bulk):.2f})   target < 2 s")  # fmt: skip

    role = kb.roles.create(caller, RoleIn(title="Charge Nurse", initial_code="29-1141.00"), suggest=False)
    began = time.perf_counter()
    kb.roles.approve(caller, role.id, kb.roles.suggestions(caller, role.id)[0].id, "bench")
    inherited = [f for f in kb.roles.resolved(caller, role.id).fields if f.status == "inherited"]
    print(
        f"approve, then read: {len(inherited)} inherited fields visible in {(time.perf_counter() - began) * 1000:.0f} ms"
    )

    with kb.engine.connect() as connection:
        titles = list(connection.scalars(select(AlternateTitle.title).order_by(AlternateTitle.id).limit(10_000)))
    kb.classify(["warm up"], "onet", 3, False)  # the title index is built once, not timed
    for size in (1_000, 10_000):
        wanted = [RoleIn(title=titles[i % len(titles)], family="Bench") for i in range(size)]
        began = time.perf_counter()
        report = kb.roles.import_roles(caller, wanted)
        print(f"import of {report.created:,} roles with the title coder's {report.suggestions:,} proposals: "
              f"{time.perf_counter() - began:.1f} s")  # fmt: skip


if __name__ == "__main__":
    main()
