"""Hostile requests are bounded and refused in the one error shape, never a 5xx."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from jobforge.api import create_app
from jobforge.api.limits import MAX_BODY_BYTES
from jobforge.config import Settings
from jobforge.knowledge_base import KnowledgeBase


def test_a_declared_body_over_the_limit_is_refused_before_it_is_read(client):
    response = client.post(
        "/classify",
        content=b"{}",
        headers={"Content-Length": str(MAX_BODY_BYTES + 1), "Content-Type": "application/json"},
    )
    assert response.status_code == 413 and response.json()["success"] is False


def test_a_streamed_body_over_the_limit_is_cut_off_with_413(client):
    def chunks():
        for _ in range(MAX_BODY_BYTES // 65_536 + 2):
            yield b" " * 65_536

    response = client.post("/classify", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413 and "larger than 2,097,152 bytes" in response.json()["message"]


@pytest.mark.parametrize(
    ("path", "params", "named"),
    [
        ("/occupations", {"q": "nurse\x00"}, "q"),
        ("/occupations/11-1011.00/values", {"attribute": "skills\x00"}, "attribute"),
        ("/classify", {"title": "nurse\x07"}, "title"),
        ("/provenance/history", {"entity": "11-1011.00", "attribute": "title\x00"}, "attribute"),
    ],
)
def test_a_control_character_in_a_parameter_is_a_400_naming_it(client, path, params, named):
    response = client.get(path, params=params)
    assert response.status_code == 400 and f"query parameter '{named}'" in response.json()["message"]


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"titles": ["nurse"] * 5_001}, "at most 5000 items"),
        ({"titles": ["nurse"] * 1_000, "k": 26}, "26,000 candidates; at most 25,000"),
        ({"titles": ["nurse"] * 41, "k": 25, "explain": True}, "at most 1,000 per request with explain"),
    ],
)
def test_a_batch_beyond_the_work_limits_is_a_400_saying_which(client, body, fragment):
    response = client.post("/classify", json=body)
    assert response.status_code == 400 and fragment in response.json()["message"], response.json()


def test_a_batch_scored_with_embeddings_too_is_held_to_fewer_titles(sample_kb):
    embedding = KnowledgeBase(sample_kb.database_url, engine=sample_kb.engine, settings=Settings(title_embeddings="on"))
    client = TestClient(create_app(embedding))  # not started: the limit is checked before any index is needed
    response = client.post("/classify", json={"titles": ["nurse"] * 301})
    assert response.status_code == 400
    assert "301 titles in one request; at most 300 while sentence embeddings" in response.json()["message"]


def test_batches_beyond_the_client_rate_get_429_with_retry_after(sample_kb):
    limited = KnowledgeBase(sample_kb.database_url, engine=sample_kb.engine, settings=Settings(api_batch_rate=1))
    with TestClient(create_app(limited)) as client:
        answers = [client.post("/classify", json={"titles": ["nurse"]}) for _ in range(6)]
    assert [a.status_code for a in answers[:3]] == [200, 200, 200]
    refused = [a for a in answers if a.status_code == 429]
    assert refused and int(refused[0].headers["Retry-After"]) >= 1 and "too many" in refused[0].json()["message"]


def test_a_batch_past_its_deadline_answers_503(client, monkeypatch):
    from jobforge.api.routes import classify

    monkeypatch.setattr(classify, "REQUEST_DEADLINE", 0.0)
    response = client.post("/classify", json={"titles": ["nurse"] * 1200, "k": 1})
    assert (
        response.status_code == 503 and "not coded within 0 s (500 of 1,200 titles done)" in response.json()["message"]
    )


def test_an_empty_source_kind_is_refused_as_its_pattern_says(client):
    response = client.get("/occupations/29-1141.00", params={"source": ""})
    assert response.status_code == 400 and "an empty source kind" in response.json()["message"]
