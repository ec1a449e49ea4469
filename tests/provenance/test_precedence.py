"""The one precedence rule: the highest kind wins within an entity; a nearer entity of a scope wins over a farther one."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jobforge.provenance.attributes import AttributeKey
from jobforge.provenance.precedence import highest, in_scope, onet_statistics_apply
from jobforge.provenance.sources import SourceKind


def test_highest_precedence_wins_and_the_first_among_equals():
    assert highest(
        [("a", 1, "imputed"), ("a", 3, "authoritative"), ("a", 2, "onet"), ("b", 2, "x"), ("b", 2, "y")]
    ) == {"a": "authoritative", "b": "x"}


@given(st.lists(st.tuples(st.sampled_from("abc"), st.integers(1, 3), st.integers())))
def test_highest_is_the_maximum_per_key(candidates):
    chosen = highest(candidates)
    for key, item in chosen.items():
        best = max(precedence for k, precedence, _ in candidates if k == key)
        assert (key, best, item) in candidates


def test_a_nearer_entity_of_the_scope_wins_whatever_its_kind():
    served = {
        ("role:1", "skills/2.A.1.a/LV"): "custom",
        ("onet:15-1252.00", "skills/2.A.1.a/LV"): "onet",
        ("onet:15-1252.00", "skills/2.A.1.b/LV"): "inherited",
        ("onet:11-1011.00", "title"): "elsewhere",
    }
    resolved = in_scope(served, ["role:1", "onet:15-1252.00"])
    assert resolved == {
        "skills/2.A.1.a/LV": ("role:1", "custom"),
        "skills/2.A.1.b/LV": ("onet:15-1252.00", "inherited"),
    }


def test_o_net_statistics_go_only_with_o_net_s_own_number():
    assert onet_statistics_apply(SourceKind.ONET.value, 4.5, 4.5)
    assert not onet_statistics_apply(SourceKind.ONET.value, 4.6, 4.5)
    assert not onet_statistics_apply(SourceKind.AUTHORITATIVE.value, 4.5, 4.5)


def test_attribute_keys_round_trip():
    rating = AttributeKey.parse(AttributeKey.rating("education_training_experience", "2.D.1", "RL", 3))
    assert (rating.domain, rating.element, rating.scale, rating.category) == (
        "education_training_experience",
        "2.D.1",
        "RL",
        3,
    )
    plain = AttributeKey.parse("skills/2.A.1.a/LV")
    assert plain.is_uncategorised_rating and not rating.is_uncategorised_rating
    level = AttributeKey.parse(AttributeKey.descriptor("skills", "Sales/Marketing"))
    assert level.domain == "skills" and level.tail == "Sales/Marketing"
    assert AttributeKey.parse("title") == AttributeKey("title")
