"""The NOC and crosswalk endpoints over HTTP."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from jobforge.api import create_app


@pytest.fixture(scope="module")
def canada(canada_kb):
    with TestClient(create_app(canada_kb)) as client:
        yield client


def test_crosswalk_noc_lists_codes_with_titles(canada):
    body = canada.get("/crosswalk/noc/00010").json()
    assert body == {
        "noc_code": "00010",
        "title": "Legislators",
        "soc_codes": [{"code": "11-1031.00", "title": "Legislators", "titles_in_crosswalk": ["Legislators"]}],
    }


def test_crosswalk_soc_lists_unit_groups(canada):
    body = canada.get("/crosswalk/soc/11-1011.00").json()
    assert [g["code"] for g in body["noc_codes"]] == ["00011", "00012", "00013", "00014", "00015"]


def test_noc_group_and_profile(canada):
    group = canada.get("/noc/00012").json()
    assert group["hierarchy"][0] == {"code": "0", "title": "Legislative and senior management occupations"}
    profile = canada.get("/noc/00012/profile", params={"source": "onet", "min_confidence": 0.5}).json()
    assert profile["values"] and all(v["source_kind"] == "onet" and v["confidence"] >= 0.5 for v in profile["values"])
    assert all(v["contributions"] for v in profile["values"])


@pytest.mark.parametrize(
    ("path", "status", "fragment"),
    [
        ("/crosswalk/noc/10", 400, "five digits"),
        ("/noc/0001", 400, "five digits"),
        ("/noc/ABCDE/profile", 400, "five digits"),
        ("/crosswalk/noc/99999", 404, "99999"),
        ("/crosswalk/soc/11-1011", 400, "NN-NNNN.NN"),
        ("/noc/00012/profile?source=rumour", 400, "source"),
        ("/noc/00012/profile?min_confidence=2", 400, "min_confidence"),
    ],
)
def test_errors(canada, path, status, fragment):
    response = canada.get(path)
    assert response.status_code == status and fragment in response.json()["message"]
