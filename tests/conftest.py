"""Fixtures: a fresh database per test on every backend, and release folders to load or break.

PostgreSQL and MariaDB are real servers (see README, "Tests"). A backend that cannot be reached
fails the run instead of being skipped; JOBFORGE_TEST_BACKENDS=sqlite narrows the run on a
machine that has no servers, explicitly.
"""

from __future__ import annotations

import os
import shutil
import threading
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path

import pytest

from jobforge.config import Settings
from jobforge.knowledge_base import KnowledgeBase
from jobforge.sources.onet.service import BUNDLED_ONET
from jobforge.store.databases import create_database, drop_database, scratch_database_url
from tests.onet_subset import write_subset

# The title coder's embedding signal (the `embeddings` extra) embeds every indexed name of each new
# database: tests that want it ask for it (tests/classify/test_embeddings.py), the others code
# titles with the word model alone, as a default install does.
os.environ.setdefault("JOBFORGE_TITLE_EMBEDDINGS", "off")

SERVERS = {
    "postgresql": os.environ.get("JOBFORGE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
    "mariadb": os.environ.get("JOBFORGE_TEST_MARIADB_URL", "mysql+pymysql://root@127.0.0.1:3306/test"),
}
BACKENDS = os.environ.get("JOBFORGE_TEST_BACKENDS", "sqlite,postgresql,mariadb").split(",")
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
CONSTRUCTED = Path(__file__).parent / "data" / "onet_constructed"


def offline_kb(url: str) -> KnowledgeBase:
    """A knowledge base that never calls O*NET Web Services, whatever the environment holds."""
    return KnowledgeBase(url, settings=Settings(onet_api_key=""))


def fresh_database_url(backend: str, tmp_path: Path) -> str:
    return scratch_database_url(SERVERS.get(backend), tmp_path, "jf_test")


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path) -> Iterator[str]:
    """The URL of a new, empty database on each backend in turn; dropped afterwards."""
    url = fresh_database_url(request.param, tmp_path)
    create_database(url)
    try:
        yield url
    finally:
        _wait_for_rebuilds()
        drop_database(url)


def _wait_for_rebuilds() -> None:
    """A rebuild the test set off (rating profiles, a title index) reads the database in a thread
    of its own: dropping the database under it would fail that thread after the test has passed."""
    for thread in threading.enumerate():
        if thread.name.endswith("-rebuild") or thread.name == "classify-index":
            thread.join(timeout=120)


@pytest.fixture
def kb(database_url) -> Iterator[KnowledgeBase]:
    """A knowledge base with the current schema and no data."""
    knowledge_base = offline_kb(database_url)
    knowledge_base.upgrade()
    yield knowledge_base
    knowledge_base.engine.dispose()


@pytest.fixture(scope="session")
def sample_zip(tmp_path_factory) -> Path:
    """Three SOC major groups of the bundled release (tests/onet_subset.py)."""
    bundle = Path(str(files("jobforge.data") / BUNDLED_ONET))
    return write_subset(bundle, tmp_path_factory.mktemp("onet") / "db_29_3_text_sample.zip")


@contextmanager
def loaded_kb(backend: str, folder: Path, load: Callable[[KnowledgeBase], object]) -> Iterator[KnowledgeBase]:
    """A knowledge base on a new database of `backend`, with the schema and whatever `load` puts
    in it; dropped afterwards. For fixtures shared by tests that only read (or whose failed loads
    leave it as it was, which they check)."""
    url = fresh_database_url(backend, folder)
    create_database(url)
    knowledge_base = offline_kb(url)
    try:
        knowledge_base.upgrade()
        load(knowledge_base)
        yield knowledge_base
    finally:
        knowledge_base.engine.dispose()
        drop_database(url)


@pytest.fixture(scope="session", params=BACKENDS)
def sample_kb(request, tmp_path_factory, sample_zip) -> Iterator[KnowledgeBase]:
    """The bundled sample loaded once per backend for the session: for tests that only read."""
    with loaded_kb(request.param, tmp_path_factory.mktemp(request.param), lambda kb: kb.onet.load(sample_zip)) as kb:
        yield kb


@pytest.fixture
def sample_release(tmp_path, sample_zip) -> Path:
    """The bundled real subset unpacked into a folder the test may change."""
    folder = tmp_path / "db_29_3_text"
    folder.mkdir()
    with zipfile.ZipFile(sample_zip) as archive:
        for member in archive.infolist():
            if not member.is_dir():
                (folder / Path(member.filename).name).write_bytes(archive.read(member))
    return folder


@pytest.fixture
def complete_release(sample_release) -> Path:
    """The sample plus the constructed files the shared 29.3 copy lacks (Abilities, Work
    Activities, Work Context, Task Ratings), so every layout is exercised."""
    for path in CONSTRUCTED.glob("*.txt"):
        shutil.copy(path, sample_release / path.name)
    return sample_release


def data_rows(path: Path) -> int:
    """Data rows of a release file, counted independently of the loader."""
    text = path.read_text(encoding="utf-8-sig")
    return len([line for line in text.split("\n")[1:] if line.strip()])


NOC_DATA = SHARED_DATA / "noc"
CROSSWALK_CSV = SHARED_DATA / "crosswalk" / "noc2021_onet26.csv"


@pytest.fixture(scope="session", params=BACKENDS)
def canada_kb(request, tmp_path_factory, sample_zip) -> Iterator[KnowledgeBase]:
    """The O*NET sample, the full shared NOC/OaSIS/COPS data and the crosswalk, once per backend."""

    def load(kb: KnowledgeBase) -> None:
        kb.onet.load(sample_zip)
        kb.noc_report = kb.canada.load_noc(NOC_DATA)
        kb.crosswalk_report = kb.canada.load_crosswalk(CROSSWALK_CSV)

    with loaded_kb(request.param, tmp_path_factory.mktemp(f"canada-{request.param}"), load) as kb:
        yield kb


CHIEF = "11-1011.00"


def with_an_authoritative_override(knowledge_base: KnowledgeBase, sample_zip: Path) -> KnowledgeBase:
    """The sample, with Chief Executives' Reading Comprehension level overridden by an analyst."""
    from jobforge.provenance.sources import SourceKind

    knowledge_base.onet.load(sample_zip)
    knowledge_base.values.set_value(
        CHIEF, "skills/2.A.1.a/LV", 6.0, kind=SourceKind.AUTHORITATIVE, confidence=0.9, actor="analyst",
        rationale="ESDC OaSIS",
    )  # fmt: skip
    return knowledge_base
