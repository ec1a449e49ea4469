"""Schemathesis explores every documented operation: no 5xx, no undocumented status or shape.

The schema is read at import from an app over an empty SQLite database (the document needs no data);
the sample is loaded into it only when the test runs, so collecting the suite costs nothing. The
API layer is the same on every backend, which the other API tests exercise.
"""

from __future__ import annotations

import atexit
import re
import shutil
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from jobforge.api import create_app
from tests.conftest import offline_kb

_folder = Path(tempfile.mkdtemp(prefix="jobforge-openapi-"))
atexit.register(shutil.rmtree, _folder, ignore_errors=True)
_kb = offline_kb(f"sqlite:///{_folder / 'api.db'}")
_kb.upgrade()
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(_kb))


TOKEN: dict[str, str] = {}


@pytest.fixture(scope="module", autouse=True)
def sample_loaded(sample_zip):
    _kb.onet.load(sample_zip)
    _kb.roles.create_organisation("acme", "Acme")
    TOKEN["admin"] = _kb.roles.tokens.create("acme", "schemathesis", "admin", "test")[0]
    yield
    _kb.engine.dispose()


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi(case):
    """Without a token: public routes answer, every /roles route a documented 401. A job title is
    codable when its letters, once read (NFKD: "ｎｕｒｓｅ" is "nurse", "±" has none), leave a word,
    which no JSON Schema pattern can say: GET /classify may refuse a schema-valid title, with the
    400 POST /classify gives it in its place, so only there the schema-valid-is-accepted check
    gives way to that check of the 400, which names the parameter (or, for a negative case with
    several names the route does not take, each of them)."""
    title_coding = (case.method, case.path) == ("GET", "/classify")
    response = case.call_and_validate(excluded_checks=[positive_data_acceptance] if title_coding else [])
    if title_coding and response.status_code == 400:
        assert re.match(r"query parameters? '", response.json()["message"]), response.text
    if case.path.startswith("/roles"):
        assert response.status_code in (400, 401, 404, 405), response.text  # 404/405: a path or method probe


@schema.include(path_regex="^/(roles|skill-gap|transitions)").parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi_with_an_admin_token(case):
    """With a token the role routes do their work; what a schema cannot say (a rating inside its
    own scale, a field the role inherits) is refused with a 400 that names it, so the check that a
    schema-valid body is always accepted is left out here — every other check applies."""
    generated = "Authorization" in (case.headers or {})  # a negative case may leave the header out: so do we
    if generated:  # on the case, not beside it: schemathesis then judges the request as sent, valid token included
        case.headers["Authorization"] = f"Bearer {TOKEN['admin']}"
    response = case.call_and_validate(excluded_checks=[positive_data_acceptance])
    if generated:
        assert response.status_code != 401, response.text
