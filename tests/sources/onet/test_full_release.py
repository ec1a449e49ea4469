"""The full shared O*NET 29.3 release: every data row of every file is stored, on every backend."""

from __future__ import annotations

import pytest

from tests.conftest import SHARED_DATA, data_rows
from tests.sources.onet.test_loader import stored_rows_per_file

FULL_RELEASE = SHARED_DATA / "onet" / "29.3"
pytestmark = pytest.mark.fullscale


def test_full_release_stores_as_many_rows_as_each_file_has(kb):
    assert FULL_RELEASE.is_dir(), f"the shared data is expected at {FULL_RELEASE}"
    files = {path.name: data_rows(path) for path in FULL_RELEASE.glob("*.txt") if path.name != "Read Me.txt"}

    report = kb.onet.load(FULL_RELEASE)

    assert len(files) == 36 and sum(files.values()) == 419_417
    assert {name: report.files[name].rows_stored for name in files} == files
    assert stored_rows_per_file(kb) == files
    assert kb.onet.load(FULL_RELEASE).status == "unchanged"


def test_skill_gaps_on_the_full_release_match_skills_txt(tmp_path):
    import random

    from jobforge.knowledge_base import KnowledgeBase
    from tests.api.test_skill_gap import expected_gaps, levels_from_text

    kb = KnowledgeBase(f"sqlite:///{tmp_path / 'full.db'}")
    kb.upgrade()
    kb.onet.load(FULL_RELEASE)
    levels, names = levels_from_text((FULL_RELEASE / "Skills.txt").read_text(encoding="utf-8"))
    pairs = [tuple(random.Random(seed).sample(sorted(levels), 2)) for seed in range(300)]

    for source, target in pairs:
        got = [
            {
                key: getattr(gap, key)
                for key in ("element_id", "element_name", "scale_id", "from_data_value", "to_data_value")
            }
            for gap in kb.careers.skill_gap(source, target).skill_gaps
        ]
        assert got == expected_gaps(levels, names, source, target), (source, target)
