from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from jobforge.api import create_app


@pytest.fixture(scope="session")
def client(sample_kb):
    """An in-process client of the API over the sample, once per backend."""
    with TestClient(create_app(sample_kb)) as test_client:
        yield test_client
