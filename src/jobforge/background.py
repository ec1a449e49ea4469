"""Running a producer on a background thread so CPU work overlaps the database's I/O waits."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")
_DONE = object()


def in_background(items: Iterator[T], depth: int = 2) -> Iterator[T]:
    """Yield what `items` yields, computing up to `depth` items ahead on another thread.

    Drivers release the GIL while they wait on the server, so parsing the next batch proceeds
    while the current one is being written. An exception in the producer is re-raised here, in
    the consumer; a consumer that stops early (an error of its own) stops the producer too.
    """
    channel: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                if not _put(channel, (item, None), stop):
                    return
            _put(channel, (_DONE, None), stop)
        except BaseException as error:  # handed to the consumer, which re-raises it
            _put(channel, (_DONE, error), stop)

    worker = threading.Thread(target=produce, name="jobforge-producer", daemon=True)
    worker.start()
    try:
        while True:
            item, error = channel.get()
            if error is not None:
                raise error
            if item is _DONE:
                return
            yield item
    finally:
        stop.set()
        worker.join()


def _put(channel: queue.Queue, entry: tuple, stop: threading.Event) -> bool:
    while not stop.is_set():
        try:
            channel.put(entry, timeout=0.1)
            return True
        except queue.Full:
            continue
    return False
