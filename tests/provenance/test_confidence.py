"""The confidence rules behave as documented for any statistics O*NET could publish."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from jobforge.provenance.confidence import (
    UNMEASURED,
    count_confidence,
    rating_confidence,
    rating_confidences,
    sources_confidence,
)

sizes = st.one_of(st.none(), st.integers(min_value=1, max_value=5000))
values = st.floats(min_value=0, max_value=100, allow_nan=False)
ranges = st.sampled_from([4.0, 6.0, 7.0, 100.0])


@given(
    sizes,
    st.one_of(st.none(), values),
    st.one_of(st.none(), values),
    st.one_of(st.none(), values),
    st.one_of(st.none(), st.booleans()),
    st.one_of(st.none(), ranges),
)
def test_confidence_is_always_a_probability(n, se, low, high, suppress, scale_range):
    assert 0.0 <= rating_confidence(n, se, low, high, suppress, scale_range) <= 1.0


@given(sizes, values, st.floats(min_value=0, max_value=3), st.floats(min_value=0, max_value=3), ranges)
def test_wider_interval_never_raises_confidence(n, low, narrow, extra, scale_range):
    tight = rating_confidence(n, None, low, low + narrow, False, scale_range)
    loose = rating_confidence(n, None, low, low + narrow + extra, False, scale_range)
    assert loose <= tight


@given(sizes, st.floats(min_value=0, max_value=1), ranges)
def test_suppression_halves_confidence(n, se, scale_range):
    plain = rating_confidence(n, se, None, None, False, scale_range)
    flagged = rating_confidence(n, se, None, None, True, scale_range)
    assert abs(flagged - plain / 2) <= 0.001


def test_documented_examples():
    # Eight analysts in full agreement: no spread, sample weight 8/10.
    assert rating_confidence(8, 0.0, 3.0, 3.0, False, 7.0) == 0.8
    # CI 4.27-4.98 on the 0-7 level scale with 8 raters: (1 - 0.7172/7) * 0.8.
    assert rating_confidence(8, 0.183, 4.2664, 4.9836, False, 7.0) == round((1 - 0.7172 / 7) * 0.8, 3)
    # Only a standard error: the 95% interval is reconstructed as 2 * 1.96 * SE.
    assert rating_confidence(28, 0.1, None, None, False, 4.0) == round((1 - 0.392 / 4) * 28 / 30, 3)
    # No statistics at all (Interests, Work Values).
    assert rating_confidence(None, None, None, None, None, 6.0) == UNMEASURED
    assert count_confidence(95) == round(95 / 97, 3) and count_confidence(None) == UNMEASURED
    assert sources_confidence("08") == 0.75 and sources_confidence("04,06") == 0.875


def test_batch_rule_matches_the_single_rule_and_tolerates_missing_columns():
    columns = {
        "scale_id": ["LV", "IM", "LV"],
        "sample_size": [8, 28, None],
        "lower_ci_bound": [1.0, 2.0, None],
        "upper_ci_bound": [2.0, 2.5, None],
    }
    expected = [
        rating_confidence(8, None, 1.0, 2.0, None, 7.0),
        rating_confidence(28, None, 2.0, 2.5, None, 4.0),
        rating_confidence(None, None, None, None, None, 7.0),
    ]
    assert rating_confidences(columns, {"LV": 7.0, "IM": 4.0}) == expected
