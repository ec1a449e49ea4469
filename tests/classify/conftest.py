"""Fixtures of the title-coding tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from jobforge.config import Settings
from jobforge.knowledge_base import KnowledgeBase
from tests.conftest import CROSSWALK_CSV, NOC_DATA, loaded_kb


@pytest.fixture(scope="package")
def fused_kb(tmp_path_factory, sample_zip) -> Iterator[KnowledgeBase]:
    """The O*NET sample, NOC and the crosswalk on SQLite, coded with the embedding signal."""

    def load(kb: KnowledgeBase) -> None:
        kb.onet.load(sample_zip)
        kb.canada.load_noc(NOC_DATA)
        kb.canada.load_crosswalk(CROSSWALK_CSV)

    with loaded_kb("sqlite", tmp_path_factory.mktemp("fused"), load) as kb:
        kb.settings = Settings(onet_api_key="", title_embeddings="on")
        kb.classify.warm()
        yield kb
