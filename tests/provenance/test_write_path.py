"""The precedence write path: who wins, what is kept, what is logged, and that failures leave nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import product

import pytest
from sqlalchemy import func, select

from jobforge.errors import InputError, NotFoundError
from jobforge.knowledge_base import KnowledgeBase
from jobforge.provenance.read import ValueFilter
from jobforge.provenance.sources import SourceKind
from jobforge.provenance.statements import Assertion, Source
from jobforge.provenance.value_tables import AttributeValue, OverrideEvent, ValueSource
from jobforge.provenance.write import write_values

KINDS = list(SourceKind)


def source(kind: SourceKind, actor: str = "test") -> Source:
    return Source(kind, "test write", actor)


def counts(kb) -> tuple[int, int, int]:
    with kb.engine.connect() as connection:
        return tuple(
            connection.scalar(select(func.count()).select_from(table))
            for table in (AttributeValue, OverrideEvent, ValueSource)
        )


def test_every_ordered_pair_of_sources_follows_the_precedence_table(kb):
    for first, second in product(KINDS, KINDS):
        attribute = f"skills/{first.value}-then-{second.value}/LV"
        kb.values.write(source(first, "first"), [Assertion("onet:00-0000.00", attribute, 1.0, 0.5)])
        report = kb.values.write(source(second, "second"), [Assertion("onet:00-0000.00", attribute, 2.0, 0.6)])

        served = kb.values.served("00-0000.00", attribute_prefix=attribute)
        history = kb.values.history("00-0000.00", attribute)
        events = [e for e in kb.values.audit(code="00-0000.00") if e.attribute == attribute]
        if second.precedence >= first.precedence:
            assert served[0].value == 2.0 and served[0].source_kind == second, (first, second)
            assert report.overrides == 1 and report.candidates == 0
            assert len(events) == 1
            event = events[0]
            assert (event.old_value, event.new_value) == ("1", "2")
            assert (event.old_source_kind, event.new_source_kind) == (first.value, second.value)
            assert (event.old_confidence, event.new_confidence) == (0.5, 0.6) and event.actor == "second"
        else:
            assert served[0].value == 1.0 and served[0].source_kind == first, (first, second)
            assert report.candidates == 1 and report.overrides == 0 and events == []
        # Nothing is discarded: both values are on record, whatever won.
        assert sorted(entry.value for entry in history) == [1.0, 2.0]
        statuses = {entry.value: entry.status for entry in history}
        if first == second:
            assert statuses == {1.0: "replaced", 2.0: "served"}
        elif second.precedence > first.precedence:
            assert statuses == {1.0: "candidate", 2.0: "served"}
        else:
            assert statuses == {1.0: "served", 2.0: "candidate"}


def test_asserting_what_a_source_holds_writes_nothing(kb):
    batch = [Assertion("onet:00-0000.00", f"skills/e{i}/LV", float(i), 0.7) for i in range(50)]
    kb.values.write(source(SourceKind.ONET), batch)
    before = counts(kb)

    report = kb.values.write(source(SourceKind.ONET), batch)

    assert report.unchanged == 50 and report.added == report.overrides == 0
    assert counts(kb) == before  # not even a value_source row


def test_a_changed_confidence_is_a_new_value(kb):
    kb.values.write(source(SourceKind.ONET), [Assertion("onet:00-0000.00", "job_zone", 3.0, 0.7)])
    report = kb.values.write(source(SourceKind.ONET), [Assertion("onet:00-0000.00", "job_zone", 3.0, 0.9)])

    assert report.overrides == 1
    assert kb.values.served("00-0000.00")[0].confidence == 0.9


def test_filters_reach_candidates_below_the_served_value(kb):
    entity, attribute = "onet:00-0000.00", "skills/2.A.1.a/LV"
    kb.values.write(source(SourceKind.IMPUTED), [Assertion(entity, attribute, 3.0, 0.95)])
    kb.values.write(source(SourceKind.ONET), [Assertion(entity, attribute, 4.0, 0.6)])
    kb.values.write(source(SourceKind.AUTHORITATIVE), [Assertion(entity, attribute, 5.0, 0.4)])

    def served(**kwargs):
        values = kb.values.served(entity, ValueFilter(**kwargs))
        return [(v.value, v.source_kind.value) for v in values]

    assert served() == [(5.0, "authoritative")]
    assert served(sources=frozenset({SourceKind.ONET})) == [(4.0, "onet")]
    assert served(sources=frozenset({SourceKind.ONET, SourceKind.IMPUTED})) == [(4.0, "onet")]
    assert served(min_confidence=0.5) == [(4.0, "onet")]
    assert served(min_confidence=0.9) == [(3.0, "imputed")]
    assert served(min_confidence=0.99) == []


def test_an_attribute_prefix_matches_case_and_all_on_every_backend_and_one_no_key_has_is_refused(kb):
    """SQLite's LIKE ignores ASCII case, so 'skills/2.a' once found skills/2.A.1.a/LV there alone.
    A prefix no entity holds is a misspelling, said, where an empty answer would pass it off as
    the entity having none; one other entities hold is an answer: none here. Spaces around a key
    are no part of it (MariaDB alone ignored the trailing ones)."""
    entity = "onet:00-0000.00"
    kb.values.write(source(SourceKind.ONET), [Assertion(entity, "skills/2.A.1.a/LV", 4.0, 0.6)])
    kb.values.write(source(SourceKind.ONET), [Assertion("onet:00-0000.01", "knowledge/2.C.1.a/LV", 3.0, 0.6)])

    assert [v.attribute for v in kb.values.served(entity, None, "skills/2.A")] == ["skills/2.A.1.a/LV"]
    with pytest.raises(
        NotFoundError, match=r"'skills/2.a': no attribute .* those of skills are written like skills/2.A"
    ):
        kb.values.served(entity, None, "skills/2.a")
    with pytest.raises(NotFoundError, match=r"'skils': no attribute .* \(did you mean 'skills'\?\); they start with k"):
        kb.values.served(entity, None, "skils")
    with pytest.raises(InputError, match="an empty prefix; leave it out to have every attribute"):
        kb.values.served(entity, None, " ")
    assert kb.values.served(entity, None, "knowledge/") == []
    assert [v.attribute for v in kb.values.served(entity, None, " skills/2.A.1.a/LV ")] == ["skills/2.A.1.a/LV"]
    assert len(kb.values.history(entity, "skills/2.A.1.a/LV ")) == 1


def test_as_of_answers_with_the_value_served_at_that_moment(kb):
    entity, attribute = "onet:00-0000.00", "job_zone"
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    moments = [t0 + timedelta(days=d) for d in (1, 2, 3)]
    with kb.engine.begin() as connection:
        write_values(connection, source(SourceKind.ONET), [Assertion(entity, attribute, 2.0, 0.7)], now=moments[0])
        write_values(
            connection, source(SourceKind.AUTHORITATIVE), [Assertion(entity, attribute, 4.0, 0.9)], now=moments[1]
        )
        write_values(connection, source(SourceKind.ONET), [Assertion(entity, attribute, 3.0, 0.7)], now=moments[2])

    def at(moment):
        values = kb.values.served(entity, ValueFilter(as_of=moment))
        return [v.value for v in values]

    assert at(t0) == []
    assert at(moments[0] + timedelta(hours=1)) == [2.0]
    assert at(moments[1] + timedelta(hours=1)) == [4.0]
    assert at(moments[2] + timedelta(hours=1)) == [4.0]  # O*NET's newer value is a candidate
    onet_then = kb.values.served(
        entity, ValueFilter(as_of=moments[1] + timedelta(hours=1), sources=frozenset({SourceKind.ONET}))
    )
    assert [v.value for v in onet_then] == [2.0]
    assert [v.value for v in kb.values.served(entity, ValueFilter(sources=frozenset({SourceKind.ONET})))] == [3.0]


def test_a_failure_mid_batch_leaves_nothing_written(kb):
    first = [Assertion(f"onet:00-0000.{i:02d}", "job_zone", 1.0, 0.7) for i in range(100)] + [
        Assertion(f"noc:{i:05d}", "job_zone", 1.0, 0.7) for i in range(1000)
    ]
    kb.values.write(source(SourceKind.ONET), first)
    before = counts(kb)
    # A load writes file after file in one transaction: here the first write replaces all 1,100
    # values (three chunks, events included) before the second one meets a bad value.
    replacing = [Assertion(a.entity, a.attribute, 2.0, 0.8) for a in first]
    second = [Assertion(f"noc:{i:05d}", "title", "x", 0.9) for i in range(20)]
    second[15] = Assertion(second[15].entity, "title", "x", 1.5)

    with pytest.raises(InputError, match=r"value 16 \('noc:00015', 'title'\): confidence 1.5"):
        with kb.engine.begin() as connection:
            assert write_values(connection, source(SourceKind.AUTHORITATIVE), replacing).overrides == 1100
            write_values(connection, source(SourceKind.AUTHORITATIVE), second)

    assert counts(kb) == before
    with kb.engine.connect() as connection:
        assert connection.scalar(select(func.count()).where(AttributeValue.replaced_at.is_not(None))) == 0
    assert {v.value for v in kb.values.served("noc:00003")} == {1.0}


@pytest.mark.parametrize(
    "bad, problem",
    [
        (Assertion("", "a", 1.0, 0.5), "entity must be"),
        (Assertion("onet:x", "", 1.0, 0.5), "attribute must be"),
        (Assertion("onet:x", "a", float("nan"), 0.5), "not a finite number"),
        (Assertion("onet:x", "a", None, 0.5), "a number or text"),
        (Assertion("onet:x", "a", 1.0, -0.1), "outside"),
    ],
)
def test_malformed_values_are_refused_with_their_place(bad, problem, tmp_path):
    kb = KnowledgeBase(f"sqlite:///{tmp_path / 'v.db'}")
    kb.upgrade()
    with pytest.raises(InputError, match=problem) as error:
        kb.values.write(source(SourceKind.ONET), [Assertion("onet:ok", "a", 1.0, 0.5), bad])
    assert "value 2" in str(error.value)
    assert counts(kb) == (0, 0, 0)


def test_one_attribute_twice_in_one_write_is_refused(tmp_path):
    kb = KnowledgeBase(f"sqlite:///{tmp_path / 'v.db'}")
    kb.upgrade()
    twice = [Assertion("onet:x", "a", 1.0, 0.5), Assertion("onet:x", "a", 2.0, 0.5)]
    with pytest.raises(InputError, match="asserted twice"):
        kb.values.write(source(SourceKind.ONET), twice)


@pytest.mark.parametrize(
    "attribute, value, problem",
    [
        ("skills/2.A.1.a/LV", 99.0, r"onet:11-1011.00: skills/2.A.1.a/LV is a rating on 0–7, not 99.0"),
        ("skills/2.A.1.a/IM", 0.5, r"is a rating on 1–5, not 0.5"),
        ("job_zone", 9.0, r"job_zone is one of 1, 2, 3, 4, 5, not 9.0"),
        ("title", "  ", r"a text value must be 1 to 20,000 characters, not blank"),
        ("title", 5.0, r"onet:11-1011.00: title takes a text, not 5.0"),
        ("skills/2.A.1.a/LV", "high", r"skills/2.A.1.a/LV takes a number, not 'high'"),
    ],
)
def test_a_value_set_by_hand_outside_what_its_attribute_holds_is_refused(sample_kb, attribute, value, problem):
    """A 99 on a 0–7 scale set by hand would be served above O*NET's rating and skew every profile."""
    before = sample_kb.values.history("11-1011.00", attribute)

    with pytest.raises(InputError, match=problem):
        sample_kb.values.set_value("11-1011.00", attribute, value, kind=SourceKind.AUTHORITATIVE, confidence=0.9,
                                   actor="analyst")  # fmt: skip

    assert sample_kb.values.history("11-1011.00", attribute) == before


