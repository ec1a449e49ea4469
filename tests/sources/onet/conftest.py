"""The O*NET Web Services fake, with the sample's ratings relabelled for occupations it lacks."""

from __future__ import annotations

import asyncio
import zipfile

import pytest

from jobforge.config import Settings
from jobforge.knowledge_base import KnowledgeBase
from tests.fakes.onet_web import FakeOnet, rows_from_release_text

# 29.3 ratings of Registered Nurses relabelled: constructed, but in the real shape and scales.
MISSING = "15-1252.00"
DONOR = "29-1141.00"


@pytest.fixture
def fake(sample_zip):
    with zipfile.ZipFile(sample_zip) as archive:
        texts = {
            table: archive.read(f"db_29_3_text_sample/{name}").decode()
            for table, name in (("skills", "Skills.txt"), ("knowledge", "Knowledge.txt"))
        }
    server = FakeOnet(
        occupations={
            MISSING: {"title": "Software Developers", "description": "Research, design..."},
            "15-1299.08": {"title": "Computer Systems Engineers/Architects", "description": "d"},
        }
    )
    for table, text in texts.items():
        for code in server.occupations:
            server.rows[(table, code)] = [dict(row, o_net_soc_code=code) for row in rows_from_release_text(text, DONOR)]
    server.start()
    yield server
    server.stop()


@pytest.fixture
def api_kb(kb, sample_zip, fake):
    """A knowledge base over the sample whose settings point at the fake server."""
    kb.onet.load(sample_zip)
    return KnowledgeBase(
        kb.database_url,
        engine=kb.engine,
        settings=Settings(onet_api_key=fake.api_key, onet_api_base_url=fake.base_url, onet_api_rate=50),
    )


def fetch(kb, codes, **options):
    options.setdefault("backoff", 0.05)
    return asyncio.run(kb.onet.fetch(codes, **options))
