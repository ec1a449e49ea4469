"""The sample release with the llm imputer configured against a local OpenAI-compatible server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from jobforge import KnowledgeBase
from tests.fakes.openai_compatible import FakeLlm
from tests.impute.test_llm import llm_settings


@pytest.fixture
def llm_server() -> Iterator[FakeLlm]:
    server = FakeLlm().start()
    yield server
    server.stop()


@pytest.fixture
def llm_kb(database_url, sample_zip, llm_server) -> Iterator[KnowledgeBase]:
    kb = KnowledgeBase(database_url, settings=llm_settings(llm_server))
    kb.upgrade()
    kb.onet.load(sample_zip)
    yield kb
    kb.engine.dispose()
