"""Concurrent writers lose no update; the served value is always the latest of the highest source."""

from __future__ import annotations

import threading
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobforge.provenance.sources import SourceKind
from jobforge.provenance.statements import Assertion, Source
from jobforge.provenance.write import write_values
from tests.conftest import BACKENDS

SERVER_BACKENDS = [backend for backend in ("postgresql", "mariadb") if backend in BACKENDS]
ENTITY, ATTRIBUTE = "onet:00-0000.00", "skills/2.A.1.a/LV"


@pytest.fixture(params=SERVER_BACKENDS)
def server_kb(request, tmp_path):
    from jobforge.store.databases import create_database, drop_database
    from tests.conftest import fresh_database_url, offline_kb

    url = fresh_database_url(request.param, tmp_path)
    create_database(url)
    kb = offline_kb(url)
    kb.upgrade()
    yield kb
    kb.engine.dispose()
    drop_database(url)


def test_two_concurrent_writers_on_one_value_lose_no_update(server_kb):
    kb = server_kb
    kb.values.write(Source(SourceKind.ONET, "release", "loader"), [Assertion(ENTITY, ATTRIBUTE, 1.0, 0.7)])
    first_wrote, release_first = threading.Event(), threading.Event()
    finished: dict[str, float] = {}
    failures: list[BaseException] = []

    def writer(name: str, value: float, hold: bool) -> None:
        try:
            with kb.engine.begin() as connection:
                write_values(
                    connection, Source(SourceKind.ONET, "edit", name), [Assertion(ENTITY, ATTRIBUTE, value, 0.8)]
                )
                if hold:  # keep the transaction open while the other writer tries
                    first_wrote.set()
                    release_first.wait(10)
            finished[name] = time.perf_counter()
        except BaseException as error:  # surfaced by the assertion below
            failures.append(error)

    a = threading.Thread(target=writer, args=("a", 2.0, True))
    a.start()
    assert first_wrote.wait(10)
    b = threading.Thread(target=writer, args=("b", 3.0, False))
    b.start()
    time.sleep(0.5)
    assert "b" not in finished  # b waits for a's lock on the entity
    released = time.perf_counter()
    release_first.set()
    a.join(10)
    b.join(10)

    assert not failures, failures
    assert finished["b"] >= released
    history = kb.values.history(ENTITY, ATTRIBUTE)
    assert [(h.value, h.status) for h in history] == [(1.0, "replaced"), (2.0, "replaced"), (3.0, "served")]
    events = kb.values.audit()
    # b decided against what a committed: its event starts from a's value, not the original.
    assert [(e.old_value, e.new_value, e.actor) for e in events] == [("1", "2", "a"), ("2", "3", "b")]


writes = st.lists(st.tuples(st.sampled_from(list(SourceKind)), st.integers(0, 50)), min_size=1, max_size=12)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=writes)
def test_served_value_is_the_latest_of_the_highest_source_seen(kb, sequence):
    attribute = f"prop/{id(sequence)}-{time.perf_counter_ns()}"
    for step, (kind, number) in enumerate(sequence, start=1):
        kb.values.write(Source(kind, "property", "hypothesis"), [Assertion(ENTITY, attribute, float(number), 0.5)])

        seen = sequence[:step]
        top = max(k.precedence for k, _ in seen)
        expected = [float(n) for k, n in seen if k.precedence == top][-1]
        served = kb.values.served(ENTITY, attribute_prefix=attribute)
        assert [(v.value, v.source_kind.precedence) for v in served] == [(expected, top)]
    # Each kind keeps exactly one live value, its latest.
    history = kb.values.history(ENTITY, attribute)
    live = [h for h in history if h.replaced_at is None]
    assert sorted(h.source_kind.precedence for h in live) == sorted({k.precedence for k, _ in sequence})
