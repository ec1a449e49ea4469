"""Schemathesis explores every documented operation: no 5xx, no undocumented status or shape.

The schema is built at import over a SQLite copy of the sample: the API layer is the same on
every backend, which the other API tests exercise.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from importlib.resources import files
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings

from jobforge.api import create_app
from jobforge.config import Settings
from jobforge.knowledge_base import BUNDLED_ONET_SAMPLE, KnowledgeBase


def _sample_app():
    folder = Path(tempfile.mkdtemp(prefix="jobforge-openapi-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    kb = KnowledgeBase(f"sqlite:///{folder / 'api.db'}", settings=Settings(onet_api_key=""))
    kb.upgrade()
    kb.load_onet(Path(str(files("jobforge.data") / BUNDLED_ONET_SAMPLE)))
    return create_app(kb)


schema = schemathesis.openapi.from_asgi("/openapi.json", _sample_app())


@schema.parametrize()
@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_openapi(case):
    case.call_and_validate()
