"""/roles over HTTP on every backend: no write without a valid token, access levels enforced,
organisations kept apart, and a role usable wherever /skill-gap and /transitions take an occupation."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from jobforge.api import create_app

SKILL = "skills/2.A.1.a/LV"


@pytest.fixture
def api(kb, sample_zip):
    kb.onet.load(sample_zip)
    for org in ("acme", "globex"):
        kb.roles.create_organisation(org, org.title())
    tokens = {
        access: kb.roles.tokens.create("acme", f"{access} token", access, "test")[0]
        for access in ("admin", "editor", "viewer")
    }
    tokens["other"] = kb.roles.tokens.create("globex", "globex admin", "admin", "test")[0]
    with TestClient(create_app(kb)) as client:
        yield client, {name: {"Authorization": f"Bearer {token}"} for name, token in tokens.items()}, kb


def approved_nurse(client, headers) -> int:
    role = client.post("/roles?suggest=false", json={"title": "Charge Nurse", "initial_code": "29-1141.00"},
                       headers=headers["editor"])  # fmt: skip
    assert role.status_code == 201, role.text
    role_id = role.json()["id"]
    [initial] = client.get(f"/roles/{role_id}/suggestions", headers=headers["viewer"]).json()
    approved = client.post(f"/roles/{role_id}/suggestions/{initial['id']}/approve", json={"reason": "fits"},
                           headers=headers["admin"])  # fmt: skip
    assert approved.status_code == 200, approved.text
    return role_id


WRITES = [
    ("post", "/roles", {"title": "x"}),
    ("post", "/roles/import", {"roles": [{"title": "x"}]}),
    ("patch", "/roles/{id}", {"version": 1, "title": "y"}),
    ("post", "/roles/{id}/archive", {"reason": "r"}),
    ("post", "/roles/{id}/unarchive", {"reason": "r"}),
    ("put", f"/roles/{{id}}/overrides?attribute={SKILL}", {"value": 5.0, "reason": "r"}),
    ("delete", f"/roles/{{id}}/overrides?attribute={SKILL}", None),
    ("post", f"/roles/{{id}}/upstream/accept?attribute={SKILL}", None),
    ("post", f"/roles/{{id}}/upstream/dismiss?attribute={SKILL}", None),
    ("post", "/roles/{id}/copy", {"to": [1]}),
    ("post", "/roles/{id}/suggestions", {"code": "15-1252.00"}),
    ("post", "/roles/{id}/suggestions/1/approve", {}),
    ("post", "/roles/{id}/suggestions/1/reject", {}),
    ("post", "/roles/bulk/override", {"role_ids": [1], "attribute": SKILL, "value": 5.0, "reason": "r"}),
]


def test_no_write_route_answers_without_a_valid_token_and_viewers_cannot_write(api):
    client, headers, kb = api
    role_id = approved_nurse(client, headers)
    revoked = kb.roles.tokens.create("acme", "old", "admin", "test")[0]
    kb.roles.tokens.revoke(kb.roles.tokens.list("acme")[-1].id)
    for method, path, body in WRITES:
        url = path.replace("{id}", str(role_id))
        for sent in ({}, {"Authorization": "Bearer jf_not-a-token"}, {"Authorization": f"Bearer {revoked}"}):
            answer = client.request(method, url, json=body, headers=sent)
            assert answer.status_code == 401, (method, url, answer.text)
            assert answer.json()["success"] is False and answer.headers["WWW-Authenticate"] == "Bearer"
        viewer = client.request(method, url, json=body, headers=headers["viewer"])
        assert viewer.status_code == 403, (method, url, viewer.text)
        assert "needs" in viewer.json()["message"]
    assert client.get(f"/roles/{role_id}").status_code == 401
    assert client.get("/occupations/29-1141.00").status_code == 200  # public data stays open


def test_an_import_makes_every_role_or_none_and_names_the_item_at_fault(api):
    client, headers, kb = api
    refused = client.post("/roles/import", json={"roles": [{"title": "Cook"}, {"title": "Baker", "initial_code": "12"}]},
                          headers=headers["editor"])  # fmt: skip
    assert refused.status_code == 400
    assert refused.json()["message"].startswith("body parameter 'roles' item 2 initial_code: is neither an O*NET")
    unknown = client.post("/roles/import", json={"roles": [{"title": "Baker", "initial_code": "99-9999.00"}]},
                          headers=headers["editor"])  # fmt: skip
    assert unknown.status_code == 404 and "role 1 (onet:99-9999.00)" in unknown.json()["message"]
    assert client.get("/roles", headers=headers["viewer"]).json()["total"] == 0
    made = client.post("/roles/import?suggest=false", json={"roles": [{"title": "Cook"}, {"title": "Charge Nurse",
                       "initial_code": "29-1141.00"}]}, headers=headers["editor"])  # fmt: skip
    assert made.status_code == 201 and made.json()["created"] == 2 and made.json()["suggestions"] == 1
    listed = client.get("/roles", headers=headers["viewer"]).json()["roles"]
    assert [r["id"] for r in listed] == made.json()["ids"] and listed[1]["initial_code"] == "onet:29-1141.00"
    events = client.get(f"/roles/{made.json()['ids'][0]}/events", headers=headers["viewer"]).json()
    assert events[-1]["kind"] == "created" and events[-1]["actor"] == "token:editor token@acme"

    assert client.get("/roles/export.csv").status_code == 401
    exported = client.get("/roles/export.csv", headers=headers["viewer"])
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    lines = exported.text.splitlines()
    assert lines[0].startswith("title,description,family,unit,level,language,initial_code,id,approved_code")
    assert [line.split(",")[0] for line in lines[1:]] == ["Cook", "Charge Nurse"]
    assert client.get("/roles/export.csv", headers=headers["other"]).text.count("\n") == 1  # globex: a header


def test_an_editor_overrides_restores_and_diffs_and_events_name_the_token(api):
    client, headers, _kb = api
    role_id = approved_nurse(client, headers)
    put = client.put(f"/roles/{role_id}/overrides", params={"attribute": SKILL},
                     json={"value": 6.5, "reason": "research-heavy"}, headers=headers["editor"])  # fmt: skip
    assert put.status_code == 200, put.text
    field = {f["attribute"]: f for f in put.json()["fields"]}[SKILL]
    assert (field["value"], field["status"], field["source_kind"]) == (6.5, "custom", "custom")
    diff = client.get(f"/roles/{role_id}/diff", headers=headers["viewer"]).json()
    assert [(d["attribute"], d["custom"]) for d in diff] == [(SKILL, 6.5)]
    events = client.get(f"/roles/{role_id}/events", headers=headers["viewer"]).json()
    assert events[0]["kind"] == "overridden" and events[0]["actor"] == "token:editor token@acme"
    restored = client.delete(f"/roles/{role_id}/overrides", params={"attribute": SKILL}, headers=headers["editor"])
    assert {f["attribute"]: f for f in restored.json()["fields"]}[SKILL]["status"] == "inherited"
    bad = client.put(f"/roles/{role_id}/overrides", params={"attribute": SKILL},
                     json={"value": 70, "reason": "x"}, headers=headers["editor"])  # fmt: skip
    assert bad.status_code == 400 and "0–7" in bad.json()["message"]
    stale = client.patch(f"/roles/{role_id}", json={"version": 1, "title": "x"}, headers=headers["editor"])
    assert stale.status_code == 409 and "version" in stale.json()["message"]
    archived = client.get("/roles", params={"status": "gone"}, headers=headers["viewer"])
    assert archived.json()["message"] == "query parameter 'status': must be one of active, archived"
    control = client.post("/roles", json={"title": "Nurse\x00"}, headers=headers["editor"])
    assert control.status_code == 400 and "control character" in control.json()["message"]
    for attribute, value in (("description", '"Leads\\udfff"'), ("tools", '["Pager\\ud800"]')):  # JSON can spell them
        as_json = {**headers["editor"], "Content-Type": "application/json"}
        half = client.put(f"/roles/{role_id}/overrides", params={"attribute": attribute}, headers=as_json,
                          content=f'{{"value": {value}, "reason": "x"}}')  # fmt: skip
        assert half.status_code == 400 and "half of a surrogate pair" in half.json()["message"], half.text
    assert client.get(f"/roles/{role_id}/diff", headers=headers["viewer"]).json() == []  # nothing kept


def test_json_true_is_no_number_a_version_or_a_role_id(api):
    """Pydantic's lax mode read true as 1 (1.0 for a rating): a boolean sent by mistake was stored."""
    client, headers, _kb = api
    role_id = approved_nurse(client, headers)
    version = client.get(f"/roles/{role_id}", headers=headers["viewer"]).json()["role"]["version"]
    for method, path, body in (
        ("put", f"/roles/{role_id}/overrides?attribute={SKILL}", {"value": True, "reason": "r"}),
        ("patch", f"/roles/{role_id}", {"version": True, "title": "y"}),
        ("post", "/roles/bulk/override", {"role_ids": [True], "attribute": SKILL, "value": 5.0, "reason": "r"}),
        ("post", f"/roles/{role_id}/copy", {"to": [True]}),
    ):
        answer = client.request(method, path, json=body, headers=headers["admin"])
        assert answer.status_code == 400, (path, answer.text)
    assert client.get(f"/roles/{role_id}/diff", headers=headers["viewer"]).json() == []
    assert client.get(f"/roles/{role_id}", headers=headers["viewer"]).json()["role"]["version"] == version
    assert client.put(f"/roles/{role_id}/overrides", params={"attribute": SKILL}, json={"value": 5, "reason": "r"},
                      headers=headers["editor"]).status_code == 200  # an integer is a number  # fmt: skip


