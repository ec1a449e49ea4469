"""Values with provenance, their history, the audit log and the exports, through HTTP."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from jobforge.api import create_app
from jobforge.provenance.sources import SourceKind
from tests.conftest import with_an_authoritative_override

CHIEF = "11-1011.00"


@pytest.fixture
def edited_client(kb, sample_zip):
    """A client over a fresh copy of the sample with one authoritative override (tests may write)."""
    with_an_authoritative_override(kb, sample_zip)
    with TestClient(create_app(kb)) as client:
        yield client


def test_values_carry_full_provenance(client):
    values = client.get(f"/occupations/{CHIEF}/values", params={"attribute": "skills/2.A.1.a/"}).json()

    assert [v["attribute"] for v in values] == ["skills/2.A.1.a/IM", "skills/2.A.1.a/LV"]
    reference = values[1]["reference"]
    assert (values[1]["value"], values[1]["source_kind"], values[1]["confidence"]) == (4.62, "onet", 0.718)
    assert (reference["release"], reference["file_name"], reference["row"]) == ("29.3", "Skills.txt", 3)
    assert reference["citation"] == "O*NET 29.3, Skills.txt, line 3" and reference["load_run_id"]


def test_filters_choose_between_sources_and_moments(edited_client):
    def lv(**params):
        values = edited_client.get(
            f"/occupations/{CHIEF}/values", params={"attribute": "skills/2.A.1.a/LV", **params}
        ).json()
        return [(v["value"], v["source_kind"]) for v in values]

    assert lv() == [(6.0, "authoritative")]
    assert lv(source="onet") == [(4.62, "onet")]
    assert lv(source="imputed,onet") == [(4.62, "onet")]
    assert lv(source=["imputed", "authoritative"]) == [(6.0, "authoritative")]
    assert lv(min_confidence=0.95) == []
    assert lv(as_of="2000-01-01") == []
    profile = edited_client.get(f"/occupations/{CHIEF}", params={"source": "onet"}).json()
    rating = next(
        r for r in profile["ratings"]["skills"]["ratings"] if r["element_id"] == "2.A.1.a" and r["scale_id"] == "LV"
    )
    assert (rating["data_value"], rating["sample_size"]) == (4.62, 8)


def test_bad_filters_are_400_with_the_reason(client):
    response = client.get(f"/occupations/{CHIEF}/values", params={"source": "wikipedia"})
    assert response.status_code == 400 and "unknown source kind wikipedia" in response.json()["message"]
    response = client.get(f"/occupations/{CHIEF}", params={"as_of": "yesterday"})
    assert response.status_code == 400 and "'yesterday' is not an ISO 8601" in response.json()["message"]
    assert client.get("/occupations/99-9999.00/values").status_code == 404
    response = client.get(f"/occupations/{CHIEF}/values", params={"attribute": "skils/"})
    assert response.status_code == 404 and "'skils/': no attribute of any entity" in response.json()["message"]
    assert "did you mean 'skills'" in response.json()["message"]
    response = client.get(f"/occupations/{CHIEF}/values", params={"attribute": " "})
    assert response.status_code == 400 and "an empty prefix" in response.json()["message"]


def test_history_and_audit_show_the_override(edited_client):
    history = edited_client.get(
        "/provenance/history", params={"entity": CHIEF, "attribute": "skills/2.A.1.a/LV"}
    ).json()
    assert [(h["value"], h["status"]) for h in history] == [(4.62, "candidate"), (6.0, "served")]
    events = edited_client.get("/provenance/audit", params={"since": "2020-01-01T00:00:00"}).json()
    assert [(e["old_value"], e["new_value"], e["actor"]) for e in events] == [("4.62", "6", "analyst")]
    assert edited_client.get("/provenance/audit", params={"since": "2999-01-01"}).json() == []
    assert edited_client.get("/provenance/history", params={"entity": CHIEF, "attribute": "nope"}).status_code == 404
    empty = edited_client.get("/provenance/history", params={"entity": CHIEF, "attribute": ""})
    assert empty.status_code == 400 and "query parameter 'attribute'" in empty.json()["message"]


def test_provenance_export_in_both_formats(edited_client):
    document = edited_client.get(f"/occupations/{CHIEF}/provenance").json()
    assert {"entity", "activity", "agent", "wasGeneratedBy", "used", "wasDerivedFrom", "wasAttributedTo"} <= set(
        document
    )
    response = edited_client.get(
        f"/occupations/{CHIEF}/provenance", params={"format": "csv", "source": "authoritative"}
    )
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [(r["attribute"], r["value"], r["rationale"]) for r in rows] == [("skills/2.A.1.a/LV", "6.0", "ESDC OaSIS")]
    assert edited_client.get(f"/occupations/{CHIEF}/provenance", params={"format": "xml"}).status_code == 400


def test_a_text_a_spreadsheet_would_run_is_exported_as_text(kb, edited_client):
    kb.values.set_value(
        CHIEF, "description", '=HYPERLINK("http://x.example","Plans")', kind=SourceKind.AUTHORITATIVE,
        confidence=0.9, actor="@analyst", rationale="+1 from the review",
    )  # fmt: skip
    response = edited_client.get(
        f"/occupations/{CHIEF}/provenance", params={"format": "csv", "source": "authoritative"}
    )
    rows = {r["attribute"]: r for r in csv.DictReader(io.StringIO(response.text))}
    text = rows["description"]
    assert (text["value"], text["actor"], text["rationale"]) == (
        '\'=HYPERLINK("http://x.example","Plans")',
        "'@analyst",
        "'+1 from the review",
    )
    assert rows["skills/2.A.1.a/LV"]["value"] == "6.0"  # a number is written as it is
    served = edited_client.get(f"/occupations/{CHIEF}/values", params={"attribute": "description"}).json()
    assert served[0]["value"] == '=HYPERLINK("http://x.example","Plans")'  # only the CSV marks it


def test_a_moment_a_zone_carries_past_the_years_a_database_holds_is_refused(client):
    for where, moment in (("as_of", "9999-12-31T23:59:59-05:00"), ("as_of", "0001-01-01T00:00:00+05:00")):
        answer = client.get(f"/occupations/{CHIEF}/values", params={where: moment})
        assert answer.status_code == 400 and "outside the years 1 to 9999" in answer.json()["message"]
    audit = client.get("/provenance/audit", params={"since": "0001-01-01T00:00:00+23:59"})
    assert audit.status_code == 400 and "'since'" in audit.json()["message"]
    assert client.get(f"/occupations/{CHIEF}/values", params={"as_of": "9999-12-31T23:59:59"}).json()  # no zone: UTC
