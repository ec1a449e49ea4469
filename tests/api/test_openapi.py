"""Schemathesis explores every documented operation: no 5xx, no undocumented status or shape.

The schema is read at import from an app over an empty SQLite database (the document needs no data);
the sample is loaded into it only when the test runs, so collecting the suite costs nothing. The
API layer is the same on every backend, which the other API tests exercise.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from jobforge.api import create_app
from tests.conftest import offline_kb

_folder = Path(tempfile.mkdtemp(prefix="jobforge-openapi-"))
atexit.register(shutil.rmtree, _folder, ignore_errors=True)
_kb = offline_kb(f"sqlite:///{_folder / 'api.db'}")
_kb.upgrade()
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(_kb))


@pytest.fixture(scope="module", autouse=True)
def sample_loaded(sample_zip):
    _kb.onet.load(sample_zip)
    yield
    _kb.engine.dispose()


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi(case):
    case.call_and_validate()
