"""The roles admin's own forms, without a browser, on every backend: a role is made, its details
changed, a code proposed and the role archived from the pages, and bad input is a page naming it
that leaves the store as it was."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from jobforge.api import create_app
from jobforge.roles.access import Access, Caller
from jobforge.roles.models import RoleIn

ADMIN = Caller("acme", Access.ADMIN, "test")


@pytest.fixture
def signed_in(kb, sample_zip):
    """A client signed in as an admin of acme, over the sample release."""
    kb.onet.load(sample_zip)
    kb.roles.create_organisation("acme", "Acme Corp")
    token, _ = kb.roles.tokens.create("acme", "web admin", "admin", "test")
    with TestClient(create_app(kb), headers={"Accept": "text/html"}) as client:
        signed = client.post("/admin/sign-in", data={"csrf": csrf(client, "/admin/sign-in"), "token": token})
        assert signed.status_code == 200 and "signed in" in signed.text
        yield client


def csrf(client, path: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', client.get(path).text).group(1)


def post(client, path: str, **form):
    return client.post(path, data={"csrf": csrf(client, "/admin/roles/new"), **form}, follow_redirects=False)


def test_a_role_is_made_edited_given_a_code_and_archived_from_the_pages(signed_in, kb):
    client = signed_in
    assert 'href="/admin/roles/new"' in client.get("/admin/roles").text
    for form, said in (
        ({"title": "Charge Nurse", "initial_code": "1234"}, "initial_code &#39;1234&#39; is neither an O*NET-SOC code"),
        ({"title": "  "}, "title: String should have at least 1 character"),
        ({"title": "Charge Nurse", "language": "de"}, "language: Input should be &#39;en&#39; or &#39;fr&#39;"),
        ({"title": "Charge\x01Nurse"}, "title: holds a control character (U+0001) at position 7"),
        ({"title": "Charge Nurse", "initial_code": "99-9999.00"}, "no occupation 99-9999.00"),
    ):
        refused = post(client, "/admin/roles", **form)
        assert refused.status_code in (400, 404) and said in refused.text, (form, refused.text[-600:])
    assert kb.roles.search(ADMIN).total == 0  # nothing made of any of them

    made = post(client, "/admin/roles", title="Charge Nurse", family=" Nursing ", unit="", initial_code="29-1141.00")
    assert made.status_code == 303
    role_id = int(made.headers["location"].rsplit("/", 1)[1])
    role = kb.roles.get(ADMIN, role_id)
    assert (role.family, role.unit, role.initial_code) == ("Nursing", None, "onet:29-1141.00")
    page = client.get(made.headers["location"]).text
    assert f"role {role_id} created" in page and 'name="version" value="1"' in page

    same = dict(title="Charge Nurse", description="", family="Nursing", unit="", level="", language="en")
    unchanged = post(client, f"/admin/roles/{role_id}/details", version="1", **same)
    assert "details unchanged" in client.get(unchanged.headers["location"]).text
    assert kb.roles.get(ADMIN, role_id).version == 1  # a form sent as it was bumps nothing ...
    assert "updated" not in [event.kind for event in kb.roles.events(ADMIN, role_id)]  # ... and logs nothing
    post(client, f"/admin/roles/{role_id}/details", version="1", **{**same, "title": "Head Nurse", "level": "7"})
    role = kb.roles.get(ADMIN, role_id)
    assert (role.title, role.level, role.version) == ("Head Nurse", "7", 2)
    stale = post(client, f"/admin/roles/{role_id}/details", version="1", **{**same, "title": "Lost"})
    assert stale.status_code == 409 and "is at version 2, not 1" in stale.text
    assert kb.roles.get(ADMIN, role_id).title == "Head Nurse"

    assert post(client, f"/admin/roles/{role_id}/suggestions", code="29-114").status_code == 400
    post(client, f"/admin/roles/{role_id}/suggestions", code=" 29-1141.01 ", reason="critical care ward")
    asked = post(client, f"/admin/roles/{role_id}/suggestions")  # no code: the title coder again
    assert asked.status_code == 303
    suggested = kb.roles.suggestions(ADMIN, role_id)
    assert ("onet:29-1141.01", "critical care ward") in {
        (s.code, s.evidence) for s in suggested if s.method == "person"
    }
    assert any(s.method == "title coder" for s in suggested)
    assert "critical care ward" in client.get(f"/admin/roles/{role_id}").text  # the evidence shows the reason

    archived = post(client, f"/admin/roles/{role_id}/archive", reason="merged into role 9")
    assert archived.status_code == 303 and kb.roles.get(ADMIN, role_id).status == "archived"
    page = client.get(f"/admin/roles/{role_id}").text
    assert "archived: it is kept, read-only" in page and f"/admin/roles/{role_id}/details" not in page
    assert post(client, f"/admin/roles/{role_id}/details", version="3", **same).status_code == 409
    assert post(client, f"/admin/roles/{role_id}/archive").status_code == 409  # archived already
    post(client, f"/admin/roles/{role_id}/unarchive", reason="archived by mistake")
    role = kb.roles.get(ADMIN, role_id)
    assert (role.status, role.title, role.version) == ("active", "Head Nurse", 4)
    assert f"/admin/roles/{role_id}/details" in client.get(f"/admin/roles/{role_id}").text


def test_a_viewer_gets_no_role_forms_and_a_post_without_its_csrf_token_is_refused(signed_in, kb):
    role = kb.roles.create(ADMIN, RoleIn(title="Cook"), suggest=False)
    viewer, _ = kb.roles.tokens.create("acme", "reader", "viewer", "test")
    signed_in.post("/admin/sign-in", data={"csrf": csrf(signed_in, "/admin/sign-in"), "token": viewer})
    assert signed_in.get("/admin/roles/new").status_code == 403
    page = signed_in.get(f"/admin/roles/{role.id}").text
    assert "/details" not in page and f"/admin/roles/{role.id}/suggestions" not in page
    assert post(signed_in, f"/admin/roles/{role.id}/archive").status_code == 403
    no_csrf = signed_in.post("/admin/roles", data={"title": "Baker"}, follow_redirects=False)
    assert no_csrf.status_code == 403 and kb.roles.search(ADMIN).total == 1


def test_roles_are_imported_from_an_uploaded_csv_all_or_none(signed_in, kb):
    client = signed_in
    assert 'action="/admin/roles/import"' in client.get("/admin/roles/new").text

    def upload(content: bytes, name: str = "roles.csv"):
        token = csrf(client, "/admin/roles/new")
        return client.post("/admin/roles/import", data={"csrf": token}, files={"file": (name, content, "text/csv")},
                           follow_redirects=False)  # fmt: skip

    refused = upload(b"title,famly\nClerk,Admin\n")
    assert refused.status_code == 400 and "unknown column &#39;famly&#39;" in refused.text
    refused = upload(b"title,initial_code\nClerk,1234\nCook,\n,29-1141.00\n")
    assert "line 2: initial_code" in refused.text and "line 4: title is required" in refused.text
    assert upload(b"title\nCl\xe9rk\n").status_code == 400  # not UTF-8: said, not guessed
    assert kb.roles.search(ADMIN).total == 0
    made = upload("\ufefftitle,family\nRegistered Nurse,Care\nChef cuisinier,Cuisine\n".encode())
    assert made.status_code == 303 and made.headers["location"] == "/admin/review"
    queue = client.get("/admin/review").text
    assert "2 roles imported" in queue and "Registered Nurse" in queue
    assert [(r.title, r.family) for r in kb.roles.search(ADMIN).roles] == [
        ("Registered Nurse", "Care"),
        ("Chef cuisinier", "Cuisine"),
    ]
    assert 'href="/admin/roles.csv?status=active"' in client.get("/admin/roles").text
    exported = client.get("/admin/roles.csv", params={"status": "active"})
    assert exported.headers["content-type"].startswith("text/csv")
    assert exported.text.splitlines()[1].startswith("Registered Nurse,,Care,")


def test_what_a_post_says_is_said_in_the_language_of_the_page_that_shows_it(signed_in, kb):
    """The message is kept as a key and its values, not as English text, so a French page says it in French."""
    client = signed_in
    made = post(client, "/admin/roles", title="Infirmière", family="Soins")
    role_id = int(made.headers["location"].rsplit("/", 1)[1])
    french = client.get(made.headers["location"], params={"lang": "fr"}).text
    assert f"poste {role_id} créé ; ses codes attendent la vérification" in french and "wait for review" not in french
    post(client, f"/admin/roles/{role_id}/suggestions", code="29-1141.00")
    english = client.get(f"/admin/roles/{role_id}", params={"lang": "en"}).text
    assert f"role {role_id}: 29-1141.00 proposed for review" in english
    post(client, f"/admin/roles/{role_id}/archive", reason="fusionné")
    assert f"poste {role_id} archivé" in client.get(f"/admin/roles/{role_id}", params={"lang": "fr"}).text
    assert f"poste {role_id} archivé" not in client.get(f"/admin/roles/{role_id}").text  # said once
