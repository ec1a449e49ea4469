"""The changes that call for enrichment enqueue it here, inside their own transaction."""

from __future__ import annotations

from sqlalchemy import Connection

from jobforge.jobs import queue
from jobforge.provenance import loads


def enqueue_enrichment(connection: Connection, codes: list[str] | None, because: str) -> bool:
    """An `enrich` job for `codes` (None: every occupation lacking ratings), keyed by the live
    O*NET load run, so that the same need is queued once per release."""
    live = loads.live_run(connection, "onet")
    if live is None:
        return False
    target = ",".join(sorted(codes)) if codes else "missing"
    payload = {"codes": sorted(codes), "because": because} if codes else {"scope": "missing", "because": because}
    return queue.enqueue(connection, "enrich", f"enrich:{target[:150]}:run{live.id}", payload)
