"""What a long-lived process (the API server) does with the large structures it keeps."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


def settle() -> None:
    """Move what the process now holds for good (title indexes, rating profiles) out of the
    garbage collector's way. A full collection walks every tracked object: with the indexes'
    ~250,000 it stalled every request for about 250 ms, the tail of the API's latency under load.
    Called after a build is swapped in: what was frozen before is thawed and collected with the
    rest (the build it replaced may be held only by reference cycles), then what is live is frozen."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def yielding(rows: Iterable[T], every: int = 1000) -> Iterator[T]:
    """`rows`, letting other threads run every `every` of them: a build beside a server's readers
    holds the GIL for a second of pure Python otherwise, and every request waits behind it."""
    for position, row in enumerate(rows):
        if position % every == 0:
            time.sleep(0)
        yield row
