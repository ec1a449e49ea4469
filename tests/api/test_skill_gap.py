"""GET /skill-gap: the exact shape, the rule checked against Skills.txt itself, and every error."""

from __future__ import annotations

import csv
import io
import itertools
import random
import zipfile
from collections import defaultdict

import pytest


def reference_levels(sample_zip, file_name: str = "Skills.txt") -> tuple[dict, dict]:
    with zipfile.ZipFile(sample_zip) as archive:
        return levels_from_text(archive.read(f"db_29_3_text_sample/{file_name}").decode("utf-8"))


def levels_from_text(text: str) -> tuple[dict, dict]:
    """LV ratings and element names straight from a release file's text, independently of JobForge."""
    levels: dict[str, dict[str, tuple[float, bool]]] = defaultdict(dict)
    names = {}
    for row in csv.DictReader(io.StringIO(text), delimiter="\t", quoting=csv.QUOTE_NONE):
        if row["Scale ID"] == "LV":
            levels[row["O*NET-SOC Code"]][row["Element ID"]] = (float(row["Data Value"]), row["Not Relevant"] == "Y")
            names[row["Element ID"]] = row["Element Name"]
    return levels, names


def expected_gaps(levels, names, source: str, target: str) -> list[dict]:
    gaps = []
    for element, (wanted, not_relevant) in levels[target].items():
        if not_relevant:
            continue
        have, have_not_relevant = levels[source].get(element, (0.0, False))
        have = 0.0 if have_not_relevant else have
        if round(wanted - have, 2) > 0:
            gaps.append(
                {
                    "element_id": element,
                    "element_name": names[element],
                    "scale_id": "LV",
                    "from_data_value": have,
                    "to_data_value": wanted,
                }
            )
    return sorted(gaps, key=lambda g: (-round(g["to_data_value"] - g["from_data_value"], 2), g["element_id"]))


def test_response_has_exactly_the_documented_shape(client):
    response = client.get("/skill-gap", params={"from": "29-1141.00", "to": "11-1011.00"})

    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True
    assert body["message"] == (
        "Successfully identified skill gap from 'Registered Nurses' to 'Chief Executives' based on 'LV' scale."
    )
    result = body["result"]
    assert (result["from_occupation_title"], result["to_occupation_title"]) == ("Registered Nurses", "Chief Executives")
    first = result["skill_gaps"][0]
    assert {"element_id", "element_name", "scale_id", "from_data_value", "to_data_value"} <= first.keys()
    assert first["scale_id"] == "LV" and first["to_data_value"] > first["from_data_value"]


def test_gaps_equal_those_computed_from_skills_txt_for_many_pairs(client, sample_zip):
    levels, names = reference_levels(sample_zip)
    rated = sorted(levels)
    pairs = random.Random(2024).sample(list(itertools.permutations(rated, 2)), 120)
    for source, target in pairs:
        response = client.get("/skill-gap", params={"from": source, "to": target})
        assert response.status_code == 200, response.text
        got = [
            {key: gap[key] for key in ("element_id", "element_name", "scale_id", "from_data_value", "to_data_value")}
            for gap in response.json()["result"]["skill_gaps"]
        ]
        assert got == expected_gaps(levels, names, source, target), (source, target)


def test_knowledge_domain_follows_knowledge_txt(client, sample_zip):
    levels, names = reference_levels(sample_zip, "Knowledge.txt")
    response = client.get("/skill-gap", params={"from": "11-1011.00", "to": "29-1141.00", "domain": "knowledge"})

    got = [(g["element_id"], g["from_data_value"], g["to_data_value"]) for g in response.json()["result"]["skill_gaps"]]
    assert got == [
        (g["element_id"], g["from_data_value"], g["to_data_value"])
        for g in expected_gaps(levels, names, "11-1011.00", "29-1141.00")
    ]


def test_same_occupation_has_no_gap(client):
    assert (
        client.get("/skill-gap", params={"from": "29-1141.00", "to": "29-1141.00"}).json()["result"]["skill_gaps"] == []
    )


@pytest.mark.parametrize(
    ("params", "status", "fragment"),
    [
        ({"to": "11-1011.00"}, 400, "'from' is required"),
        ({"from": "11-1011.00"}, 400, "'to' is required"),
        ({"from": "11-1011", "to": "29-1141.00"}, 400, "NN-NNNN.NN"),
        ({"from": "11-1011.00", "to": "29 1141 00"}, 400, "NN-NNNN.NN"),
        ({"from": "11-1011.00", "to": "29-1141.00", "domain": "hobbies"}, 400, "domain"),
        ({"from": "11-1011.00", "to": "99-9999.00"}, 404, "99-9999.00 is not in the loaded O*NET data"),
        ({"from": "11-1011.00", "to": "15-1252.00"}, 404, "nor estimates of them: `jobforge impute 15-1252.00` makes"),
        ({"from": "11-1011.00", "to": "29-1141.00", "domain": "abilities"}, 404, "has no abilities ratings"),
    ],
)
def test_errors_are_json_with_a_message(client, params, status, fragment):
    response = client.get("/skill-gap", params=params)

    assert response.status_code == status
    body = response.json()
    assert body["success"] is False and fragment in body["message"]
