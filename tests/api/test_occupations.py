"""Health, search, profiles, related occupations and transitions, through HTTP."""

from __future__ import annotations

import re


def test_health_reports_the_live_release(client):
    body = client.get("/health").json()
    assert body["onet_release"] == "29.3"
    assert body["title_coding"] == "words"  # the tests code with words unless they ask (tests/conftest.py)


def test_search_matches_titles_before_alternate_titles(client):
    body = client.get("/occupations", params={"q": "software DEV", "limit": 50}).json()

    codes = [o["code"] for o in body["occupations"]]
    assert codes[0] == "15-1252.00" and body["occupations"][0]["matched_alternate_title"] is None
    assert body["total"] == len(codes) > 1
    assert all(o["matched_alternate_title"] for o in body["occupations"][1:])


def test_search_ranks_the_occupation_the_words_name_before_those_they_qualify_or_hide_in(client):
    def found(q: str) -> list[tuple[str, str | None]]:
        page = client.get("/occupations", params={"q": q, "limit": 100}).json()["occupations"]
        return [(o["title"], o["matched_alternate_title"]) for o in page]

    assert found("manager")[0] == ("Managers, All Other", None)  # the title that is the word typed, plural aside
    engineers = [title for title, alternate in found("engineer")]
    named = [i for i, title in enumerate(engineers) if title.endswith("Engineers")]
    assert named and max(named) < engineers.index("Architectural and Engineering Managers")
    rn = found("rn")  # in "Internal" only inside a word; a word of "CCU RN (Cardiac Care Unit Registered Nurse)"
    as_word = [i for i, (_, alternate) in enumerate(rn) if alternate and re.search(r"\bRN\b", alternate)]
    assert as_word[0] == 0 and max(as_word) < rn.index(("General Internal Medicine Physicians", None))


def test_search_pages_through_a_ranking_that_does_not_move(client):
    whole = client.get("/occupations", params={"q": "a", "limit": 200}).json()
    pages = [client.get("/occupations", params={"q": "a", "limit": 7, "offset": o}).json() for o in range(0, 200, 7)]
    assert [o for page in pages for o in page["occupations"]] == whole["occupations"]
    assert {page["total"] for page in pages} == {whole["total"]}


def test_search_pages_through_everything(client):
    first = client.get("/occupations", params={"limit": 100}).json()
    second = client.get("/occupations", params={"limit": 100, "offset": 100}).json()

    assert first["total"] == 193
    assert len({o["code"] for o in first["occupations"] + second["occupations"]}) == 193


def test_search_treats_like_wildcards_literally(client):
    assert client.get("/occupations", params={"q": "%"}).json()["total"] == 0


def test_profile_has_every_section_and_provenance(client):
    body = client.get("/occupations/29-1141.00").json()

    assert body["title"] == "Registered Nurses"
    assert body["job_zone"]["job_zone"] in range(1, 6)
    assert body["tasks"] and body["technology_skills"] and body["tools"] and body["alternate_titles"]
    assert abs(sum(level["percent"] for level in body["education"]) - 100) < 1
    skills = body["ratings"]["skills"]
    assert skills["provenance"]["documents"] == ["O*NET 29.3, Skills.txt"] and skills["provenance"]["release"] == "29.3"
    assert skills["provenance"]["rows"] == len(skills["ratings"]) == 70
    assert all(0 <= r["confidence"] <= 1 and r["source_kind"] == "onet" for r in skills["ratings"])


def test_unknown_and_malformed_codes(client):
    assert client.get("/occupations/99-9999.00").status_code == 404
    response = client.get("/occupations/nurse")
    assert response.status_code == 400 and "NN-NNNN.NN" in response.json()["message"]


def test_related_occupations_come_in_rank_order_with_tiers(client):
    related = client.get("/occupations/29-1141.00/related").json()

    assert [r["rank"] for r in related] == sorted(r["rank"] for r in related)
    assert related[0]["relatedness_tier"] == "Primary-Short"


def test_transitions_rank_similar_profiles_within_one_job_zone(client):
    body = client.get("/transitions", params={"from": "29-1141.00", "k": 5}).json()

    moves = body["transitions"]
    assert len(moves) == 5 and "29-1141.00" not in [m["code"] for m in moves]
    assert [m["score"] for m in moves] == sorted((m["score"] for m in moves), reverse=True)
    zone = client.get("/occupations/29-1141.00").json()["job_zone"]["job_zone"]
    assert all(abs(m["job_zone"] - zone) <= 1 for m in moves if m["job_zone"])
    assert all(m["gap_size"] >= 0 for m in moves)
    assert body["from_occupation_code"] == "29-1141.00" and 0 <= body["from_imputed_share"] <= 1
    assert all(0 <= m["imputed_share"] <= 1 for m in moves)


def test_transitions_errors(client):
    assert client.get("/transitions").status_code == 400
    unrated = client.get("/transitions", params={"from": "15-1252.00"})
    assert unrated.status_code == 404 and "`jobforge impute 15-1252.00` makes them" in unrated.json()["message"]