def test_one_organisations_token_cannot_read_or_change_anothers_roles(api):
    client, headers, _kb = api
    role_id = approved_nurse(client, headers)
    assert client.get(f"/roles/{role_id}", headers=headers["other"]).status_code == 404
    stolen = client.put(f"/roles/{role_id}/overrides", params={"attribute": SKILL},
                        json={"value": 1.0, "reason": "x"}, headers=headers["other"])  # fmt: skip
    assert stolen.status_code == 404
    assert client.get("/roles", headers=headers["other"]).json()["total"] == 0
    gap = client.get("/skill-gap", params={"from": f"role:{role_id}", "to": "15-1211.00"}, headers=headers["other"])
    assert gap.status_code == 404


def test_a_role_stands_wherever_skill_gap_and_transitions_take_an_occupation(api):
    client, headers, _kb = api
    role_id = approved_nurse(client, headers)
    client.put(f"/roles/{role_id}/overrides", params={"attribute": SKILL}, json={"value": 0.5, "reason": "r"},
               headers=headers["editor"])  # fmt: skip
    plain = client.get("/skill-gap", params={"from": "29-1141.00", "to": "11-9111.00"}).json()["result"]
    gap = client.get("/skill-gap", params={"from": f"role:{role_id}", "to": "11-9111.00"}, headers=headers["viewer"])
    assert gap.status_code == 200, gap.text
    result = gap.json()["result"]
    assert result["from_occupation_code"] == f"role:{role_id}" and result["from_occupation_title"] == "Charge Nurse"
    reading = {g["element_id"]: g for g in result["skill_gaps"]}["2.A.1.a"]
    assert reading["from_data_value"] == 0.5 and reading["from_source_kind"] == "custom"
    others = {g["element_id"]: g["gap"] for g in plain["skill_gaps"] if g["element_id"] != "2.A.1.a"}
    assert {g["element_id"]: g["gap"] for g in result["skill_gaps"] if g["element_id"] != "2.A.1.a"} == others
    back = client.get("/skill-gap", params={"from": "11-9111.00", "to": f"role:{role_id}"}, headers=headers["viewer"])
    assert back.status_code == 200
    assert client.get("/skill-gap", params={"from": f"role:{role_id}", "to": "11-9111.00"}).status_code == 401
    moves = client.get("/transitions", params={"from": f"role:{role_id}"}, headers=headers["viewer"])
    assert moves.status_code == 200 and moves.json()["transitions"]
    assert all(not t["code"].startswith("role:") for t in moves.json()["transitions"])