def test_a_source_described_beyond_its_columns_is_refused_on_every_backend(kb):
    """PostgreSQL and MariaDB refused these with a driver traceback; SQLite kept them."""
    described = {
        "method": ("m" * 81, "the source's method is 81 characters; at most 80"),
        "actor": ("a" * 121, "the source's actor is 121 characters; at most 120"),
        "model": ("x" * 121, "the source's model is 121 characters; at most 120"),
        "prompt_hash": ("xyz", "the source's prompt hash 'xyz' is not a SHA-256"),
    }
    for field, (text, problem) in described.items():
        wrong = replace(Source(SourceKind.IMPUTED, "test write", "test"), **{field: text})
        with pytest.raises(InputError, match=problem):
            kb.values.write(wrong, [Assertion("onet:x", "a", 1.0, 0.5)])
    assert counts(kb) == (0, 0, 0)
    right = Source(SourceKind.IMPUTED, "m" * 80, "a" * 120, model="x" * 120, prompt_hash="ab" * 32)
    assert kb.values.write(right, [Assertion("onet:x", "a", 1.0, 0.5)]).added == 1


def test_texts_of_the_longest_length_allowed_fit_on_every_backend(kb):
    """20,000 characters of four UTF-8 bytes each: more than MariaDB's TEXT holds (64 KB)."""
    text = "😀" * 20_000
    kb.values.write(source(SourceKind.CUSTOM), [Assertion("onet:x", "description", text, 0.5, rationale=text)])
    kb.values.write(source(SourceKind.CUSTOM), [Assertion("onet:x", "description", "é" + text[1:], 0.5)])
    with kb.engine.connect() as connection:
        kept = connection.execute(
            select(AttributeValue.value_text, AttributeValue.rationale).order_by(AttributeValue.id)
        ).all()
    assert [tuple(row) for row in kept] == [(text, text), ("é" + text[1:], None)]
