from __future__ import annotations

import pytest

from jobforge.roles.access import Access, Caller
from jobforge.roles.models import RoleIn


@pytest.fixture
def org(kb, sample_zip):
    """The sample release loaded, with organisations acme and globex."""
    kb.onet.load(sample_zip)
    kb.roles.create_organisation("acme", "Acme Corp")
    kb.roles.create_organisation("globex", "Globex")
    return kb


ADMIN = Caller("acme", Access.ADMIN, "alice")
EDITOR = Caller("acme", Access.EDITOR, "eddie")
VIEWER = Caller("acme", Access.VIEWER, "vera")
OTHER = Caller("globex", Access.ADMIN, "mallory")


def nurse(kb, caller=ADMIN, **fields):
    """A role approved as Registered Nurses (29-1141.00)."""
    role = kb.roles.create(caller, RoleIn(title="Charge Nurse", initial_code="29-1141.00", **fields), suggest=False)
    initial = kb.roles.suggestions(caller, role.id)[0]
    kb.roles.approve(caller, role.id, initial.id, "matches the initial code")
    return role.id
