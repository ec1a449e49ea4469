"""An O*NET reload that changes a value a role overrides flags "update available", on every backend."""

from __future__ import annotations

from tests.roles.conftest import ADMIN, EDITOR, nurse

SKILL = "skills/2.A.1.a/LV"
LINE = "29-1141.00\t2.A.1.a\tReading Comprehension\tLV\t4.25\t"


def test_a_reload_with_a_changed_value_flags_the_overridden_field(kb, sample_release):
    kb.onet.load(sample_release)
    kb.roles.create_organisation("acme", "Acme")
    role = nurse(kb)
    kb.roles.override(EDITOR, role, SKILL, 6.0, "research")
    kb.roles.override(EDITOR, role, "skills/2.A.1.b/LV", 6.0, "writing")
    skills = sample_release / "Skills.txt"
    text = skills.read_text()
    assert LINE in text
    skills.write_text(text.replace(LINE, LINE.replace("\t4.25\t", "\t4.62\t")))

    kb.onet.load(sample_release)

    [flag] = kb.roles.updates(ADMIN)
    assert (flag["role_id"], flag["attribute"], flag["upstream_then"], flag["upstream_now"]) == (
        role,
        SKILL,
        "4.25",
        4.62,
    )
    field = {f.attribute: f for f in kb.roles.resolved(ADMIN, role).fields}[SKILL]
    assert field.value == 6.0 and field.update_available and field.default == 4.62
