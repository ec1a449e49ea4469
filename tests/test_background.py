"""The background producer hands over items in order, and errors from either side stop both."""

from __future__ import annotations

import threading
import time

import pytest

from jobforge.background import in_background


def test_items_arrive_in_order():
    assert list(in_background(iter(range(1000)), depth=3)) == list(range(1000))


def test_producer_error_is_raised_in_the_consumer_after_the_items_before_it():
    def produce():
        yield 1
        yield 2
        raise ValueError("file 3 is broken")

    received = []
    with pytest.raises(ValueError, match="file 3 is broken"):
        for item in in_background(produce()):
            received.append(item)
    assert received == [1, 2]


def test_consumer_that_stops_early_stops_the_producer():
    produced = []

    def produce():
        for number in range(10_000):
            produced.append(number)
            yield number

    with pytest.raises(RuntimeError):
        for item in in_background(produce(), depth=2):
            if item == 5:
                raise RuntimeError("database write failed")
    time.sleep(0.3)
    assert len(produced) < 20
    assert not [t for t in threading.enumerate() if t.name == "jobforge-producer"]
