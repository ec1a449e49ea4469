"""A role approved as a NOC unit group inherits its values, its OaSIS profiles' ratings and its
main duties and employment requirements, on every backend."""

from __future__ import annotations

from jobforge.roles.access import Access, Caller
from jobforge.roles.models import RoleIn

CALLER = Caller("noc-team", Access.ADMIN, "analyst")


def test_a_noc_role_inherits_its_oasis_profile_and_statements(canada_kb):
    roles = canada_kb.roles
    if "noc-team" not in [org["slug"] for org in roles.organisations()]:
        roles.create_organisation("noc-team", "Job architecture team")
    role = roles.create(CALLER, RoleIn(title="Analyste de données", language="fr", initial_code="noc:21232"),
                        suggest=False)  # fmt: skip
    [initial] = roles.suggestions(CALLER, role.id)
    assert initial.title and initial.code == "noc:21232"
    roles.approve(CALLER, role.id, initial.id, "unit group fits")

    fields = {field.attribute: field for field in roles.resolved(CALLER, role.id).fields}

    duties = fields["main_duties"]
    assert duties.value and duties.status == "inherited" and duties.source_kind == "authoritative"
    assert "main-duties_oasis-2023_v1.0.csv" in duties.citation
    assert fields["employment_requirements"].value
    oasis = [field for field in fields.values() if field.inherited_from == "oasis:21232.00"]
    assert oasis and all(field.source_kind == "authoritative" for field in oasis)
