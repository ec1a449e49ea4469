"""Coded titles as spreadsheet rows: one row per candidate, one per title that could not be coded.

The coding page's CSV download and `jobforge classify --csv` write the same layout, so a file
coded either way opens the same in a spreadsheet."""

from __future__ import annotations

from collections.abc import Iterator

HEADER = ["title", "rank", "code", "occupation", "score", "evidence", "evidence_origin", "needs_review", "error"]


def rows(result: dict) -> Iterator[list]:
    """The rows of one answer of `TitleClassifiers.batch` (or `Classification.to_json`)."""
    if "error" in result:
        yield [result["title"], "", "", "", "", "", "", "", result["error"]]
        return
    for rank, candidate in enumerate(result["candidates"], start=1):
        evidence = candidate.get("evidence") or {}
        yield [
            result["title"], rank, candidate["code"], candidate["title"], candidate["score"],
            evidence.get("name", ""), evidence.get("origin", ""), result["needs_review"], "",
        ]  # fmt: skip