def test_a_caller_without_a_valid_token_is_refused_before_its_parameters_are_read(api):
    """401 first: a caller without a token learns nothing of what a roles route takes; one with a
    token is told of the parameter it misspelt."""
    client, headers, _kb = api
    assert client.get("/roles", params={"bogus": "1"}).status_code == 401
    wrong = client.get("/roles/1/events", params={"limt": "5"}, headers={"Authorization": "Bearer jf_nope"})
    assert wrong.status_code == 401 and "unknown here" not in wrong.json()["message"]
    told = client.get("/roles", params={"bogus": "1"}, headers=headers["viewer"])
    assert told.status_code == 400 and "'bogus' is unknown here" in told.json()["message"]


def test_a_missing_or_non_json_body_is_said_as_the_body_not_as_a_parameter(api):
    client, headers, kb = api
    role_id = approved_nurse(client, headers)
    [suggestion] = client.get(f"/roles/{role_id}/suggestions", headers=headers["viewer"]).json()
    bare = client.post(f"/roles/{role_id}/suggestions/{suggestion['id']}/reject", headers=headers["admin"])
    assert bare.status_code == 400 and bare.json()["message"] == "the request body is required: a JSON object"
    as_csv = client.post(
        "/roles/import", content=b"title\nCook\n", headers={**headers["editor"], "Content-Type": "text/csv"}
    )
    assert as_csv.status_code == 400
    assert as_csv.json()["message"] == (
        "the request body must be a JSON object sent as application/json (it was sent as text/csv)"
    )
    assert kb.roles.search(kb.roles.tokens.authenticate(headers["editor"]["Authorization"][7:])).total == 1


