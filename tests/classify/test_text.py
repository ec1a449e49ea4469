"""Title normalization: what is ignored on the query side is ignored in the index too."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from jobforge.classify.text import normalize, words

LATIN_LETTER_OR_DIGIT = re.compile("[0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff]")


def test_abbreviations_expand_to_the_words_occupations_use():
    assert normalize("Sr. Data Eng.") == "data engineer"
    assert normalize("Asst Mgr") == "assistant manager"
    assert normalize("LPN") == "licensed practical nurse"


def test_initials_written_with_dots_are_the_abbreviation_written_without():
    """'L.P.N.' was 'p n' (its 'l' and the 'a' of 'C.N.A.' read as one-letter words and dropped)."""
    for dotted, plain in (
        ("R.N.", "RN"),
        ("L.P.N", "LPN"),
        ("C.N.A. - nights", "CNA"),
        ("Nurse (R.P.N.)", "Nurse RPN"),
    ):
        assert normalize(dotted) == normalize(plain)
    assert normalize("U.S. Army Officer") == "us army officer"
    assert normalize("J. Smith, Ph.D. Chemist") == "j smith ph chemist"  # one initial, or a word, is not an initialism


def test_shift_and_seniority_words_are_dropped_but_a_title_never_vanishes():
    assert normalize("RN - ICU nights") == "registered nurse intensive care unit"
    assert normalize("Senior Accountant II") == "accountant"
    assert normalize("Senior") == "senior"


def test_accents_case_and_french_feminine_forms_meet_the_masculine():
    assert (
        normalize("Technicienne en informatique")
        == normalize("TECHNICIEN EN INFORMATIQUE")
        == "technicien informatique"
    )
    assert normalize("Ingénieure") == normalize("ingenieure")
    assert normalize("Technicien(ne)s de réseau") == "technicien reseau"
    assert normalize("programmeuse") == normalize("programmeur")


def test_plurals_are_singular_without_merging_ss_words():
    assert normalize("Nurses") == "nurse"
    assert normalize("Secretaries") == "secretary"
    assert normalize("Glass Press Operator") == "glass press operator"


@given(
    st.lists(
        st.sampled_from(["civil", "engineer", "Sr.", "data", "Nurse", "technicienne", "of", "ICU"]),
        min_size=1,
        max_size=5,
    )
)
def test_word_order_changes_only_the_order_of_the_words(tokens):
    assert sorted(words(" ".join(tokens))) == sorted(words(" ".join(reversed(tokens))))


@given(st.text(alphabet=st.characters(codec="latin-1"), min_size=1, max_size=30))
def test_every_title_with_a_latin_letter_or_digit_keeps_a_word(title):
    """O*NET and NOC titles are in Latin script: none that has such a letter may normalize to nothing."""
    if LATIN_LETTER_OR_DIGIT.search(title):
        assert words(title)


def test_paired_gender_forms_count_once():
    assert normalize("tobacco farm foreman/woman") == "tobacco farm foreman"
    assert normalize("Autres agents financiers/agentes financières") == "autre agent financier agente financier"
