"""The entity registry: every kind's form, prefix and existence check come from one registration."""

from __future__ import annotations

import re

import pytest

from jobforge.api.parameters import ENTITY_PATTERN
from jobforge.entities import KINDS, NOC, OASIS, ONET, PUBLIC_KINDS, ROLE, entity_kind, value_entity
from jobforge.errors import InvalidCodeError, NotFoundError


@pytest.mark.parametrize(
    ("code", "entity"),
    [
        ("15-1252.00", "onet:15-1252.00"),
        (" onet:15-1252.00 ", "onet:15-1252.00"),
        ("00010", "noc:00010"),
        ("noc:21232", "noc:21232"),
        ("21231.01", "oasis:21231.01"),
        ("oasis:21231.01", "oasis:21231.01"),
        ("role:42", "role:42"),
    ],
)
def test_a_code_names_its_entity_with_or_without_the_prefix(code, entity):
    assert value_entity(code) == entity
    assert entity_kind(entity).code_of(entity) == entity.split(":", 1)[1]


@pytest.mark.parametrize(
    "code",
    # the last three: Arabic-Indic digits, which \d takes and int() reads ('role:1٣' was role 13)
    ["15-1252", "onet:00010", "noc:15-1252.00", "1234", "42", "role:0", "role:x", "", "١٥-١٢٥٢.٠٠", "٢١٢٣٢", "role:1٣"],
)
def test_a_code_of_no_kind_is_refused_naming_every_public_form(code):
    """A role is named only with its prefix (a bare number is no code), and never offered as a form."""
    with pytest.raises(InvalidCodeError) as refused:
        value_entity(code)
    if ":" not in code or code.split(":")[0] not in KINDS:
        assert all(kind.form in str(refused.value) for kind in PUBLIC_KINDS.values())
        assert ROLE.form not in str(refused.value)


def test_the_api_pattern_accepts_exactly_what_the_registry_does():
    for text in ["15-1252.00", "onet:15-1252.00", "00010", "noc:00010", "21231.01", "oasis:21231.01"]:
        assert any(re.fullmatch(part.strip("^$"), text) for part in ENTITY_PATTERN.split("|"))
    for text in ["onet:00010", "15-1252", "x:00010", "role:42", "42"]:  # a role is not public data
        assert not any(re.fullmatch(part.strip("^$"), text) for part in ENTITY_PATTERN.split("|"))


def test_existence_is_checked_in_each_kinds_table(canada_kb):
    with canada_kb.engine.connect() as connection:
        assert ONET.exists(connection, "29-1141.00") and not ONET.exists(connection, "99-9999.99")
        assert NOC.exists(connection, "21232") and OASIS.exists(connection, "21232.00")
        with pytest.raises(NotFoundError, match="no NOC unit group 99999"):
            NOC.require(connection, "99999")
