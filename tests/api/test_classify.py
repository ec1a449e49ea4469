"""GET and POST /classify over the sample O*NET data, the NOC data and the crosswalk."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from jobforge.api import create_app


@pytest.fixture(scope="module")
def canada_client(canada_kb):
    with TestClient(create_app(canada_kb)) as test_client:
        yield test_client


def test_get_classify_answers_candidates_and_the_decision(canada_client, canada_kb):
    answer = canada_client.get("/classify", params={"title": "RN - ICU nights", "k": 3})
    assert answer.status_code == 200
    body = answer.json()
    expected = canada_kb.classify(["RN - ICU nights"], "onet", 3)[0]
    assert body == expected.to_json()
    assert len(body["candidates"]) == 3 and set(body["candidates"][0]) == {"code", "title", "score"}


def test_get_classify_in_noc(canada_client):
    body = canada_client.get("/classify", params={"title": "engineer, civil", "system": "noc"}).json()
    assert body["candidates"][0] == {
        "code": "21300",
        "title": "Civil engineers",
        "score": body["candidates"][0]["score"],
    }


def test_post_classify_answers_a_batch_in_order(canada_client, canada_kb):
    titles = ["Registered Nurse", "Statistician", "Technicien en informatique"]
    answer = canada_client.post("/classify", json={"titles": titles, "k": 2, "system": "noc"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["system"] == "noc"
    assert body["results"] == [r.to_json() for r in canada_kb.classify(titles, "noc", 2)]


@pytest.mark.parametrize(
    "params, problem",
    [
        ({"title": ""}, "title"),
        ({"title": "Nurse", "k": 0}, "'k'"),
        ({"title": "Nurse", "system": "isco"}, "'system'"),
        ({"title": " ** "}, "'title'"),
    ],
)
def test_get_classify_rejects_bad_parameters_with_a_400_that_names_them(canada_client, params, problem):
    answer = canada_client.get("/classify", params=params)
    assert answer.status_code == 400 and problem in answer.json()["message"]


def test_post_classify_answers_an_unusable_title_in_its_place_and_rejects_empty_batches(canada_client):
    titles = ["Nurse", "?!", "", "x" * 501, "Chef\rde cuisine", "Chef\x00de cuisine", "Chef\x0cde cuisine"]
    answer = canada_client.post("/classify", json={"titles": titles})
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert [r["title"] for r in results] == titles
    assert results[1] == {"title": "?!", "error": "no letters or digits to classify"}
    assert results[2]["error"] == "empty" and results[3]["error"] == "longer than 500 characters"
    assert results[5]["error"] == "holds a control character (U+0000) at position 5"  # as GET /classify refuses it
    assert results[0]["candidates"] and results[4]["candidates"] and results[6]["candidates"]
    assert canada_client.post("/classify", json={"titles": []}).status_code == 400


def test_get_codes_and_refuses_exactly_the_titles_post_does(canada_client):
    titles = ["ｒｅｇｉｓｔｅｒｅｄ ｎｕｒｓｅ", "Şoför", "Νοσηλευτής", "!!!", "Chef\x00de cuisine", "Nurse"]
    batch = canada_client.post("/classify", json={"titles": titles, "k": 3}).json()["results"]
    for title, posted in zip(titles, batch):
        answer = canada_client.get("/classify", params={"title": title, "k": 3})
        if "error" in posted:
            assert answer.status_code == 400 and "query parameter 'title'" in answer.json()["message"], title
        else:
            assert answer.status_code == 200 and answer.json() == posted, title
    plain = canada_client.get("/classify", params={"title": "Registered Nurse", "k": 3}).json()
    assert batch[0]["candidates"] == plain["candidates"]  # full-width letters are the letters they look like
    assert "error" in batch[3] and "error" in batch[4]
    refused = canada_client.get("/classify", params={"title": "!!!"}).json()["message"]
    assert refused == "query parameter 'title': no letters or digits to classify"


def test_classify_in_a_system_not_loaded_is_a_404(client):
    answer = client.get("/classify", params={"title": "Nurse", "system": "noc"})
    assert answer.status_code == 404 and "jobforge noc load" in answer.json()["message"]


def test_an_unsupported_method_lists_both_methods_of_the_path(canada_client):
    answer = canada_client.request("OPTIONS", "/classify")
    assert answer.status_code == 405
    assert set(answer.headers["Allow"].split(", ")) >= {"GET", "POST"}
    assert answer.json()["success"] is False


def test_a_body_that_is_not_json_is_a_400_saying_what_is_wrong_with_it_and_where(canada_kb):
    said = {
        b'{"titles": ["Nurse"]': "the request body is not valid JSON: Expecting ',' delimiter at character 20",
        b'{"titles": ["caf\xe9"]}': "the request body is not UTF-8: byte 0xe9 at position 16",
        b"[" * 100_000 + b"]" * 100_000: "the request body nests arrays or objects too deeply to read",
        b'{"k": ' + b"9" * 5000 + b"}": "the request body could not be read as JSON: Exceeds the limit",
        b'["Nurse"]': "the request body must be a JSON object",  # JSON, but not an object
    }
    with TestClient(create_app(canada_kb)) as client:  # its own: the module's client keeps its rate limit
        for body, problem in said.items():
            answer = client.post("/classify", content=body, headers={"Content-Type": "application/json"})
            assert answer.status_code == 400 and answer.json()["success"] is False
            assert answer.json()["message"].startswith(problem), answer.json()["message"]


def test_explain_adds_the_evidence_of_each_candidate(canada_client):
    body = canada_client.get("/classify", params={"title": "RN - ICU nights", "k": 2, "explain": "true"}).json()
    assert all(set(c["evidence"]) == {"name", "origin"} for c in body["candidates"])
    batch = canada_client.post("/classify", json={"titles": ["RN - ICU nights"], "k": 2, "explain": True}).json()
    assert batch["results"][0] == body


def test_a_value_failing_an_enforced_pattern_is_told_what_it_lacks_not_the_expression(client):
    said = {
        "/provenance/audit?entity=xyz": "query parameter 'entity': is none of: an O*NET-SOC code, NN-NNNN.NN",
    }
    for path, message in said.items():
        answer = client.get(path)
        assert answer.status_code == 400 and answer.json()["message"].startswith(message), answer.text
        assert "pattern" not in answer.json()["message"]


def test_a_boolean_is_no_count_of_candidates():
    """Read by the request model (over HTTP it is a 400 naming k; the route's rate limit would make
    a test of it depend on the tests before)."""
    from pydantic import ValidationError

    from jobforge.api.routes.classify import BatchRequest

    with pytest.raises(ValidationError, match="k"):
        BatchRequest.model_validate({"titles": ["nurse"], "k": True})
    assert BatchRequest.model_validate({"titles": ["nurse"], "k": 3}).k == 3
