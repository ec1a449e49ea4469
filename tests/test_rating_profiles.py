"""The in-memory rating profiles of a server: never a reader queued behind their rebuild."""

from __future__ import annotations

import time

import pytest

from jobforge.provenance.sources import SourceKind
from tests.conftest import CHIEF

READING = ("skills", "LV")


def level(snapshot, code: str = CHIEF) -> float:
    return snapshot.ratings[(code, *READING)]["2.A.1.a"].data_value


def test_a_server_answers_fresh_from_the_occupations_asked_while_the_whole_snapshot_rebuilds(kb, sample_zip):
    kb.onet.load(sample_zip)
    profiles = kb.careers.profiles
    profiles.serve_previous_while_building = True
    before = profiles.current()
    published = level(before)
    kb.values.set_value(CHIEF, "skills/2.A.1.a/LV", 6.5, kind=SourceKind.AUTHORITATIVE, confidence=0.9, actor="analyst")

    asked = profiles.of([CHIEF])  # a skill gap: only what it names, read now
    assert level(asked) == 6.5 and asked is not before and CHIEF in asked.titles
    deadline = time.monotonic() + 30
    while profiles.current() is before and time.monotonic() < deadline:  # transitions: the previous one meanwhile
        time.sleep(0.02)
    rebuilt = profiles.current()
    assert rebuilt is not before and level(rebuilt) == 6.5 and published != 6.5
    assert profiles.of([CHIEF]) is rebuilt  # current again: the whole snapshot serves


def test_a_one_off_caller_waits_for_the_rebuild(kb, sample_zip):
    kb.onet.load(sample_zip)
    profiles = kb.careers.profiles
    before = profiles.current()
    kb.values.set_value(CHIEF, "skills/2.A.1.a/LV", 6.5, kind=SourceKind.AUTHORITATIVE, confidence=0.9, actor="analyst")
    after = profiles.current()
    assert after is not before and level(after) == 6.5


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")  # the failure, re-raised there
def test_a_rebuild_that_fails_is_not_hidden_behind_the_previous_snapshot(kb, sample_zip, monkeypatch):
    kb.onet.load(sample_zip)
    profiles = kb.careers.profiles
    profiles.serve_previous_while_building = True
    before = profiles.current()
    kb.values.set_value(CHIEF, "skills/2.A.1.a/LV", 6.5, kind=SourceKind.AUTHORITATIVE, confidence=0.9, actor="analyst")

    def unreadable(*_args, **_kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(profiles, "_build", unreadable)
    assert profiles.current() is before  # the rebuild starts beside, and fails there
    deadline = time.monotonic() + 30
    while profiles._snapshot is not None and time.monotonic() < deadline:
        time.sleep(0.02)
    with pytest.raises(RuntimeError, match="went away"):  # the next reader is told, not served the old one
        profiles.current()
