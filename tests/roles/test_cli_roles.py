"""The roles commands as a user types them, on SQLite: every command ends in what it says."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from jobforge import KnowledgeBase
from jobforge.cli import app
from jobforge.config import Settings


def run(url: str, *args: str, code: int = 0):
    result = CliRunner().invoke(app, ["--db", url, *args])
    assert result.exit_code == code, result.output
    return result


def with_acme(tmp_path, sample_zip) -> tuple[str, KnowledgeBase]:
    """A database with the sample release and the organisation acme."""
    url = f"sqlite:///{tmp_path / 'jf.db'}"
    kb = KnowledgeBase(url, settings=Settings(onet_api_key=""))
    kb.upgrade()
    kb.onet.load(sample_zip)
    run(url, "orgs", "create", "acme")
    return url, kb


def test_organisations_tokens_and_roles_from_the_command_line(tmp_path, sample_zip):
    url = f"sqlite:///{tmp_path / 'jf.db'}"
    kb = KnowledgeBase(url, settings=Settings(onet_api_key=""))
    kb.upgrade()
    kb.onet.load(sample_zip)
    missing = run(url, "roles", "create", "Charge Nurse", "--org", "acme", "--no-suggest", code=3)
    assert "no organisation 'acme': `jobforge orgs create acme` makes one" in " ".join(missing.output.split())
    run(url, "orgs", "create", "acme", "--name", "Acme")
    run(url, "orgs", "create", "Bad Slug", code=2)
    token = run(url, "tokens", "create", "--org", "acme", "--name", "hr", "--access", "editor").stdout.split()[-1]
    assert token.startswith("jf_") and kb.roles.tokens.authenticate(token).access == "editor"
    listed = json.loads(run(url, "tokens", "list", "--org", "acme").stdout)
    assert [t["name"] for t in listed] == ["hr"] and token not in json.dumps(listed)

    for typed, said in (  # said by the option typed and meaning, not as pydantic's traceback; nothing made
        (("--code", "1234"), "error: --code '1234' is neither an O*NET-SOC code"),
        (("--language", "de"), "error: --language: Input should be 'en' or 'fr'"),
        (("--family", "Nurs\x07ing"), "error: --family: holds a control character (U+0007) at position 5"),
    ):
        refused = run(url, "roles", "create", "Charge Nurse", "--org", "acme", "--no-suggest", *typed, code=2)
        assert said in " ".join(refused.output.split()) and "Traceback" not in refused.output
    assert kb.roles.search(kb.roles.local_admin("acme", "t")).total == 0

    created = json.loads(run(url, "roles", "create", "Charge Nurse", "--org", "acme", "--code", "29-1141.00",
                             "--no-suggest", "--actor", "ann").stdout)  # fmt: skip
    role = str(created["id"])
    [suggestion] = json.loads(run(url, "roles", "suggestions", role, "--org", "acme").stdout)
    run(url, "roles", "approve", role, str(suggestion["id"]), "--org", "acme", "--reason", "fits")
    run(url, "roles", "override", role, "skills/2.A.1.a/LV", "6.5", "--org", "acme", "--reason", "research")
    run(url, "roles", "override", role, "tools", '["Stethoscope", "Pager"]', "--org", "acme", "--reason", "ours")
    shown = json.loads(run(url, "roles", "show", role, "--org", "acme", "--json").stdout)
    fields = {f["attribute"]: f for f in shown["fields"]}
    assert fields["skills/2.A.1.a/LV"]["value"] == 6.5 and fields["tools"]["value"] == ["Stethoscope", "Pager"]
    cited = fields["skills/2.A.1.a/LV"]["citation"]
    assert cited.startswith("role override by cli:") and cited.endswith(": research")
    assert len(json.loads(run(url, "roles", "diff", role, "--org", "acme").stdout)) == 2
    failed = run(url, "roles", "bulk-override", "skills/2.A.1.b/LV", "9", "--roles", role, "--org", "acme",
                 "--reason", "too high", code=2)  # fmt: skip
    assert "rating on 0–7, not 9" in failed.output
    one = run(url, "roles", "override", role, "skills/2.A.1.b/LV", "9", "--org", "acme", "--reason", "r", code=2)
    assert f"error: role {role}: skills/2.A.1.b/LV is a rating on 0–7, not 9.0" in " ".join(one.output.split())
    deep = run(url, "roles", "override", role, "tools", "[" * 100_000 + "]" * 100_000, "--org", "acme", "--reason", "r",
               code=2)  # fmt: skip
    assert "nested too deep" in deep.output
    run(url, "roles", "override", role, "title", "2024", "--org", "acme", "--reason", "a year is a title here")
    shown = json.loads(run(url, "roles", "show", role, "--org", "acme", "--json").stdout)
    assert {f["attribute"]: f["value"] for f in shown["fields"]}["title"] == "2024"  # not the number 2024.0
    worded = run(url, "roles", "override", role, "skills/2.A.1.b/LV", "high", "--org", "acme", "--reason", "r", code=2)
    assert "skills/2.A.1.b/LV: 'high' is not a number" in worded.output
    run(url, "roles", "restore", role, "title", "--org", "acme")
    run(url, "roles", "restore", role, "tools", "--org", "acme")

    assert "name what to change" in run(url, "roles", "update", role, "--org", "acme", code=2).output
    version = json.loads(run(url, "roles", "show", role, "--org", "acme", "--json").stdout)["role"]["version"]
    updated = json.loads(run(url, "roles", "update", role, "--org", "acme", "--family", " Nursing ", "--level",
                             "7").stdout)  # fmt: skip
    assert (updated["family"], updated["level"], updated["version"]) == ("Nursing", "7", version + 1)
    cleared = json.loads(run(url, "roles", "update", role, "--org", "acme", "--level", "", "--version",
                             str(version + 1)).stdout)  # fmt: skip
    assert (cleared["family"], cleared["level"]) == ("Nursing", None)  # only what was named changed
    stale = run(url, "roles", "update", role, "--org", "acme", "--title", "Lost", "--version", str(version), code=4)
    assert f"is at version {version + 2}, not {version}" in stale.output
    assert (
        json.loads(run(url, "roles", "archive", role, "--org", "acme", "--reason", "merged").stdout)["status"]
        == "archived"
    )
    refused = run(url, "roles", "update", role, "--org", "acme", "--title", "x", code=4)
    assert "is archived: an admin unarchives it before it is edited" in " ".join(refused.output.split())
    assert json.loads(run(url, "roles", "unarchive", role, "--org", "acme").stdout)["status"] == "active"
    assert len(json.loads(run(url, "roles", "diff", role, "--org", "acme").stdout)) == 1
    run(url, "roles", "show", "999", "--org", "acme", code=3)
    run(url, "tokens", "revoke", str(listed[0]["id"]))
    run(url, "tokens", "revoke", str(listed[0]["id"]), code=2)


def test_the_skill_gap_command_takes_a_role_with_its_organisation(tmp_path, sample_zip):
    url, kb = with_acme(tmp_path, sample_zip)
    role = json.loads(run(url, "roles", "create", "Charge Nurse", "--org", "acme", "--code", "29-1141.00",
                          "--no-suggest").stdout)["id"]  # fmt: skip
    [suggestion] = json.loads(run(url, "roles", "suggestions", str(role), "--org", "acme").stdout)
    run(url, "roles", "approve", str(role), str(suggestion["id"]), "--org", "acme")
    run(url, "roles", "override", str(role), "skills/2.A.1.a/LV", "0.5", "--org", "acme", "--reason", "r")
    gap = json.loads(run(url, "skill-gap", f"role:{role}", "11-9111.00", "--org", "acme", "--json").stdout)
    reading = {item["element_id"]: item for item in gap["skill_gaps"]}["2.A.1.a"]
    assert gap["from_occupation_title"] == "Charge Nurse" and reading["from_data_value"] == 0.5
    assert "needs --org" in run(url, "skill-gap", f"role:{role}", "11-9111.00", code=2).output
    run(url, "skill-gap", f"role:{role}", "11-9111.00", "--org", "globex", code=3)


def test_roles_are_imported_from_a_csv_file_all_or_none(tmp_path, sample_zip):
    url, kb = with_acme(tmp_path, sample_zip)
    faulty = tmp_path / "faulty.csv"
    faulty.write_text("Job Title,Job Family,Initial Code\nCharge Nurse,Care,29-1141.00\nCook,,99-9999.00\n")
    refused = run(url, "roles", "import", str(faulty), "--org", "acme", code=3)
    assert f"no such occupation in the loaded data: {faulty}, line 3 (onet:99-9999.00)" in " ".join(
        refused.output.split()
    )
    admin = kb.roles.local_admin("acme", "t")
    assert kb.roles.search(admin).total == 0  # the good line is not made either
    excel = tmp_path / "roles.csv"  # what Excel writes as "Unicode Text": UTF-16 with its byte-order mark
    excel.write_bytes(
        "title\tfamily\tlanguage\nInfirmière-chef\tSoins\tfr\nRegistered Nurse\tCare\t\n".encode("utf-16")
    )
    made = run(url, "roles", "import", str(excel), "--org", "acme", "--actor", "ann")
    assert "2 roles made (ids 1–2)" in made.output
    roles = kb.roles.search(admin).roles
    assert [(r.title, r.family, r.language) for r in roles] == [
        ("Infirmière-chef", "Soins", "fr"),
        ("Registered Nurse", "Care", "en"),
    ]
    assert kb.roles.events(admin, roles[0].id)[-1].actor == "cli:ann"
    assert any(s.method == "title coder" for s in kb.roles.suggestions(admin, roles[1].id))

    exported = tmp_path / "exported.csv"
    run(url, "roles", "export", "--org", "acme", "--out", str(exported))
    run(url, "orgs", "create", "globex")
    run(url, "roles", "import", str(exported), "--org", "globex", "--no-suggest")  # id, status … are skipped
    copied = kb.roles.search(kb.roles.local_admin("globex", "t")).roles
    assert [(r.title, r.family, r.language) for r in copied] == [(r.title, r.family, r.language) for r in roles]
    assert [r.id for r in copied] == [3, 4]  # new roles, the originals untouched
    assert "--status 'gone': active, archived or all" in run(url, "roles", "export", "--org", "acme", "--status",
                                                             "gone", code=2).output  # fmt: skip
