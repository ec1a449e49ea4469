"""A misspelt or repeated query parameter is refused, never silently dropped: most of them are
filters, and a filter ignored answers with what the caller meant to leave out."""

from __future__ import annotations

from fastapi.testclient import TestClient

from jobforge.api import create_app


def test_a_misspelt_filter_is_refused_naming_it_and_what_the_route_takes(client):
    response = client.get("/occupations/11-1011.00/values", params={"sorce": "onet"})
    assert response.status_code == 400
    message = response.json()["message"]
    assert "'sorce' is unknown here" in message
    assert "takes as_of, attribute, min_confidence, source" in message


def test_the_filter_spelt_right_still_filters(client):
    response = client.get("/occupations/11-1011.00/values", params={"source": "imputed"})
    assert response.status_code == 200 and {value["source_kind"] for value in response.json()} <= {"imputed"}


def test_a_route_without_query_parameters_says_it_takes_none(client):
    for response in (client.get("/health?verbose=1"), client.head("/health?verbose=1")):
        assert response.status_code == 400
    assert "takes no query parameter" in client.get("/health?verbose=1").json()["message"]


def test_every_unknown_name_is_named_at_once(client):
    message = client.get("/occupations", params={"qq": "nurse", "limt": "5", "limit": "5"}).json()["message"]
    assert "query parameters 'limt', 'qq' are unknown here" in message


def test_a_single_value_parameter_given_twice_is_refused(client):
    response = client.get("/occupations?q=nurse&q=chef")
    assert response.status_code == 400
    assert response.json()["message"] == "query parameter 'q' is given 2 times; it takes one value"


def test_a_list_parameter_may_be_repeated(client):
    response = client.get("/occupations/11-1011.00/values?source=onet&source=imputed")
    assert response.status_code == 200
    assert {value["source_kind"] for value in response.json()} <= {"onet", "imputed"}


def test_web_pages_keep_taking_parameters_they_do_not_read(client):
    """Links into the pages carry tracking and bookmark parameters that harm nothing there."""
    response = client.get("/occupation/29-1141.00", params={"utm_source": "newsletter"})
    assert response.status_code == 200 and "Registered Nurses" in response.text


def test_a_misspelt_body_field_is_refused_naming_it(sample_kb):
    """{"sytem": "noc"} ignored would code the titles with O*NET (an app of its own: the shared
    client's POST /classify rate is the other tests')."""
    with TestClient(create_app(sample_kb)) as client:
        response = client.post("/classify", json={"titles": ["nurse"], "sytem": "noc"})
    assert response.status_code == 400
    assert response.json()["message"] == "body parameter 'sytem' is unknown here"
