"""The pages without a browser: what they answer to bad and hostile input, the CSRF rule, the
language choice, the chart geometry, and the README's list of pages."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jobforge.api import create_app
from jobforge.careers.skill_gap import SkillGapItem
from jobforge.occupations.queries import Rating
from jobforge.web import charts
from jobforge.web.i18n import LABELS, preferred

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def client(sample_kb):
    with TestClient(create_app(sample_kb), headers={"Accept": "text/html"}) as answered:
        yield answered


def csrf(client) -> str:
    page = client.get("/coding").text
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def test_a_malformed_code_is_a_400_page_naming_it_and_an_unknown_one_a_404_page(client):
    bad = client.get("/occupation/29-1141")
    assert bad.status_code == 400 and bad.headers["content-type"].startswith("text/html")
    assert "29-1141" in bad.text and "O*NET-SOC" in bad.text
    unknown = client.get("/occupation/99-9999.00")
    assert unknown.status_code == 404 and "99-9999.00" in unknown.text
    assert client.get("/no-such-page").status_code == 404


def test_search_pages_through_every_occupation_found_with_o_net_alone_loaded(client):
    """The heading said 'O*NET occupations (36)' above the first 20, with no way to the rest; and
    with no NOC loaded (the sample), the whole search was a 404 page."""
    total = client.get("/occupations", params={"q": "manager", "limit": 1}, headers={"Accept": "*/*"}).json()["total"]
    assert total > 20  # the sample has more than a page of them
    first = client.get("/search", params={"q": "manager"})
    assert first.status_code == 200 and "No NOC unit groups are loaded: run `jobforge noc load`." in first.text
    assert "Decision: <strong>" in first.text  # the title coder's O*NET side still answers
    assert f"O*NET occupations (1–20 of {total})" in first.text
    assert "/search?q=manager&amp;offset=20" in first.text and "Previous" not in first.text
    last_offset = (total - 1) // 20 * 20
    last = client.get("/search", params={"q": "manager", "offset": last_offset})
    assert f"({last_offset + 1}–{total} of {total})" in last.text and ">Next<" not in last.text
    assert f"/search?q=manager&amp;offset={last_offset - 20}" in last.text
    assert client.get("/search", params={"q": "manager", "offset": -1}).status_code == 400


def test_the_api_keeps_answering_json(client):
    answer = client.get("/occupations/29-1141", headers={"Accept": "application/json"})
    assert answer.status_code == 400 and answer.json()["success"] is False


def test_hostile_query_text_is_refused_not_a_5xx(client):
    assert client.get("/search", params={"q": "nurse\x00"}).status_code == 400
    assert client.get("/search", params={"q": "x" * 201}).status_code == 400
    for nothing_to_look_up in ("%%%", "", "\uff9e\uff9e"):  # the last is letter-like, yet no letter when read
        assert client.get("/search", params={"q": nothing_to_look_up}).status_code == 200  # the home page


def test_no_other_site_may_frame_a_page_or_run_script_in_it(client):
    for answer in (client.get("/"), client.get("/occupation/99-9999.00"), client.get("/admin/sign-in")):
        policy = answer.headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy and "default-src 'self'" in policy and "unsafe" not in policy
        assert answer.headers["x-frame-options"] == "DENY" and answer.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in client.get("/docs").headers  # FastAPI's own page, not ours


def test_a_form_without_its_csrf_token_is_refused(client):
    answer = client.post("/coding", data={"titles": "nurse"})
    assert answer.status_code == 403 and "CSRF" in answer.text


def test_coding_answers_a_bad_line_in_its_place_and_bounds_the_batch(client):
    token = csrf(client)
    answer = client.post("/coding", data={"csrf": token, "titles": "nurse\n!!!\nchef", "format": "csv"})
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert answer.status_code == 200 and [row[0] for row in rows[1:]].count("!!!") == 1
    assert next(row for row in rows if row[0] == "!!!")[-1] == "no letters or digits to classify"
    assert [row[0] for row in rows[1:]][0] == "nurse" and [row[0] for row in rows[1:]][-1] == "chef"  # order kept
    nul = client.post("/coding", data={"csrf": token}, files={"file": ("t.csv", b"title\nnurse\x00", "text/csv")})
    assert nul.status_code == 400 and "NUL" in nul.text
    latin1 = client.post(
        "/coding", data={"csrf": token}, files={"file": ("t.txt", b"nurse\nIng\xe9nieur\n", "text/plain")}
    )
    assert latin1.status_code == 400 and "line 2 is not UTF-8 text" in latin1.text  # not coded as "Ing�nieur"
    marked = client.post(
        "/coding", data={"csrf": token, "format": "csv"}, files={"file": ("t.txt", b"\xef\xbb\xbfnurse\n")}
    )
    assert {row[0] for row in csv.reader(io.StringIO(marked.text))} == {"title", "nurse"}  # the byte-order mark dropped
    unicode_text = "\ufeffinfirmière\r\n".encode("utf-16-le")  # Excel's "Unicode Text"
    excel = client.post("/coding", data={"csrf": token, "format": "csv"}, files={"file": ("t.txt", unicode_text)})
    assert {row[0] for row in csv.reader(io.StringIO(excel.text))} == {"title", "infirmière"}
    many = client.post("/coding", data={"csrf": token, "titles": "nurse\n" * 5001})
    assert many.status_code == 400 and "5,000" in many.text


def test_coding_a_csv_upload_exports_five_candidates_per_title(client):
    upload = b'title,department\nRegistered nurse,ward 3\n"Manager, IT",HQ\n'
    answer = client.post(
        "/coding", data={"csrf": csrf(client), "format": "csv"}, files={"file": ("titles.csv", upload, "text/csv")}
    )
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    lines = answer.text.strip().splitlines()
    assert len(lines) == 1 + 2 * 5 and lines[1].startswith("Registered nurse,1,29-1141")
    assert lines[6].startswith('"Manager, IT",1,')  # the first column kept whole, comma and all


def test_a_spreadsheet_upload_is_coded_from_its_job_title_column(client):
    upload = "matricule;Titre du poste;unité\n7;Infirmière;3\n8;Soudeur;4\n".encode()
    answer = client.post(
        "/coding", data={"csrf": csrf(client), "format": "csv"}, files={"file": ("staff.csv", upload, "text/csv")}
    )
    assert answer.status_code == 200
    assert [row[0] for row in csv.reader(io.StringIO(answer.text))][1::5] == ["Infirmière", "Soudeur"]
    broken = client.post(
        "/coding", data={"csrf": csrf(client)}, files={"file": ("staff.csv", b'title\n"Nurse\nCook\n', "text/csv")}
    )
    assert broken.status_code == 400 and "staff.csv&#39;, line 3: not CSV" in broken.text


def test_a_title_a_spreadsheet_would_run_as_a_formula_is_downloaded_as_text(client):
    titles = '=HYPERLINK("http://x.example","nurse")\n@SUM(A1) chef\n'
    answer = client.post("/coding", data={"csrf": csrf(client), "titles": titles, "format": "csv"})
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert answer.status_code == 200 and {row[0] for row in rows[1:]} == {
        '\'=HYPERLINK("http://x.example","nurse")',
        "'@SUM(A1) chef",
    }
    assert all(not row[4].startswith("'") for row in rows[1:])  # scores stay numbers


def test_a_role_in_a_gap_needs_a_sign_in(client):
    answer = client.get("/gap", params={"from": "role:1", "to": "29-1141.00"}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/admin/sign-in")


def test_admin_pages_send_to_the_sign_in_and_a_bad_token_is_refused(client):
    answer = client.get("/admin/review", follow_redirects=False)
    assert answer.status_code == 303 and "next=%2Fadmin%2Freview" in answer.headers["location"]
    refused = client.post("/admin/sign-in", data={"csrf": csrf(client), "token": "jf_nope", "next": "/admin/roles"})
    assert refused.status_code == 401 and "unknown or revoked" in refused.text  # said on the form


def test_language_from_accept_language_then_the_switch():
    assert preferred("fr-CA,fr;q=0.9,en;q=0.8") == "fr"
    assert preferred("de-DE,en;q=0.3,fr;q=0.7") == "fr"
    assert preferred("de-DE") == "en"
    assert preferred("fr;q=bad, en") == "en"
    assert all(len(pair) == 2 and all(pair) for pair in LABELS.values())


def test_the_french_page_marks_english_data(client):
    page = client.get("/occupation/29-1141.00", headers={"Accept-Language": "fr-CA"}).text
    assert '<html lang="fr">' in page and '<h1 lang="en">Registered Nurses' in page
    english = client.get("/occupation/29-1141.00", headers={"Accept-Language": "en"}).text
    assert "<h1>Registered Nurses" in english


def test_bars_are_drawn_to_scale_highest_first():
    ratings = [
        Rating(element_id=e, element_name=n, scale_id=s, category=None, data_value=v, sample_size=None,
               standard_error=None, lower_ci_bound=None, upper_ci_bound=None, recommend_suppress=None,
               not_relevant=None, updated_on=None, domain_source=None, source_kind="onet", confidence=0.7,
               citation="c")
        for e, n, s, v in (("a", "Alpha", "LV", 3.5), ("b", "Beta", "LV", 7.0), ("a", "Alpha", "IM", 5.0))
    ]  # fmt: skip
    chart = charts.bars("29-1141.00", "skills", ratings)
    assert chart.scale == "LV" and [bar.label for bar in chart.bars] == ["Beta", "Alpha"]
    assert chart.bars[0].width == charts.BAR_WIDTH and chart.bars[1].width == charts.BAR_WIDTH / 2
    assert chart.bars[1].href == "/occupation/29-1141.00/provenance?attribute=skills/a/LV"
    context = charts.bars(
        "29-1141.00", "work_context", [ratings[0].model_copy(update={"scale_id": "CX", "data_value": 2.5})]
    )
    assert context.scale == "CX" and context.bars[0].width == charts.BAR_WIDTH / 2  # work context: 1–5
    item = SkillGapItem(element_id="a", element_name="Alpha", scale_id="LV", from_data_value=1.75,
                        to_data_value=3.5, gap=1.75, to_importance=None, to_recommend_suppress=None,
                        from_confidence=None, to_confidence=0.7, to_source_kind="onet", source_kind="onet")  # fmt: skip
    [bar] = charts.gap_bars([item])
    assert bar.from_width == charts.BAR_WIDTH / 4 and bar.to_width == charts.BAR_WIDTH / 2


def test_noc_pages_lead_from_the_broad_categories_down_and_back_up(canada_kb):
    with TestClient(create_app(canada_kb), headers={"Accept": "text/html"}) as browsing:
        top = browsing.get("/noc-groups")
        assert top.status_code == 200 and top.text.count('href="/noc-group/') == 10
        minor = browsing.get("/noc-group/2123")
        assert minor.status_code == 200 and "Minor group" in minor.text
        assert 'href="/noc-group/2"' in minor.text and 'href="/noc-group/212"' in minor.text  # its path, linked
        assert 'href="/unit-group/21232"' in minor.text  # what it holds
        assert "Groupe intermédiaire" in browsing.get("/noc-group/2123", params={"lang": "fr"}).text
        assert browsing.get("/noc-group/212345").status_code == 400
        assert browsing.get("/noc-group/9999").status_code == 404


def test_every_page_is_listed_in_the_readme(client):
    pages = {
        route.path
        for route in client.app.routes
        if "pages" in getattr(route, "tags", ()) and route.path not in ("/admin", "/admin/sign-out")
    }
    table = README.split("## Web pages", 1)[1].split("\n## ", 1)[0]
    listed = {path.split("?")[0].split("[")[0] for path in re.findall(r"`(/[^`]*)`", table)}
    shape = lambda path: re.sub(r"\{[^}]*\}", "{}", path)  # noqa: E731
    missing = {p for p in pages if shape(p) not in {shape(q) for q in listed}}
    # The admin's form posts are documented by the page they belong to.
    assert {p for p in missing if not p.startswith("/admin/")} == set(), missing


def test_hostile_ids_and_bodies_are_refused_not_a_5xx(client):
    for path in ("/admin/roles/0", "/admin/roles/99999999999999999999", "/admin/roles/1/edit?attribute=" + "x" * 500):
        assert client.get(path, follow_redirects=False).status_code == 400, path
    huge = client.post("/coding", data={"csrf": csrf(client), "titles": "nurse\n" * 400_000})
    assert huge.status_code == 413
    assert client.get("/careers/role:abc", follow_redirects=False).status_code == 303  # a role: sign in first
    assert client.get("/gap", params={"from": "zzqqxx unknown", "to": "29-1141.00"}).status_code == 404


def test_many_titles_are_coded_without_evidence_and_the_page_says_so(client):
    token = csrf(client)
    few = client.post("/coding", data={"csrf": token, "titles": "registered nurse\n" * 200})
    assert "(title:" in few.text or "(alternate:" in few.text  # the evidence of each candidate
    many = client.post("/coding", data={"csrf": token, "titles": "registered nurse\n" * 201})
    assert many.status_code == 200 and "Evidence is shown for up to 200 titles" in many.text
    assert many.text.count("<tr>") == 201 + 1  # every title still coded