def test_each_problem_of_a_role_text_is_said_once_in_words_about_text(api):
    client, headers, kb = api
    role_id = approved_nurse(client, headers)
    said = {
        (
            "patch",
            f"/roles/{role_id}",
            '{"version": 2, "title": "   "}',
        ): "body parameter 'title': String should have at least 1 character",
        (
            "patch",
            f"/roles/{role_id}",
            '{"version": 2, "family": "' + "f" * 121 + '"}',
        ): "body parameter 'family': String should have at most 120 characters",
        (
            "post",
            "/roles",
            '{"title": "Nurse \\u202eresU"}',
        ): "body parameter 'title': Value error, holds a bidirectional control character (U+202E) at position 7, "
        "which would reorder how the text is shown",
        (
            "put",
            f"/roles/{role_id}/overrides?attribute=tools",
            '{"value": true, "reason": "r"}',
        ): "body parameter 'value': must be a number, a text or a list of texts",
        (
            "put",
            f"/roles/{role_id}/overrides?attribute=tools",
            '{"value": ["Pager", 3], "reason": "r"}',
        ): "body parameter 'value' list item 2: Input should be a valid string",
    }
    as_json = {**headers["admin"], "Content-Type": "application/json"}
    for (method, path, body), message in said.items():
        answer = client.request(method, path, content=body, headers=as_json)
        assert answer.status_code == 400 and answer.json()["message"] == message, answer.text
    assert client.get(f"/roles/{role_id}", headers=headers["viewer"]).json()["role"]["version"] == 2
    assert client.get(f"/roles/{role_id}/diff", headers=headers["viewer"]).json() == []
