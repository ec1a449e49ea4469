"""What a long-lived process (the API server) does with the large structures it keeps."""

from __future__ import annotations

import gc
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Iterator
from typing import Generic, TypeVar

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


class BuildsBeside:
    """Rebuilds that run in a thread of their own while the caller goes on serving what it holds:
    one at a time per key; the result goes to `swap`, then the process settles. A build that fails
    calls `failed` (the caller drops what it holds, so that its next call builds in its own thread
    and raises to its caller instead of serving the old result for ever) and is re-raised."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: set[Hashable] = set()

    def start(
        self, key: Hashable, name: str, build: Callable[[], T], swap: Callable[[T], None], failed: Callable[[], None]
    ) -> None:
        with self._lock:
            if key in self._running:
                return
            self._running.add(key)

        def run() -> None:
            try:
                swap(build())
                settle()
            except Exception:
                failed()
                raise
            finally:
                with self._lock:
                    self._running.discard(key)

        threading.Thread(target=run, name=name, daemon=True).start()


class AnswersAtVersion(Generic[T]):
    """The last `size` answers computed, each good for as long as the data version it was
    computed at is current: a server asked again and again for the same occupations answers from
    here at the cost of one version check, and any write (a load, an edit, an imputation)
    invalidates everything at once, because the version moves on.

    Keyed by the version read *before* computing, so an answer that saw a newer write is at worst
    recomputed, never served for a version it does not reflect."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._answers: OrderedDict[Hashable, T] = OrderedDict()
        self._version: Hashable = None
        self._lock = threading.Lock()

    def get(self, version: Hashable, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if version != self._version:
                self._answers.clear()
                self._version = version
            elif key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key]
        answer = compute()
        with self._lock:
            if version == self._version:  # else a newer version came meanwhile: keep its answers
                self._answers[key] = answer
                while len(self._answers) > self.size:
                    self._answers.popitem(last=False)
        return answer
