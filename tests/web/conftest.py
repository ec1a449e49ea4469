"""A real server over a SQLite database holding the sample release, NOC/OaSIS and the crosswalk,
an organisation with tokens and roles: the pages are exercised as a person meets them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from jobforge.api.server_process import running_server
from jobforge.roles.access import Access, Caller
from jobforge.roles.models import RoleIn
from tests.conftest import offline_kb

SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


@dataclass
class Site:
    base: str
    admin_token: str
    viewer_token: str
    nurse_role: int
    coded_role: int


def populated(url: str, sample_zip: Path) -> tuple[str, str, int, int]:
    kb = offline_kb(url)
    kb.upgrade()
    kb.onet.load(sample_zip)
    kb.canada.load_bundled()
    kb.roles.create_organisation("acme", "Acme Corp")
    admin_token, _ = kb.roles.tokens.create("acme", "web admin", "admin", "test")
    viewer_token, _ = kb.roles.tokens.create("acme", "web viewer", "viewer", "test")
    admin = Caller("acme", Access.ADMIN, "test")
    nurse = kb.roles.create(admin, RoleIn(title="Charge Nurse", initial_code="29-1141.00"), suggest=False)
    initial = kb.roles.suggestions(admin, nurse.id)[0]
    kb.roles.approve(admin, nurse.id, initial.id, "matches the initial code")
    coded = kb.roles.create(admin, RoleIn(title="Senior Software Developer", description="Builds web applications"))
    kb.engine.dispose()
    return admin_token, viewer_token, nurse.id, coded.id


@pytest.fixture(scope="session")
def site(tmp_path_factory, sample_zip) -> Iterator[Site]:
    url = f"sqlite:///{tmp_path_factory.mktemp('web') / 'site.db'}"
    admin_token, viewer_token, nurse, coded = populated(url, sample_zip)
    with running_server(url) as (base, _process, _seconds):
        yield Site(base, admin_token, viewer_token, nurse, coded)
