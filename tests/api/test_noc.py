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
        ("/noc/000123", 400, "one to five digits"),
        ("/noc/%D9%A2", 400, "one to five digits"),  # an Arabic-Indic 2 is a digit to \\d, not to NOC
        ("/noc/9999", 404, "no NOC 2021 group 9999"),
        ("/noc/0001/profile", 400, "five digits"),  # a minor group has no profile
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


def test_noc_is_walked_from_its_broad_categories_down_to_a_unit_group(canada):
    assert [c["code"] for c in canada.get("/noc").json()] == [str(digit) for digit in range(10)]
    code, levels = "2", []
    while True:
        group = canada.get(f"/noc/{code}").json()
        levels.append(group["level"])
        assert [h["code"] for h in group["hierarchy"]] == [code[:n] for n in range(1, len(code) + 1)]
        if group["level"] == 5:
            break
        assert group["children"] and all(
            c["code"].startswith(code) and len(c["code"]) == len(code) + 1 for c in group["children"]
        )
        assert not group["soc_codes"] and not group["oasis_profiles"]  # a unit group's, not its parents'
        code = group["children"][-1]["code"]
    assert levels == [1, 2, 3, 4, 5] and group["children"] == [] and group["soc_codes"]


def test_noc_not_loaded_is_a_404_saying_how_to_load_it(client):
    answer = client.get("/noc")
    assert answer.status_code == 404 and "jobforge noc load" in answer.json()["message"]
